import { once } from 'node:events';
import { dirname } from 'node:path';
import { createCA, createCert } from 'mkcert';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { classifyUpstreamError } from '../../src/proxy/middleware.ts';
import { issueLocalCertificate } from '../../src/sandbox/tls.ts';
import { setUpProxyServers, type startProxy, type startUpstream, testTls } from './helpers.ts';

const CLUSTERS = JSON.stringify({
  clusters: [{ cluster_id: '0612-081530-k3v9x2ab', cluster_name: 'shared-analytics', state: 'RUNNING' }],
});

// Servers start per test on port 0: each test gives the upstream its own behaviour and counts its
// connections, and listening costs milliseconds.
const servers = setUpProxyServers();

async function setUp(
  handler: Parameters<typeof startUpstream>[0],
  options: Parameters<typeof startProxy>[0] = {},
  clientOptions: { allowH2?: boolean } = {},
) {
  const upstream = await servers.startUpstream(handler);
  const proxy = await servers.startProxy({ extraHosts: [upstream.host], ...options });
  const client = await servers.createClient(clientOptions);
  return { upstream, proxy, client };
}

function url(path: string): string {
  const { proxy, upstream } = servers;
  if (!proxy || !upstream) throw new Error('setUp first');
  return `${proxy.origin}/databricks/${upstream.host}${path}`;
}

