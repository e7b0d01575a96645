import { connect } from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Agent } from 'undici';
import { normalizeExtraHost, resolveProxyTarget } from '../../src/proxy/allowlist.ts';
import { createProxyMiddleware } from '../../src/proxy/middleware.ts';
import { isProxyError, type ProxyErrorCode } from '../../src/proxy/errors.ts';
import { removeTestTls, startProxy, startUpstream, testTls, type ProxyServer, type Upstream } from './helpers.ts';

const WORKSPACE = 'adb-1234567890123456.7.azuredatabricks.net';

interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

/** Sends bytes exactly as given over TLS (HTTP/1.1), so hostile request lines reach the server unaltered. */
async function rawRequest(origin: string, head: string | Buffer): Promise<RawResponse> {
  const { port } = new URL(origin);
  const tls = await testTls();
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port: Number(port),
      ca: tls.ca,
      servername: 'localhost',
      ALPNProtocols: ['http/1.1'],
    });
    const chunks: Buffer[] = [];
    socket.on('secureConnect', () => socket.write(head));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, headers: text.slice(0, split), body: text.slice(split + 4) });
    });
  });
}

function get(path: string, headers: string[] = []): string {
  return [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headers, '', ''].join('\r\n');
}

describe('requests the proxy refuses before connecting anywhere', () => {
  let upstream: Upstream;
  let proxy: ProxyServer;
  let dispatcher: Agent;
  let dispatches: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    upstream = await startUpstream((_req, res) => res.end('{"clusters":[]}'));
  });
  afterAll(async () => {
    await upstream.close();
    removeTestTls();
  });
  beforeEach(async () => {
    const tls = await testTls();
    dispatcher = new Agent({ connect: { ca: tls.ca } });
    dispatches = vi.spyOn(dispatcher, 'dispatch');
    proxy = await startProxy({ extraHosts: [upstream.host], dispatcher });
    upstream.connections = 0;
    upstream.seen.length = 0;
  });
  afterEach(async () => {
    await proxy.close();
    await dispatcher.close();
  });

  const ok = () => upstream.host;
  const cases: Array<{ name: string; request: () => string | Buffer; status: number; code?: ProxyErrorCode }> = [
    {
      name: 'another domain',
      request: () => get('/databricks/example.com/api/2.0/clusters/list'),
      status: 403,
      code: 'PROXY_HOST_NOT_ALLOWED',
    },
    {
      name: 'a look-alike with the workspace domain as a prefix',
      request: () => get(`/databricks/${WORKSPACE}.evil.example/api/2.0/clusters/list`),
      status: 403,
      code: 'PROXY_HOST_NOT_ALLOWED',
    },
    {
      name: 'a look-alike glued to the domain',
      request: () => get('/databricks/evilazuredatabricks.net/api/2.0/clusters/list'),
      status: 403,
      code: 'PROXY_HOST_NOT_ALLOWED',
    },
    {
      name: 'a look-alike with an extra label before the domain',
      request: () => get('/databricks/adb-1.2.evil.azuredatabricks.net/api/2.0/clusters/list'),
      status: 403,
      code: 'PROXY_HOST_NOT_ALLOWED',
    },
    {
      name: 'the accounts console',
      request: () => get('/databricks/accounts.azuredatabricks.net/api/2.0/accounts'),
      status: 403,
      code: 'PROXY_HOST_NOT_ALLOWED',
    },
    {
      name: 'a legacy regional host',
      request: () => get('/databricks/westeurope.azuredatabricks.net/api/2.0/clusters/list'),
      status: 403,
      code: 'PROXY_HOST_NOT_ALLOWED',
    },
    {
      name: 'a workspace host with a trailing dot',
      request: () => get(`/databricks/${WORKSPACE}./api/2.0/clusters/list`),
      status: 403,
      code: 'PROXY_HOST_NOT_ALLOWED',
    },
    {
      name: 'a workspace host on another port',
      request: () => get(`/databricks/${WORKSPACE}:8443/api/2.0/clusters/list`),
      status: 403,
      code: 'PROXY_HOST_NOT_ALLOWED',
    },
    {
      name: 'userinfo before a workspace host',
      request: () => get(`/databricks/user@${WORKSPACE}/api/2.0/clusters/list`),
      status: 400,
      code: 'PROXY_BAD_HOST',
    },
    {
      name: 'a workspace host as userinfo before another host',
      request: () => get(`/databricks/${WORKSPACE}@${ok()}/api/2.0/clusters/list`),
      status: 400,
      code: 'PROXY_BAD_HOST',
    },
    {
      name: 'an IPv4 literal that is not configured',
      request: () => get('/databricks/127.0.0.2/api/2.0/clusters/list'),
      status: 403,
      code: 'PROXY_HOST_NOT_ALLOWED',
    },
    {
      name: 'an IPv4 literal as one number',
      request: () => get('/databricks/2130706433/api/2.0/clusters/list'),
      status: 403,
      code: 'PROXY_HOST_NOT_ALLOWED',
    },
    {
      name: 'an IPv4 literal in hex',
      request: () => get('/databricks/0x7f000001/api/2.0/clusters/list'),
      status: 403,
      code: 'PROXY_HOST_NOT_ALLOWED',
    },
    {
      name: 'an IPv6 literal',
      request: () => get(`/databricks/[::1]:${upstream.port}/api/2.0/clusters/list`),
      status: 400,
      code: 'PROXY_BAD_HOST',
    },
    {
      name: 'localhost',
      request: () => get('/databricks/localhost/api/2.0/clusters/list'),
      status: 403,
      code: 'PROXY_HOST_NOT_ALLOWED',
    },
    {
      name: "localhost on the configured upstream's port",
      request: () => get(`/databricks/localhost:${upstream.port}/api/2.0/clusters/list`),
      status: 403,
      code: 'PROXY_HOST_NOT_ALLOWED',
    },
    {
      name: 'a port out of range',
      request: () => get(`/databricks/${WORKSPACE}:99999/api/2.0/clusters/list`),
      status: 400,
      code: 'PROXY_BAD_HOST',
    },
    {
      name: 'an encoded slash in the host',
      request: () => get(`/databricks/${WORKSPACE}%2f@evil.example/api/2.0/clusters/list`),
      status: 400,
      code: 'PROXY_BAD_HOST',
    },
    {
      name: 'an encoded slash in the path',
      request: () => get(`/databricks/${ok()}/api%2f..%2f..%2fadmin`),
      status: 400,
      code: 'PROXY_BAD_PATH',
    },
    {
      name: 'encoded dots in the path',
      request: () => get(`/databricks/${ok()}/api/%2e%2e/admin`),
      status: 400,
      code: 'PROXY_BAD_PATH',
    },
    {
      name: 'double-encoded dots in the path',
      request: () => get(`/databricks/${ok()}/api/%252e%252e/admin`),
      status: 400,
      code: 'PROXY_BAD_PATH',
    },
    {
      name: 'a broken percent-encoding',
      request: () => get(`/databricks/${ok()}/api/2.0/clusters%zz`),
      status: 400,
      code: 'PROXY_BAD_PATH',
    },
    {
      name: "'..' segments leaving /api/",
      request: () => get(`/databricks/${ok()}/api/../login`),
      status: 400,
      code: 'PROXY_BAD_PATH',
    },
    {
      name: "'..' segments switching host",
      request: () => get(`/databricks/${ok()}/../evil.example/api/x`),
      status: 400,
      code: 'PROXY_BAD_PATH',
    },
    {
      name: "'.' segments",
      request: () => get(`/databricks/${ok()}/api/./2.0/clusters/list`),
      status: 400,
      code: 'PROXY_BAD_PATH',
    },
    {
      name: 'empty segments',
      request: () => get(`/databricks/${ok()}/api//2.0/clusters/list`),
      status: 400,
      code: 'PROXY_BAD_PATH',
    },
    {
      name: 'backslashes in the path',
      request: () => get(`/databricks/${ok()}/api\\..\\login`),
      status: 400,
      code: 'PROXY_BAD_PATH',
    },
    {
      name: 'an absolute URL in place of the host',
      request: () => get('/databricks/https://evil.example/api/2.0/clusters/list'),
      status: 400,
      code: 'PROXY_BAD_HOST',
    },
    {
      name: 'a scheme-relative URL in place of the host',
      request: () => get('/databricks//evil.example/api/2.0/clusters/list'),
      status: 400,
      code: 'PROXY_BAD_HOST',
    },
    { name: 'no host at all', request: () => get('/databricks'), status: 400, code: 'PROXY_BAD_HOST' },
    {
      name: 'a path outside /api/',
      request: () => get(`/databricks/${ok()}/login.html`),
      status: 403,
      code: 'PROXY_PATH_NOT_ALLOWED',
    },
    {
      name: 'the bare /api path',
      request: () => get(`/databricks/${ok()}/api`),
      status: 403,
      code: 'PROXY_PATH_NOT_ALLOWED',
    },
    {
      name: 'unencoded characters in the query',
      request: () => get(`/databricks/${ok()}/api/2.0/clusters/list?x=<script>`),
      status: 400,
      code: 'PROXY_BAD_PATH',
    },
    {
      name: 'an over-long URL',
      request: () => get(`/databricks/${ok()}/api/2.1/clusters/list?page_token=${'a'.repeat(5000)}`),
      status: 414,
      code: 'PROXY_URL_TOO_LONG',
    },
    {
      name: 'DELETE',
      request: () => get(`/databricks/${ok()}/api/2.0/clusters/list`).replace('GET', 'DELETE'),
      status: 405,
      code: 'PROXY_METHOD_NOT_ALLOWED',
    },
    {
      name: 'POST while POST is off',
      request: () => get(`/databricks/${ok()}/api/2.0/clusters/start`).replace('GET', 'POST'),
      status: 405,
      code: 'PROXY_METHOD_NOT_ALLOWED',
    },
    {
      name: 'an OPTIONS preflight',
      request: () => get(`/databricks/${ok()}/api/2.0/clusters/list`).replace('GET', 'OPTIONS'),
      status: 405,
      code: 'PROXY_METHOD_NOT_ALLOWED',
    },
    {
      name: 'a page on another origin',
      request: () => get(`/databricks/${ok()}/api/2.0/clusters/list`, ['Origin: https://evil.example']),
      status: 403,
      code: 'PROXY_ORIGIN_REFUSED',
    },
    {
      name: 'a page with an opaque origin',
      request: () => get(`/databricks/${ok()}/api/2.0/clusters/list`, ['Origin: null']),
      status: 403,
      code: 'PROXY_ORIGIN_REFUSED',
    },
    {
      name: 'a page on another port of this host',
      request: () => get(`/databricks/${ok()}/api/2.0/clusters/list`, ['Origin: https://127.0.0.1:1']),
      status: 403,
      code: 'PROXY_ORIGIN_REFUSED',
    },
    {
      name: 'a cross-site fetch',
      request: () => get(`/databricks/${ok()}/api/2.0/clusters/list`, ['Sec-Fetch-Site: cross-site']),
      status: 403,
      code: 'PROXY_ORIGIN_REFUSED',
    },
    {
      name: 'a same-site fetch from a sibling origin',
      request: () => get(`/databricks/${ok()}/api/2.0/clusters/list`, ['Sec-Fetch-Site: same-site']),
      status: 403,
      code: 'PROXY_ORIGIN_REFUSED',
    },
    {
      name: 'a non-ASCII byte in a forwarded header',
      request: () =>
        Buffer.from(get(`/databricks/${ok()}/api/2.0/clusters/list`, ['Authorization: Bearer caf\xe9']), 'latin1'),
      status: 400,
      code: 'PROXY_BAD_HEADER',
    },
    // A lone CR inside a header value never gets past Node's HTTP parser; the proxy is not even asked.
    {
      name: 'a CR inside a header value',
      request: () => get(`/databricks/${ok()}/api/2.0/clusters/list`, ['Authorization: Bearer x\rInjected: 1']),
      status: 400,
    },
    {
      name: 'a raw space in the request target',
      request: () => get(`/databricks/${ok()}/api/2.0/clusters list`),
      status: 400,
    },
  ];

  it.each(cases)('refuses $name with $status and no upstream connection', async ({ request, status, code }) => {
    const response = await rawRequest(proxy.origin, request());
    expect(response.status).toBe(status);
    if (code) {
      expect(response.headers).toMatch(/content-type: application\/json/i);
      expect(JSON.parse(response.body)).toEqual({ error: { code, message: expect.any(String) } });
      expect(response.headers.toLowerCase()).not.toContain('access-control-allow-origin');
    }
    expect(dispatches).not.toHaveBeenCalled();
    expect(upstream.connections).toBe(0);
    expect(upstream.seen).toHaveLength(0);
  });

  it('forwards the same request when nothing in it is hostile (the table above would otherwise prove nothing)', async () => {
    const response = await rawRequest(
      proxy.origin,
      get(`/databricks/${ok()}/api/2.0/clusters/list`, [
        `Origin: ${proxy.origin}`,
        'Sec-Fetch-Site: same-origin',
        'Authorization: Bearer x',
      ]).replace('Host: 127.0.0.1', `Host: ${new URL(proxy.origin).host}`),
    );
    expect(response.status).toBe(200);
    expect(response.body).toBe('{"clusters":[]}');
    expect(dispatches).toHaveBeenCalledTimes(1);
    expect(upstream.connections).toBe(1);
  });

  it('names the method to enable when POST is refused, and lists the allowed methods', async () => {
    const response = await rawRequest(
      proxy.origin,
      get(`/databricks/${ok()}/api/2.0/clusters/start`).replace('GET', 'POST'),
    );
    expect(response.headers).toMatch(/\r\nallow: GET\r\n/i);
    expect(JSON.parse(response.body).error.message).toBe(
      'The proxy forwards GET only, not "POST". Start the server with EXPLORER_PROXY_ALLOW_POST=1 to forward POST.',
    );
  });

  it('logs one prefixed line per refusal, without the query string or any header', async () => {
    await rawRequest(
      proxy.origin,
      get(`/databricks/evil.example/api/2.0/x?token=s3cr3t`, ['Authorization: Bearer s3cr3t-token']),
    );
    expect(proxy.logs).toHaveLength(1);
    expect(proxy.logs[0]).toMatch(
      /^\[explorer proxy\] GET \/databricks\/evil\.example\/api\/2\.0\/x → 403 PROXY_HOST_NOT_ALLOWED: /,
    );
    expect(proxy.logs[0]).not.toContain('s3cr3t');
  });

  it('leaves paths outside /databricks/ to the next middleware', async () => {
    const response = await rawRequest(proxy.origin, get('/databricks-docs/index.html'));
    expect(response.status).toBe(404);
    expect(response.body).toBe('not the proxy');
  });
});

