/**
 * Shared pieces for the proxy tests: local TLS material in a temporary state folder, an HTTPS
 * upstream on 127.0.0.1 that counts connections and requests, the proxy behind an HTTP/2 + HTTP/1
 * TLS server (as Vite serves it), and a client that trusts the local CA.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createProxyMiddleware, type ProxyMiddleware, type ProxyOptions } from '../../src/proxy/middleware.ts';
import { ensureLocalTls, type LocalTls } from '../../src/sandbox/tls.ts';

let tlsPromise: Promise<LocalTls> | undefined;
let stateDir: string | undefined;

/** The local CA and localhost certificate, generated once per test file in a temporary folder. */
export function testTls(): Promise<LocalTls> {
  if (!tlsPromise) {
    stateDir = mkdtempSync(join(tmpdir(), 'explorer-proxy-test-'));
    tlsPromise = ensureLocalTls(join(stateDir, 'tls'));
  }
  return tlsPromise;
}

/** Removes the temporary TLS folder (call from afterAll). */
export function removeTestTls(): void {
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  stateDir = undefined;
  tlsPromise = undefined;
}

/** What the upstream saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Upstream {
  /** `127.0.0.1:port`, as the proxy path names it. */
  host: string;
  port: number;
  seen: SeenRequest[];
  connections: number;
  server: HttpsServer;
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1:0 with the local certificate, recording what reaches it. */
export async function startUpstream(
  handler: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void,
  tls?: { key: string; cert: string },
): Promise<Upstream> {
  const pair = tls ?? (await testTls());
  const upstream = { seen: [] as SeenRequest[], connections: 0 } as Upstream;
  const server = createHttpsServer({ key: pair.key, cert: pair.cert }, (req, res) => {
    const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' };
    upstream.seen.push(seen);
    if (req.method === 'GET') {
      handler(req, res, seen);
      return;
    }
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      seen.body += chunk;
    });
    req.on('end', () => handler(req, res, seen));
  });
  server.on('secureConnection', () => {
    upstream.connections += 1;
  });
  await listen(server);
  const port = (server.address() as AddressInfo).port;
  return Object.assign(upstream, {
    host: `127.0.0.1:${port}`,
    port,
    server,
    close: () => closeServer(server),
  });
}

export interface ProxyServer {
  /** `https://127.0.0.1:port` */
  origin: string;
  proxy: ProxyMiddleware;
  logs: string[];
  server: Http2SecureServer;
  close(): Promise<void>;
}

/**
 * The proxy middleware behind a TLS server that speaks HTTP/2 and HTTP/1.1, like Vite's; other
 * paths get 404 from a final handler, as Vite's own middlewares would answer them.
 */
export async function startProxy(options: ProxyOptions = {}): Promise<ProxyServer> {
  const tls = await testTls();
  const logs: string[] = [];
  const proxy = createProxyMiddleware({ extraCa: tls.ca, log: (line) => logs.push(line), ...options });
  const server = createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true }, (req, res) => {
    const request = req as unknown as IncomingMessage;
    const response = res as unknown as ServerResponse;
    proxy(request, response, (err) => {
      response.statusCode = err ? 500 : 404;
      response.end(err ? 'error' : 'not the proxy');
    });
  });
  await listen(server);
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `https://127.0.0.1:${port}`,
    proxy,
    logs,
    server,
    close: async () => {
      await proxy.close();
      await closeServer(server);
    },
  };
}

/** A client that trusts the local CA; `allowH2` talks HTTP/2 to the proxy as browsers do. */
export async function createClient(options: { allowH2?: boolean } = {}): Promise<Agent> {
  const tls = await testTls();
  return new Agent({ connect: { ca: tls.ca }, allowH2: options.allowH2 ?? false });
}

const sockets = new WeakMap<object, Set<Socket>>();

export function listen(server: HttpsServer | Http2SecureServer): Promise<void> {
  const open = new Set<Socket>();
  sockets.set(server, open);
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

/** Closes the server and cuts its remaining connections (HTTP/2 sessions do not end on close()). */
export function closeServer(server: HttpsServer | Http2SecureServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const socket of sockets.get(server) ?? []) socket.destroy();
  });
}

/** Starts the servers and clients of one test; whatever it started is closed after the test. */
export interface ProxyTestServers {
  startUpstream(...args: Parameters<typeof startUpstream>): Promise<Upstream>;
  startProxy(options?: ProxyOptions): Promise<ProxyServer>;
  createClient(options?: { allowH2?: boolean }): Promise<Agent>;
  /** The upstream the test started last. */
  readonly upstream: Upstream | undefined;
  /** The proxy the test started last. */
  readonly proxy: ProxyServer | undefined;
}

/**
 * Registers a file's hooks for tests that each start their own upstream, proxy and client (port 0,
 * milliseconds): the local CA and certificate are generated once in `beforeAll` (seconds on a busy
 * machine, so never inside a test); what a test started is closed after it, last started first
 * (closing a server the test closed itself again is harmless); the state folder is removed after all.
 */
export function setUpProxyServers(): ProxyTestServers {
  let closers: (() => Promise<void>)[] = [];
  let upstream: Upstream | undefined;
  let proxy: ProxyServer | undefined;
  const track = <T extends { close(): Promise<void> }>(thing: T): T => {
    closers.push(() => thing.close());
    return thing;
  };
  beforeAll(() => testTls());
  afterEach(async () => {
    const started = closers.reverse();
    closers = [];
    upstream = proxy = undefined;
    for (const close of started) await close();
  });
  afterAll(() => removeTestTls());
  return {
    async startUpstream(...args) {
      upstream = track(await startUpstream(...args));
      return upstream;
    },
    async startProxy(options) {
      proxy = track(await startProxy(options));
      return proxy;
    },
    async createClient(options) {
      return track(await createClient(options));
    },
    get upstream() {
      return upstream;
    },
    get proxy() {
      return proxy;
    },
  };
}
