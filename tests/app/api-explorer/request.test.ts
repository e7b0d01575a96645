import { describe, expect, it } from 'vitest';
import { addToHistory, HISTORY_KEY, HISTORY_LIMIT, loadHistory } from '../../../src/app/api-explorer/history.ts';
import { parseLossless } from '../../../src/app/json/lossless-json.ts';
import {
  type ExplorerRequest,
  fillParameters,
  idsIn,
  nextPageOf,
  parametersOf,
  problemOf,
  readShareLink,
  shareLink,
  targetOf,
} from '../../../src/app/api-explorer/request.ts';

const get = (path: string, query: [string, string][] = []): ExplorerRequest => ({
  method: 'GET',
  path,
  query,
  body: '',
  headers: [],
});

describe('parameters', () => {
  it('finds {name} parameters in path, query and body, and fills them encoded for each place', () => {
    const request: ExplorerRequest = {
      method: 'POST',
      path: '/api/2.1/unity-catalog/tables/{full_name}',
      query: [['path', '/Users/{user_name}']],
      body: '{"job_id": {job_id}, "name": "{user_name}"}',
      headers: [],
    };
    expect(parametersOf(request)).toEqual(['full_name', 'user_name', 'job_id']);
    const filled = fillParameters(request, { full_name: 'sales.gold/x', user_name: 'a"b', job_id: '1' });
    expect(filled.path).toBe('/api/2.1/unity-catalog/tables/sales.gold/x');
    expect(filled.query).toEqual([['path', '/Users/a"b']]);
    expect(filled.body).toBe('{"job_id": 1, "name": "a\\"b"}');
  });

  it.each([
    [get('/api/2.1/clusters/get', [['cluster_id', '{cluster_id}']]), ['GET'], 'Fill in {cluster_id}.'],
    [
      { ...get('/api/2.1/clusters/start'), method: 'POST' },
      ['GET'],
      "This server's proxy forwards GET only; start it with EXPLORER_PROXY_ALLOW_POST=1 to send POST.",
    ],
    [
      get('/other/x'),
      ['GET'],
      'The path must start with /api/ and be a plain path (no spaces, "?", "#", empty, "." or ".." segments).',
    ],
    [
      get('/api/../x'),
      ['GET'],
      'The path must start with /api/ and be a plain path (no spaces, "?", "#", empty, "." or ".." segments).',
    ],
    [
      { ...get('/api/2.1/clusters/start'), method: 'POST', body: '{"a":' },
      ['GET', 'POST'],
      'The body is not valid JSON: Not valid JSON at character 6: unexpected the end of the text.',
    ],
  ])('refuses to send %j with %j: %s', (request, methods, problem) => {
    expect(problemOf(request, methods)).toBe(problem);
  });
});