describe('forwarding to the workspace', () => {
  it.each([
    ['HTTP/1.1', false],
    ['HTTP/2', true],
  ])('passes status, content type and body through unchanged over %s', async (_name, allowH2) => {
    const { upstream, client } = await setUp(
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Databricks-Org-Id': '1234567890123456' });
        res.end(CLUSTERS);
      },
      {},
      { allowH2 },
    );
    const response = await request(url('/api/2.0/clusters/list'), {
      dispatcher: client,
      headers: { authorization: 'Bearer token-1' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['x-databricks-org-id']).toBe('1234567890123456');
    expect(await response.body.text()).toBe(CLUSTERS);
    expect(upstream?.seen[0]).toMatchObject({ method: 'GET', url: '/api/2.0/clusters/list' });
  });

  it("passes the workspace's own errors through, status, headers and body", async () => {
    const body = JSON.stringify({ error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'Too many requests' });
    const { proxy, client } = await setUp((_req, res) => {
      res.writeHead(429, {
        'Content-Type': 'application/json',
        'Retry-After': '7',
        'X-Databricks-Reason-Phrase': 'throttled',
      });
      res.end(body);
    });
    const response = await request(url('/api/2.1/clusters/list'), { dispatcher: client });
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('7');
    expect(response.headers['x-databricks-reason-phrase']).toBe('throttled');
    expect(await response.body.text()).toBe(body);
    expect(proxy?.logs).toEqual([]);
  });

  it('passes the query string byte for byte, repeated keys and encodings included', async () => {
    const { upstream, client } = await setUp((_req, res) => res.end('{}'));
    const query =
      '?filter_by.cluster_states=RUNNING&filter_by.cluster_states=PENDING&page_token=a%2Fb%3D%3D&sort_by.field=CLUSTER_NAME';
    const response = await request(url(`/api/2.1/clusters/list${query}`), { dispatcher: client });
    await response.body.dump();
    expect(upstream?.seen[0]?.url).toBe(`/api/2.1/clusters/list${query}`);
  });

  it('forwards only Authorization, Content-Type, Accept and the workspace resource ID header', async () => {
    const { upstream, proxy, client } = await setUp((_req, res) => res.end('{}'));
    const origin = proxy?.origin ?? '';
    const response = await request(url('/api/2.0/clusters/list'), {
      dispatcher: client,
      headers: {
        authorization: 'Bearer token-2',
        accept: 'application/json',
        'content-type': 'application/json',
        'x-databricks-azure-workspace-resource-id':
          '/subscriptions/5f1d7c2e-0000-4000-8000-00000000cafe/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/ws',
        cookie: 'session=browser-cookie',
        origin,
        referer: `${origin}/clusters`,
        'sec-fetch-site': 'same-origin',
        'user-agent': 'Mozilla/5.0',
        'x-forwarded-for': '10.0.0.1',
        'x-databricks-azure-sp-management-token': 'management-token',
        'proxy-authorization': 'Basic abc',
      },
    });
    await response.body.dump();
    const seen = upstream?.seen[0]?.headers ?? {};
    expect(seen.authorization).toBe('Bearer token-2');
    expect(seen.accept).toBe('application/json');
    expect(seen['content-type']).toBe('application/json');
    expect(seen['x-databricks-azure-workspace-resource-id']).toContain('/workspaces/ws');
    const forwarded = Object.keys(seen).filter((name) => !['host', 'connection'].includes(name));
    expect(forwarded.sort()).toEqual([
      'accept',
      'authorization',
      'content-type',
      'x-databricks-azure-workspace-resource-id',
    ]);
  });

  it("drops the workspace's cookies, CORS grants and origin-binding policies from the response", async () => {
    const { client } = await setUp((_req, res) => {
      res.writeHead(403, {
        'Content-Type': 'application/json',
        'Set-Cookie': 'workspace-session=abc; Secure',
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Headers': 'Authorization, X-Databricks-Azure-Workspace-Resource-Id',
        'Strict-Transport-Security': 'max-age=31536000',
        'Alt-Svc': 'h3=":443"',
        'X-Request-Id': 'req-1',
      });
      res.end('{"error_code":403,"message":"Invalid access token."}');
    });
    const response = await request(url('/api/2.0/clusters/list'), { dispatcher: client });
    await response.body.dump();
    expect(response.statusCode).toBe(403);
    expect(response.headers['x-request-id']).toBe('req-1');
    for (const name of [
      'set-cookie',
      'access-control-allow-origin',
      'access-control-allow-headers',
      'strict-transport-security',
      'alt-svc',
    ]) {
      expect(response.headers[name], name).toBeUndefined();
    }
  });

  it('accepts a request from a page on its own origin', async () => {
    const { proxy, client } = await setUp((_req, res) => res.end('{}'));
    const origin = proxy?.origin ?? '';
    const response = await request(url('/api/2.0/clusters/list'), {
      dispatcher: client,
      headers: { origin, 'sec-fetch-site': 'same-origin', host: new URL(origin).host },
    });
    await response.body.dump();
    expect(response.statusCode).toBe(200);
  });

  it('keeps the upstream connection alive across requests', async () => {
    const { upstream, client } = await setUp((_req, res) => res.end('{}'));
    for (let i = 0; i < 3; i += 1) {
      const response = await request(url('/api/2.0/clusters/list'), { dispatcher: client });
      await response.body.dump();
    }
    expect(upstream?.seen).toHaveLength(3);
    expect(upstream?.connections).toBe(1);
  });

  it.each([
    ['HTTP/1.1', false],
    ['HTTP/2', true],
  ])('forwards POST with its body when POST is enabled, over %s', async (_name, allowH2) => {
    const { upstream, client } = await setUp(
      (_req, res, seen) => res.end(JSON.stringify({ echoed: seen.body })),
      { allowPost: true },
      { allowH2 },
    );
    const response = await request(url('/api/2.0/clusters/start'), {
      dispatcher: client,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"cluster_id":"0612-081530-k3v9x2ab"}',
    });
    expect(await response.body.json()).toEqual({ echoed: '{"cluster_id":"0612-081530-k3v9x2ab"}' });
    expect(upstream?.seen[0]?.method).toBe('POST');
  });
});

