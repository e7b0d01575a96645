import { afterEach, describe, expect, it, vi } from 'vitest';
import { listClusters } from '../../../src/app/databricks/clusters.ts';
import { type CallRecord, createWorkspaceClient, type RetryNotice } from '../../../src/app/databricks/client.ts';
import {
  DatabricksApiError,
  MAX_ERROR_BODY,
  ProxyRefusedError,
  WorkspaceNetworkError,
  WorkspaceTimeoutError,
} from '../../../src/app/databricks/errors.ts';
import { me } from '../../../src/app/databricks/scim.ts';

type Handler = (request: Request) => Response | Promise<Response>;

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

function setup(handlers: Handler[], extra: { resourceId?: string; timeoutMs?: number; random?: number } = {}) {
  const requests: Request[] = [];
  const tokens: boolean[] = [];
  const calls: CallRecord[] = [];
  const retries: RetryNotice[] = [];
  let i = 0;
  const client = createWorkspaceClient({
    workspaceHost: 'adb-1.2.azuredatabricks.net',
    workspaceResourceId: extra.resourceId,
    origin: 'https://localhost:5173',
    timeoutMs: extra.timeoutMs ?? 30_000,
    getAccessToken: async ({ forceRefresh }) => {
      tokens.push(forceRefresh);
      return forceRefresh ? 'fresh-token' : 'cached-token';
    },
    fetch: async (input, init) => {
      const request = new Request(input as RequestInfo, init);
      requests.push(request);
      const handler = handlers[Math.min(i++, handlers.length - 1)]!;
      return handler(request);
    },
    now: () => 1_000_000,
    random: () => extra.random ?? 0,
    onCall: (record) => calls.push(record),
    onRetry: (notice) => retries.push(notice),
  });
  /**
   * Plays the retries on a fake clock: for each expected wait, checks that the person was told
   * it, that no request goes out a millisecond early, and that the next one goes out on time.
   */
  async function expectWaits(waits: number[]) {
    for (const [i, wait] of waits.entries()) {
      await until(() => retries.length === i + 1, `retry notice ${i + 1}`);
      expect(retries[i]!.delayMs).toBe(wait);
      if (wait > 0) {
        await vi.advanceTimersByTimeAsync(wait - 1);
        expect(requests).toHaveLength(i + 1);
      }
      await vi.advanceTimersByTimeAsync(1);
      await until(() => requests.length === i + 2, `request ${i + 2}`);
    }
  }
  return { client, requests, tokens, calls, retries, expectWaits };
}

/** Lets the client's promise chains run on the fake clock without moving it. */
async function until(condition: () => boolean, what: string) {
  for (let i = 0; i < 200 && !condition(); i++) await vi.advanceTimersByTimeAsync(0);
  if (!condition()) throw new Error(`gave up waiting for ${what}`);
}

afterEach(() => vi.useRealTimers());