describe('paging', () => {
  it('sends next_page_token back as page_token in the query of a GET', () => {
    const next = nextPageOf(
      get('/api/2.2/jobs/list', [['limit', '1']]),
      parseLossless('{"jobs":[{}],"has_more":true,"next_page_token":"t2"}'),
    );
    expect(next && targetOf(next)).toBe('/api/2.2/jobs/list?limit=1&page_token=t2');
  });

  it('sends it in the body of a POST listing, keeping 19-digit numbers there exact', () => {
    const request = {
      ...get('/api/2.1/clusters/events'),
      method: 'POST',
      body: '{"cluster_id":"c","start_time":1732912345678901234}',
    };
    const next = nextPageOf(request, parseLossless('{"events":[],"next_page_token":"e2"}'));
    expect(next?.body).toBe('{\n  "cluster_id": "c",\n  "start_time": 1732912345678901234,\n  "page_token": "e2"\n}');
  });

  it('uses next_page_token as the Repos API names it', () => {
    const next = nextPageOf(get('/api/2.0/repos'), parseLossless('{"repos":[{}],"next_page_token":"r2"}'));
    expect(next && targetOf(next)).toBe('/api/2.0/repos?next_page_token=r2');
  });

  it('moves the offset by the page read for has_more without a token', () => {
    const next = nextPageOf(
      get('/api/2.1/jobs/list', [['offset', '2']]),
      parseLossless('{"jobs":[{},{}],"has_more":true}'),
    );
    expect(next && targetOf(next)).toBe('/api/2.1/jobs/list?offset=4');
  });

  it("sends the cluster events' next_page request as the next body", () => {
    const request = { ...get('/api/2.1/clusters/events'), method: 'POST', body: '{"cluster_id":"c","limit":2}' };
    const next = nextPageOf(
      request,
      parseLossless('{"events":[],"next_page":{"cluster_id":"c","offset":2,"limit":2,"end_time":1732912345678901234}}'),
    );
    expect(next?.body).toContain('"end_time": 1732912345678901234');
    expect(next?.body).toContain('"offset": 2');
  });

  it("follows SCIM's startIndex until totalResults", () => {
    const request = get('/api/2.0/preview/scim/v2/Users', [
      ['startIndex', '1'],
      ['count', '2'],
    ]);
    const next = nextPageOf(
      request,
      parseLossless('{"totalResults":3,"startIndex":1,"itemsPerPage":2,"Resources":[]}'),
    );
    expect(next && targetOf(next)).toBe('/api/2.0/preview/scim/v2/Users?count=2&startIndex=3');
    expect(
      nextPageOf(request, parseLossless('{"totalResults":3,"startIndex":3,"itemsPerPage":1,"Resources":[]}')),
    ).toBeUndefined();
  });

  it('offers no next page on the last page', () => {
    expect(nextPageOf(get('/api/2.2/jobs/list'), parseLossless('{"jobs":[{}],"has_more":false}'))).toBeUndefined();
    expect(
      nextPageOf(get('/api/2.1/clusters/list'), parseLossless('{"clusters":[],"next_page_token":""}')),
    ).toBeUndefined();
  });
});

describe('IDs for later requests', () => {
  it('collects cluster, job and warehouse IDs and catalog names, exactly', () => {
    const ids = idsIn(
      parseLossless(
        '{"clusters":[{"cluster_id":"a"},{"cluster_id":"b"}],"jobs":[{"job_id":1234567890123456789}],"warehouses":[{"id":"w1"}],"catalogs":[{"name":"sales"}]}',
      ),
    );
    expect(Object.fromEntries(ids)).toEqual({
      cluster_id: ['a', 'b'],
      job_id: ['1234567890123456789'],
      warehouse_id: ['w1'],
      catalog_name: ['sales'],
    });
  });
});

describe('share links', () => {
  it('carry method, path, query and body, and nothing else', () => {
    const request: ExplorerRequest = {
      method: 'POST',
      path: '/api/2.2/jobs/run-now',
      query: [['x', 'é&=']],
      body: '{"job_id": 9007199254740993123}',
      headers: [['Accept', 'application/json']],
    };
    const link = shareLink(request, 'https://localhost:5173/?a=1#/clusters');
    expect(link).toMatch(/^https:\/\/localhost:5173\/\?a=1#\/explorer\?r=[A-Za-z0-9_-]+$/);
    expect(readShareLink(new URL(link).hash)).toEqual({ ...request, headers: [] });
  });

  it.each([['#/explorer'], ['#/explorer?r=%%%'], ['#/explorer?r=e30'], ['#/clusters']])('ignore %s', (hash) => {
    expect(readShareLink(hash)).toBeUndefined();
  });
});

describe('history', () => {
  it(`keeps the newest ${HISTORY_LIMIT} requests, newest first, without headers`, () => {
    const storage = new Map<string, string>();
    const fake = {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => storage.set(k, v),
      removeItem: (k: string) => storage.delete(k),
    } as unknown as Storage;
    for (let i = 0; i < HISTORY_LIMIT + 5; i += 1) {
      addToHistory(
        fake,
        { ...get(`/api/2.0/x${i}`), headers: [['Accept', 'text/plain']] },
        { status: 200, at: i, durationMs: 3 },
      );
    }
    const list = loadHistory(fake);
    expect(list).toHaveLength(HISTORY_LIMIT);
    expect(list[0]).toEqual({
      method: 'GET',
      path: `/api/2.0/x${HISTORY_LIMIT + 4}`,
      query: [],
      body: '',
      status: 200,
      at: HISTORY_LIMIT + 4,
      durationMs: 3,
    });
    expect(storage.get(HISTORY_KEY)).not.toContain('Accept');
    storage.set(HISTORY_KEY, '{broken');
    expect(loadHistory(fake)).toEqual([]);
  });
});