describe('streaming', () => {
  it('streams a multi-megabyte response: the first bytes arrive before the workspace has finished', async () => {
    const chunk = Buffer.alloc(256 * 1024, 'x');
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { client } = await setUp(async (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.write(chunk);
      // Nothing more is sent until the client has seen bytes: a buffering proxy would hang here.
      await released;
      for (let i = 0; i < 16; i += 1) {
        if (!res.write(chunk)) await once(res, 'drain');
      }
      res.end();
    });
    const response = await request(url('/api/2.0/fs/read'), { dispatcher: client });
    let received = 0;
    for await (const piece of response.body) {
      if (received === 0) release();
      received += (piece as Buffer).length;
    }
    expect(received).toBe(17 * chunk.length);
  });

  it('applies backpressure: while the client does not read, the proxy stops reading from the workspace', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'y');
    let written = 0;
    let stalled!: () => void;
    const upstreamStalled = new Promise<void>((resolve) => {
      stalled = resolve;
    });
    const { client } = await setUp(async (_req, res) => {
      res.writeHead(200);
      // Keep writing until the socket pushes back; with 64 MB available this only stops if the proxy stops reading.
      for (let i = 0; i < 1024; i += 1) {
        written += chunk.length;
        if (!res.write(chunk)) {
          stalled();
          await once(res, 'drain');
        }
      }
      res.end();
    });
    const response = await request(url('/api/2.0/fs/read'), { dispatcher: client });
    response.body.pause();
    await upstreamStalled;
    // Give a proxy that ignores backpressure time to drain the upstream into its own memory.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(written).toBeLessThan(16 * 1024 * 1024);
    let received = 0;
    for await (const piece of response.body) received += (piece as Buffer).length;
    expect(received).toBe(1024 * chunk.length);
  });
});