describe('workspace client', () => {
  it('calls the workspace through the same-origin proxy path with a bearer token', async () => {
    const { client, requests } = setup([() => json(200, { ok: true })]);
    await client.getJson('/api/2.0/preview/scim/v2/Me');
    expect(requests[0]!.url).toBe(
      'https://localhost:5173/databricks/adb-1.2.azuredatabricks.net/api/2.0/preview/scim/v2/Me',
    );
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer cached-token');
    expect(requests[0]!.headers.get('x-databricks-azure-workspace-resource-id')).toBeNull();
  });

  it('sends the workspace resource ID header when configured', async () => {
    const id = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/w';
    const { client, requests, calls } = setup([() => json(200, {})], { resourceId: id });
    await client.getJson('/api/2.1/clusters/list');
    expect(requests[0]!.headers.get('x-databricks-azure-workspace-resource-id')).toBe(id);
    expect(calls[0]!.resourceIdHeader).toBe(true);
  });

  it('refreshes the token once after a 401 and retries with the fresh token', async () => {
    const { client, requests, tokens } = setup([
      () => json(401, { error_code: 401, message: 'Token is expired' }),
      () => json(200, { userName: 'ana@contoso.example' }),
    ]);
    const body = await client.getJson<{ userName: string }>('/api/2.0/preview/scim/v2/Me');
    expect(body.userName).toBe('ana@contoso.example');
    expect(tokens).toEqual([false, true]);
    expect(requests[1]!.headers.get('authorization')).toBe('Bearer fresh-token');
  });

  it('gives up with a typed unauthorized error when the fresh token is rejected too', async () => {
    const { client, requests } = setup([() => json(401, { error_code: 401, message: 'Token is expired' })]);
    const error = await client.getJson('/api/2.0/preview/scim/v2/Me').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabricksApiError);
    expect((error as DatabricksApiError).code).toBe('API_UNAUTHORIZED');
    expect((error as DatabricksApiError).status).toBe(401);
    expect(requests).toHaveLength(2);
    expect(String((error as Error).message)).not.toMatch(/token-/);
  });

  it('treats a numeric 403 "Invalid access token" as a token rejection but not a permission 403', async () => {
    const rejected = setup([
      () => json(403, { error_code: 403, message: 'Invalid access token.' }),
      () => json(200, {}),
    ]);
    await rejected.client.getJson('/x');
    expect(rejected.tokens).toEqual([false, true]);

    const denied = setup([
      () => json(403, { error_code: 'PERMISSION_DENIED', message: 'User is not a member of this workspace' }),
    ]);
    const error = (await denied.client.getJson('/x').catch((e: unknown) => e)) as DatabricksApiError;
    expect(error.code).toBe('API_HTTP_ERROR');
    expect(error.status).toBe(403);
    expect(error.errorCode).toBe('PERMISSION_DENIED');
    expect(denied.tokens).toEqual([false]);
  });

  it('waits as long as Retry-After says on 429 and then succeeds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { client, retries, expectWaits } = setup([
      () => json(429, { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' }, { 'retry-after': '3' }),
      () => json(200, { clusters: [] }),
    ]);
    const done = client.getJson('/api/2.1/clusters/list');
    await expectWaits([3000]);
    await done;
    expect(retries).toEqual([{ path: '/api/2.1/clusters/list', status: 429, delayMs: 3000, attempt: 1 }]);
  });

  it('stops retrying a persistent 429 after the bounded number of attempts', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { client, requests, expectWaits } = setup([
      () => json(429, { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' }, { 'retry-after': '1' }),
    ]);
    const failed = client.getJson('/x').catch((e: unknown) => e);
    await expectWaits([1000, 1000, 1000]);
    const error = (await failed) as DatabricksApiError;
    expect(error.code).toBe('API_RATE_LIMITED');
    expect(error.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(requests).toHaveLength(4);
  });

  it('retries 503 with exponential backoff when no Retry-After is given', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { client, expectWaits } = setup([
      () => json(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }),
      () => json(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }),
      () => json(200, {}),
    ]);
    const done = client.getJson('/x');
    await expectWaits([1000, 2000]);
    await done;
  });

  it('gives up at once when Retry-After asks for longer than the 30 s the app waits', async () => {
    const { client, requests, retries } = setup([
      () => json(429, { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' }, { 'retry-after': '31' }),
      () => json(200, {}),
    ]);
    const error = (await client.getJson('/x').catch((e: unknown) => e)) as DatabricksApiError;
    expect(error).toMatchObject({ code: 'API_RATE_LIMITED', status: 429 });
    expect(requests).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  it('waits until a Retry-After HTTP-date', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: Date.parse('2026-01-15T10:00:00Z') });
    const { client, expectWaits } = setup([
      () => json(503, { error_code: 'TEMPORARILY_UNAVAILABLE' }, { 'retry-after': 'Thu, 15 Jan 2026 10:00:07 GMT' }),
      () => json(200, {}),
    ]);
    const done = client.getJson('/x');
    await expectWaits([7000]);
    await done;
  });

  it('adds up to one second of jitter to the backoff', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { client, expectWaits } = setup([() => json(503, {}), () => json(503, {}), () => json(200, {})], {
      random: 0.5,
    });
    const done = client.getJson('/x');
    await expectWaits([1500, 2500]);
    await done;
  });

  it('records each attempt for the timeline, marking the one after a forced refresh', async () => {
    const { client, calls } = setup([() => json(401, { error_code: 401, message: 'expired' }), () => json(200, {})]);
    await client.getJson('/api/2.1/clusters/list', { query: { page_size: 100 } });
    expect(calls).toEqual([
      expect.objectContaining({
        path: '/api/2.1/clusters/list?page_size=100',
        status: 401,
        attempt: 1,
        afterForcedRefresh: false,
      }),
      expect.objectContaining({
        path: '/api/2.1/clusters/list?page_size=100',
        status: 200,
        attempt: 2,
        afterForcedRefresh: true,
      }),
    ]);
  });

  it('does not retry a 500 and parses the Databricks error with its request ID', async () => {
    const { client, requests } = setup([
      () =>
        json(500, {
          error_code: 'INTERNAL_ERROR',
          message: 'boom',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RequestInfo', request_id: 'req-42', serving_data: '' }],
        }),
    ]);
    const error = (await client.getJson('/x').catch((e: unknown) => e)) as DatabricksApiError;
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({
      code: 'API_HTTP_ERROR',
      status: 500,
      errorCode: 'INTERNAL_ERROR',
      apiMessage: 'boom',
      requestId: 'req-42',
    });
    expect(error.message).toBe(
      'GET /x failed with HTTP 500 (INTERNAL_ERROR: boom). The workspace had a problem; retry in a moment.',
    );
  });

  it("keeps the error answer's headers and body for support: at most 64 KiB, token-shaped text redacted", async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJl';
    const message = `token ${jwt} was refused ${'x'.repeat(70_000)}`;
    const { client } = setup([
      () => json(403, { error_code: 'PERMISSION_DENIED', message }, { 'x-request-id': 'r-1' }),
    ]);
    const error = (await client.getJson('/x').catch((e: unknown) => e)) as DatabricksApiError;
    expect(error.responseHeaders).toContainEqual(['x-request-id', 'r-1']);
    expect(error.responseHeaders).toContainEqual(['content-type', 'application/json']);
    expect(error.requestId).toBe('r-1');
    expect(
      error.bodyText?.startsWith('{"error_code":"PERMISSION_DENIED","message":"token [token] was refused xxx'),
    ).toBe(true);
    expect(error.bodyText).toHaveLength(MAX_ERROR_BODY - jwt.length + '[token]'.length);
    expect(error.apiMessage?.startsWith('token [token] was refused')).toBe(true);
    expect(error.message).not.toContain(jwt);
  });

  it('reads the reason from a legacy HTML error page', async () => {
    const { client } = setup([
      () => new Response('<html><title>Error 403 User not authorized.</title></html>', { status: 403 }),
    ]);
    const error = (await client.getJson('/x').catch((e: unknown) => e)) as DatabricksApiError;
    expect(error.apiMessage).toBe('Error 403 User not authorized.');
  });

  it('turns a proxy refusal into its own error type', async () => {
    const { client } = setup([
      () => json(502, { error: { code: 'PROXY_UPSTREAM_UNREACHABLE', message: 'workspace host did not answer' } }),
    ]);
    const error = (await client.getJson('/x').catch((e: unknown) => e)) as ProxyRefusedError;
    expect(error).toBeInstanceOf(ProxyRefusedError);
    expect(error).toMatchObject({ code: 'API_PROXY_REFUSED', status: 502, proxyCode: 'PROXY_UPSTREAM_UNREACHABLE' });
  });

  it('types a failed connection as a network error', async () => {
    const { client, calls } = setup([
      () => {
        throw new TypeError('Failed to fetch');
      },
    ]);
    const error = await client.getJson('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceNetworkError);
    expect(calls[0]).toMatchObject({ status: undefined, failure: 'API_NETWORK_ERROR' });
  });

  it('types an answer slower than the timeout as a timeout', async () => {
    const { client } = setup(
      [
        (request) =>
          new Promise<Response>((_resolve, reject) => {
            request.signal.addEventListener('abort', () => reject(request.signal.reason));
          }),
      ],
      { timeoutMs: 20 },
    );
    const error = await client.getJson('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceTimeoutError);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const { client } = setup([
      (request) =>
        new Promise<Response>((_resolve, reject) => {
          request.signal.addEventListener('abort', () => reject(request.signal.reason));
          controller.abort(new DOMException('view changed', 'AbortError'));
        }),
    ]);
    const error = await client.getJson('/x', { signal: controller.signal }).catch((e: unknown) => e);
    expect((error as DOMException).name).toBe('AbortError');
  });
});