describe('the allowlist and path rules', () => {
  const extra = new Set(['localhost:5175']);

  it.each([
    [`/databricks/${WORKSPACE}/api/2.0/clusters/list`, `https://${WORKSPACE}`, '/api/2.0/clusters/list'],
    [`/databricks/${WORKSPACE.toUpperCase()}/api/2.0/clusters/list`, `https://${WORKSPACE}`, '/api/2.0/clusters/list'],
    [`/databricks/${WORKSPACE}:443/api/2.0/clusters/list`, `https://${WORKSPACE}`, '/api/2.0/clusters/list'],
    [
      '/databricks/adb-1.2.databricks.azure.us/api/2.1/clusters/list?page_size=2',
      'https://adb-1.2.databricks.azure.us',
      '/api/2.1/clusters/list?page_size=2',
    ],
    [
      '/databricks/adb-9.99.databricks.azure.cn/api/2.0/preview/scim/v2/Me',
      'https://adb-9.99.databricks.azure.cn',
      '/api/2.0/preview/scim/v2/Me',
    ],
    [
      '/databricks/localhost:5175/api/2.1/clusters/list?filter_by.cluster_states=RUNNING&filter_by.cluster_states=PENDING&page_token=a%2Fb%3D',
      'https://localhost:5175',
      '/api/2.1/clusters/list?filter_by.cluster_states=RUNNING&filter_by.cluster_states=PENDING&page_token=a%2Fb%3D',
    ],
  ])('forwards %s to %s', (url, origin, path) => {
    expect(resolveProxyTarget(url, extra)).toMatchObject({ origin, path });
  });

  it('explains which hosts it forwards to when it refuses one', () => {
    try {
      resolveProxyTarget('/databricks/evil.example/api/2.0/clusters/list', extra);
      expect.unreachable();
    } catch (error) {
      expect(isProxyError(error, 'PROXY_HOST_NOT_ALLOWED')).toBe(true);
      expect((error as Error).message).toBe(
        'The proxy does not forward to "evil.example": it is not an Azure Databricks workspace host (adb-<id>.<n>.azuredatabricks.net, adb-<id>.<n>.databricks.azure.us, adb-<id>.<n>.databricks.azure.cn), or a configured host (localhost:5175). Check the workspace URL in the settings.',
      );
    }
  });

  it('says that workspaces are reached on port 443 when another port is asked for', () => {
    expect(() => resolveProxyTarget(`/databricks/${WORKSPACE}:444/api/x`, extra)).toThrow(
      `The proxy does not forward to "${WORKSPACE}:444": Azure Databricks workspaces are reached on port 443 only, not 444. Check the workspace URL in the settings.`,
    );
  });

  it('says that user information is never forwarded', () => {
    expect(() => resolveProxyTarget(`/databricks/me@${WORKSPACE}/api/x`, extra)).toThrow(
      `The workspace host "me@${WORKSPACE}" contains user information ('@'), which the proxy never forwards. Use /databricks/{host[:port]}/api/…, e.g. /databricks/adb-1234567890123456.7.azuredatabricks.net/api/2.0/clusters/list.`,
    );
  });

  it.each([
    ['localhost:5175', 'localhost:5175'],
    ['Workspace.Example', 'workspace.example:443'],
  ])('normalises the configured extra host %s to %s', (entry, normalised) => {
    expect(normalizeExtraHost(entry)).toBe(normalised);
  });

  it.each(['https://localhost:5175', 'localhost:0', 'user@localhost', 'localhost:5175/api', '[::1]:5175'])(
    'refuses to start with the malformed extra host %s',
    (entry) => {
      expect(() => createProxyMiddleware({ extraHosts: [entry] })).toThrow(
        new TypeError(`proxy extra host ${JSON.stringify(entry)} is not "host" or "host:port"`),
      );
    },
  );
});