describe('upstream failures', () => {
  it('answers 504 with a JSON error when the workspace does not answer in time', async () => {
    const { upstream, proxy, client } = await setUp(() => {}, { timeouts: { headers: 300 } });
    const response = await request(url('/api/2.0/clusters/list?token=secret-in-query'), { dispatcher: client });
    expect(response.statusCode).toBe(504);
    const body = (await response.body.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('PROXY_UPSTREAM_TIMEOUT');
    expect(body.error.message).toContain(upstream?.host);
    expect(proxy?.logs).toHaveLength(1);
    expect(proxy?.logs[0]).toMatch(
      /^\[explorer proxy\] GET 127\.0\.0\.1:\d+\/api\/2\.0\/clusters\/list → 504 PROXY_UPSTREAM_TIMEOUT/,
    );
    expect(proxy?.logs[0]).not.toContain('secret-in-query');
  });

  it('cuts the response when the workspace goes silent in the middle of the body', async () => {
    const { proxy, client } = await setUp(
      (_req, res) => {
        res.writeHead(200, { 'Content-Length': '1000' });
        res.write('partial');
      },
      { timeouts: { idle: 300 } },
    );
    const response = await request(url('/api/2.0/clusters/list'), { dispatcher: client });
    expect(response.statusCode).toBe(200);
    await expect(response.body.text()).rejects.toThrow();
    expect(proxy?.logs[0]).toMatch(/→ aborted mid-response PROXY_UPSTREAM_TIMEOUT/);
  });

  it("answers 504 with a clean JSON error when the workspace sends headers and then nothing, dropping the workspace's headers", async () => {
    const { client } = await setUp(
      (_req, res) => {
        res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json', ETag: '"v1"' });
        res.flushHeaders();
      },
      { timeouts: { idle: 300 } },
    );
    const response = await request(url('/api/2.0/clusters/list'), { dispatcher: client });
    expect(response.statusCode).toBe(504);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers.etag).toBeUndefined();
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(((await response.body.json()) as { error: { code: string } }).error.code).toBe('PROXY_UPSTREAM_TIMEOUT');
  });

  it('answers 502 naming the host and the cause when the workspace is down', async () => {
    const { upstream, client } = await setUp((_req, res) => res.end());
    const host = upstream?.host ?? '';
    await upstream?.close();
    const response = await request(url('/api/2.0/clusters/list'), { dispatcher: client });
    expect(response.statusCode).toBe(502);
    const body = (await response.body.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('PROXY_UPSTREAM_UNREACHABLE');
    expect(body.error.message).toBe(
      `The workspace ${host} could not be reached (ECONNREFUSED: connect ECONNREFUSED ${host}). Check that it is running and the URL and port are right.`,
    );
  });

  it('answers 502 with a TLS error when the workspace certificate is not trusted', async () => {
    const otherCa = await createCA({
      organization: 'Untrusted CA',
      countryCode: 'ZZ',
      state: 'X',
      locality: 'X',
      validity: 1,
    });
    const cert = await createCert({ ca: otherCa, domains: ['127.0.0.1', 'localhost'], validity: 1 });
    const upstream = await servers.startUpstream((_req, res) => res.end('{}'), cert);
    await servers.startProxy({ extraHosts: [upstream.host] });
    const client = await servers.createClient();
    const response = await request(url('/api/2.0/clusters/list'), { dispatcher: client });
    expect(response.statusCode).toBe(502);
    const body = (await response.body.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('PROXY_UPSTREAM_TLS');
    expect(body.error.message).toMatch(
      new RegExp(
        `^The TLS connection to ${upstream.host.replace(/\./g, '\\.')} failed \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)`,
      ),
    );
    expect(upstream.seen).toHaveLength(0);
  });

  it('answers 502 with a TLS error when the workspace does not speak TLS at all', async () => {
    const { createServer } = await import('node:http');
    const plain = createServer((_req, res) => res.end('plain'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as { port: number }).port;
    const proxy = await servers.startProxy({ extraHosts: [`127.0.0.1:${port}`] });
    const client = await servers.createClient();
    try {
      const response = await request(`${proxy.origin}/databricks/127.0.0.1:${port}/api/2.0/clusters/list`, {
        dispatcher: client,
      });
      expect(response.statusCode).toBe(502);
      expect(((await response.body.json()) as { error: { code: string } }).error.code).toBe('PROXY_UPSTREAM_TLS');
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('answers 502 naming the host when DNS cannot resolve it', async () => {
    const failingDns = new Agent({
      connect: {
        lookup: (hostname, _options, callback) =>
          callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4),
      },
    });
    const proxy = await servers.startProxy({ extraHosts: ['workspace.invalid'], dispatcher: failingDns });
    const client = await servers.createClient();
    try {
      const response = await request(`${proxy.origin}/databricks/workspace.invalid/api/2.0/clusters/list`, {
        dispatcher: client,
      });
      expect(response.statusCode).toBe(502);
      const body = (await response.body.json()) as { error: { code: string; message: string } };
      expect(body.error).toEqual({
        code: 'PROXY_UPSTREAM_DNS',
        message:
          'The workspace host workspace.invalid could not be resolved (ENOTFOUND: getaddrinfo ENOTFOUND workspace.invalid). Check the workspace URL and your DNS or VPN (Private Link workspaces resolve only inside their network).',
      });
    } finally {
      await failingDns.close();
    }
  });

  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 'PROXY_UPSTREAM_TIMEOUT', 504],
    ['UND_ERR_BODY_TIMEOUT', 'PROXY_UPSTREAM_TIMEOUT', 504],
    ['EAI_AGAIN', 'PROXY_UPSTREAM_DNS', 502],
    ['CERT_HAS_EXPIRED', 'PROXY_UPSTREAM_TLS', 502],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'PROXY_UPSTREAM_TLS', 502],
    ['ECONNRESET', 'PROXY_UPSTREAM_UNREACHABLE', 502],
    ['EHOSTUNREACH', 'PROXY_UPSTREAM_UNREACHABLE', 502],
  ])('maps %s to %s (%i)', (code, expected, status) => {
    const error = classifyUpstreamError(Object.assign(new Error('x'), { code }), 'adb-1.2.azuredatabricks.net');
    expect(error.code).toBe(expected);
    expect(error.status).toBe(status);
    expect(error.host).toBe('adb-1.2.azuredatabricks.net');
    expect(error.causeCode).toBe(code);
  });

  it('finds the specific socket error inside undici’s generic one', () => {
    const inner = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const outer = Object.assign(new Error('other side closed', { cause: inner }), { code: 'UND_ERR_SOCKET' });
    expect(classifyUpstreamError(outer, 'h').causeCode).toBe('ECONNRESET');
  });
});

describe('client aborts', () => {
  it('aborts the upstream request when the browser gives up waiting', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const { proxy, client } = await setUp((_req, res) => {
      res.on('close', () => upstreamClosed());
      arrived();
    });
    const abort = new AbortController();
    const pending = request(url('/api/2.0/clusters/list'), { dispatcher: client, signal: abort.signal });
    await requestArrived;
    abort.abort();
    await expect(pending).rejects.toThrow();
    await closed;
    expect(proxy?.logs).toEqual([]);
  });

  /** An upstream that streams 128 MB unless the connection is cut first. */
  function endlessUpstream(state: { finished: boolean; closed: () => void }) {
    const chunk = Buffer.alloc(64 * 1024, 'z');
    return async (_req: unknown, res: import('node:http').ServerResponse) => {
      res.on('close', () => state.closed());
      res.writeHead(200);
      for (let i = 0; i < 2048 && !res.destroyed; i += 1) {
        if (!res.write(chunk)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              res.off('drain', done).off('close', done);
              resolve();
            };
            res.on('drain', done).on('close', done);
          });
        }
      }
      if (!res.destroyed) {
        res.end();
        state.finished = true;
      }
    };
  }

  it('aborts the upstream stream when the browser stops in the middle of the body over HTTP/1.1', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const state = { finished: false, closed };
    const { client } = await setUp(endlessUpstream(state));
    const abort = new AbortController();
    const response = await request(url('/api/2.0/fs/read'), { dispatcher: client, signal: abort.signal });
    await response.body[Symbol.asyncIterator]().next();
    abort.abort();
    await upstreamClosed;
    expect(state.finished).toBe(false);
  });

  it('aborts the upstream stream when the browser cancels its HTTP/2 stream in the middle of the body', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const state = { finished: false, closed };
    const { proxy } = await setUp(endlessUpstream(state));
    const { connect, constants } = await import('node:http2');
    const tls = await testTls();
    const session = connect(proxy?.origin ?? '', { ca: tls.ca });
    try {
      const stream = session.request({ ':path': new URL(url('/api/2.0/fs/read')).pathname });
      await once(stream, 'data');
      stream.close(constants.NGHTTP2_CANCEL);
      await upstreamClosed;
      expect(state.finished).toBe(false);
    } finally {
      session.destroy();
    }
  });
});