describe('any method and path', () => {
  it('sends a method, JSON body, extra headers and repeated query keys, and returns the raw text', async () => {
    const raw = '{"spark_context_id":9007199254740993123}';
    const { client, requests } = setup([() => new Response(raw, { status: 200 })]);
    const response = await client.request({
      method: 'POST',
      path: '/api/2.1/clusters/events',
      query: { 'filter_by.cluster_states': ['RUNNING', 'PENDING'], skip: undefined },
      json: { cluster_id: 'a' },
      headers: { 'X-Trace': 'on', Authorization: 'Bearer nope' },
    });
    expect(response).toMatchObject({ status: 200, text: raw });
    const sent = requests[0]!;
    expect(sent.method).toBe('POST');
    expect(new URL(sent.url).search).toBe('?filter_by.cluster_states=RUNNING&filter_by.cluster_states=PENDING');
    expect(sent.headers.get('content-type')).toBe('application/json');
    expect(sent.headers.get('x-trace')).toBe('on');
    expect(sent.headers.get('authorization')).toBe('Bearer cached-token');
    expect(await sent.text()).toBe('{"cluster_id":"a"}');
  });

  it('sends JSON text as written, so 19-digit integers arrive exactly', async () => {
    const { client, requests } = setup([() => new Response('{}', { status: 200 })]);
    const body = '{"run_id": 9007199254740993123}';
    await client.request({ method: 'POST', path: '/api/2.1/jobs/runs/get-output', jsonText: body });
    const sent = requests[0]!;
    expect(sent.headers.get('content-type')).toBe('application/json');
    expect(await sent.text()).toBe(body);
  });

  it('does not retry a POST the workspace is too busy for', async () => {
    const { client, requests } = setup([
      () => json(503, { error_code: 'TEMPORARILY_UNAVAILABLE' }),
      () => json(200, {}),
    ]);
    const error = await client.request({ method: 'POST', path: '/api/2.1/clusters/start' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'API_HTTP_ERROR', status: 503 });
    expect(requests).toHaveLength(1);
  });

  it.each([
    ['api/2.1/clusters/list'],
    ['/api/../../other.example/api'],
    ['/api/./x'],
    ['/api/x?page_size=1'],
    ['/api/x#y'],
  ])('refuses the path %j before sending anything', async (path) => {
    const { client, requests } = setup([() => json(200, {})]);
    await expect(client.request({ path })).rejects.toThrow(
      `The API path ${JSON.stringify(path)} must be an absolute path such as /api/2.1/clusters/list`,
    );
    expect(requests).toHaveLength(0);
  });
});

describe('clusters and who am I', () => {
  it('pages through clusters/list 2.1 with page_size 100 until there is no next token', async () => {
    const { client, requests } = setup([
      () => json(200, { clusters: [{ cluster_id: 'a' }], next_page_token: 't1' }),
      () => json(200, { clusters: [{ cluster_id: 'b' }], next_page_token: '' }),
    ]);
    const pages = [];
    for await (const page of listClusters(client)) pages.push(page);
    expect(pages.map((p) => p.clusters.map((c) => c.cluster_id))).toEqual([['a'], ['b']]);
    expect(new URL(requests[0]!.url).search).toBe('?page_size=100');
    expect(new URL(requests[1]!.url).search).toBe('?page_size=100&page_token=t1');
  });

  it('reports an admin when SCIM Me lists the admins group', async () => {
    const { client } = setup([
      () =>
        json(200, {
          userName: 'ben@contoso.example',
          displayName: 'Ben Admin',
          groups: [{ display: 'admins', value: '1' }],
        }),
    ]);
    expect(await me(client)).toEqual({
      userName: 'ben@contoso.example',
      displayName: 'Ben Admin',
      isAdmin: true,
      groups: ['admins'],
    });
  });
});
