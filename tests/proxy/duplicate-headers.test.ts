/**
 * A workspace answer that repeats a header HTTP allows only once (Content-Type, ETag…) reaches
 * the browser with the first value, over HTTP/2 as over HTTP/1.1; before, HTTP/2 clients got a
 * 502 "could not be reached" because Node's HTTP/2 layer refuses such a header.
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { setUpProxyServers } from './helpers.ts';

const servers = setUpProxyServers();

describe('a repeated single-value header from the workspace', () => {
  it.each([
    ['HTTP/2', true],
    ['HTTP/1.1', false],
  ])('is passed on once, with its first value, over %s', async (_name, allowH2) => {
    const upstream = await servers.startUpstream((_req, res) => {
      // Raw header lines, as a misbehaving server or middlebox sends them.
      res.writeHead(
        200,
        [
          ['Content-Type', 'application/json'],
          ['Content-Type', 'text/plain'],
          ['ETag', '"a"'],
          ['ETag', '"b"'],
          ['X-Databricks-Org-Id', '1'],
          ['X-Databricks-Org-Id', '2'],
        ].flat(),
      );
      res.end('{"clusters":[]}');
    });
    const proxy = await servers.startProxy({ extraHosts: [upstream.host] });
    const client = await servers.createClient({ allowH2 });
    const response = await request(`${proxy.origin}/databricks/${upstream.host}/api/2.0/clusters/list`, {
      dispatcher: client,
    });
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe('{"clusters":[]}');
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers.etag).toBe('"a"');
    // A list-valued header keeps both values.
    expect([response.headers['x-databricks-org-id']].flat().join(', ')).toBe('1, 2');
    expect(proxy.logs).toEqual([
      expect.stringContaining('the workspace sent 2 content-type headers; passing on the first only'),
      expect.stringContaining('the workspace sent 2 etag headers; passing on the first only'),
    ]);
  });
});