describe('connecting elsewhere (EXPLORER_PROXY_CONNECT_TO)', () => {
  const WORKSPACE = 'adb-1234567890123456.7.azuredatabricks.net';

  it("connects to the mapped address and still checks the workspace's own name", async () => {
    const tls = await testTls();
    const named = await issueLocalCertificate([WORKSPACE], dirname(tls.caPath));
    const upstream = await servers.startUpstream((_req, res) => res.end(CLUSTERS), named);
    const to = { host: '127.0.0.1', port: upstream.port };
    const proxy = await servers.startProxy({ connectTo: new Map([[`${WORKSPACE}:443`, to]]) });
    const client = await servers.createClient();
    const response = await request(`${proxy.origin}/databricks/${WORKSPACE}/api/2.0/clusters/list`, {
      dispatcher: client,
    });
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe(CLUSTERS);
    expect(upstream.seen[0]?.headers.host).toBe(WORKSPACE);
  });

  it('refuses a certificate that does not name the workspace, as without the mapping', async () => {
    const upstream = await servers.startUpstream((_req, res) => res.end(CLUSTERS)); // localhost's certificate
    const proxy = await servers.startProxy({
      connectTo: new Map([[`${WORKSPACE}:443`, { host: '127.0.0.1', port: upstream.port }]]),
    });
    const client = await servers.createClient();
    const response = await request(`${proxy.origin}/databricks/${WORKSPACE}/api/2.0/clusters/list`, {
      dispatcher: client,
    });
    expect(response.statusCode).toBe(502);
    expect(JSON.parse(await response.body.text())).toMatchObject({ error: { code: 'PROXY_UPSTREAM_TLS' } });
    expect(upstream.seen).toHaveLength(0);
  });
});
