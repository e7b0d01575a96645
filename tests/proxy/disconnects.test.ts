/**
 * A browser that goes away in the middle of a download must never leave the proxy's upstream
 * request open: every way a downstream request can end (stream reset, session or socket closed,
 * request aborted) aborts the upstream one, over HTTP/1.1 and HTTP/2, while the proxy is paused
 * by backpressure. Afterwards the upstream has no connection left open.
 */
import { connect, constants } from 'node:http2';
import type { ServerResponse } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import { connect as tcpConnect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { setUpProxyServers, testTls, type Upstream } from './helpers.ts';

const servers = setUpProxyServers();

/** Open upstream sockets, counted from the upstream server's side. */
function openUpstreamSockets(server: Upstream['server']): () => number {
  let open = 0;
  server.on('secureConnection', (socket) => {
    open += 1;
    socket.once('close', () => {
      open -= 1;
    });
  });
  return () => open;
}

/** Resolves once `condition()` holds (checked every 20 ms; the test's timeout bounds the wait). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Streams 50 MB with backpressure; counts how many bodies were cut before the end. */
function fiftyMegabytes(stats: { started: number; cut: number; finished: number; blockedSince: number }) {
  const chunk = Buffer.alloc(64 * 1024, 'z');
  return async (_req: unknown, res: ServerResponse) => {
    stats.started += 1;
    res.on('close', () => {
      if (!res.writableFinished) stats.cut += 1;
    });
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    for (let i = 0; i < 800 && !res.destroyed; i += 1) {
      if (!res.write(chunk)) {
        stats.blockedSince = Date.now();
        await new Promise<void>((resolve) => {
          const done = () => {
            stats.blockedSince = 0;
            res.off('drain', done).off('close', done);
            resolve();
          };
          res.on('drain', done).on('close', done);
        });
      }
    }
    if (!res.destroyed) {
      res.end();
      stats.finished += 1;
    }
  };
}

async function setUp(timeouts: { idle?: number } = {}) {
  const stats = { started: 0, cut: 0, finished: 0, blockedSince: 0 };
  const upstream = await servers.startUpstream(fiftyMegabytes(stats));
  const open = openUpstreamSockets(upstream.server);
  const proxy = await servers.startProxy({ extraHosts: [upstream.host], timeouts });
  const path = `/databricks/${upstream.host}/api/2.0/fs/read`;
  return { stats, open, path, origin: proxy.origin };
}

const ROUNDS = 8;

/** An HTTP/2 download that has its response headers and that the client does not read. */
async function pausedDownload(origin: string, ca: string, path: string) {
  const session = connect(origin, { ca });
  const stream = session.request({ ':path': path });
  stream.pause();
  await new Promise<void>((resolve) => stream.once('response', () => resolve()));
  return { session, stream };
}

/**
 * A TCP relay standing in for the client's end of the connection, so the test can stop reading
 * (the proxy's kernel buffers fill and its writes block) and then reset the connection.
 */
async function startRelay(target: URL) {
  let current: { client: Socket; upstream: Socket } | undefined;
  const server = createTcpServer((client) => {
    const toProxy = tcpConnect({ host: target.hostname, port: Number(target.port) });
    current = { client, upstream: toProxy };
    client.pipe(toProxy);
    toProxy.pipe(client);
    client.on('error', () => {});
    toProxy.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    stopReading() {
      current?.upstream.unpipe();
      current?.upstream.pause();
    },
    reset() {
      current?.upstream.resetAndDestroy();
      current?.client.destroy();
      current = undefined;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('a client that disconnects in the middle of a download', { timeout: 30_000 }, () => {
  it.each([
    ['closes its HTTP/2 connection', 'session'],
    ['resets its HTTP/2 stream', 'stream'],
  ] as const)('%s: every upstream request is aborted and no upstream connection stays open', async (_name, how) => {
    const { stats, open, path, origin } = await setUp();
    const { ca } = await testTls();
    for (let round = 0; round < ROUNDS; round += 1) {
      // The client stops reading: the proxy fills the stream's window and pauses upstream.
      const { session, stream } = await pausedDownload(origin, ca, path);
      await until(() => stats.started > round);
      if (how === 'session') session.destroy();
      else stream.close(constants.NGHTTP2_CANCEL);
      if (how === 'stream') session.close();
    }
    await until(() => stats.cut + stats.finished === ROUNDS && open() === 0);
    expect(stats).toMatchObject({ started: ROUNDS, cut: ROUNDS, finished: 0 });
  });

  it('vanishes while the proxy waits for it to read (HTTP/2, connection reset with unread data, like curl -m)', async () => {
    const { stats, open, path, origin } = await setUp({ idle: 500 });
    const { ca } = await testTls();
    const relay = await startRelay(new URL(origin));
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        // A client with a large window, as curl and browsers have: only TCP stops the proxy.
        const session = connect(`https://localhost:${relay.port}`, {
          ca,
          servername: 'localhost',
          settings: { initialWindowSize: 2 ** 31 - 1 },
        });
        session.on('error', () => {});
        session.once('connect', () => session.setLocalWindowSize(2 ** 31 - 1));
        const stream = session.request({ ':path': path });
        stream.on('error', () => {});
        await new Promise<void>((resolve) => stream.once('response', () => resolve()));
        await until(() => stats.started > round);
        // The client stops reading from its socket, the proxy's send buffer fills, then the
        // connection is reset with data still unread (what the kernel does when curl exits).
        relay.stopReading();
        // Wait until the whole chain is blocked: the proxy stopped reading from the workspace.
        await until(() => (stats.blockedSince > 0 && Date.now() - stats.blockedSince > 100) || stats.cut > round);
        relay.reset();
        session.destroy();
      }
      await until(() => stats.cut + stats.finished === ROUNDS && open() === 0);
      expect(stats).toMatchObject({ started: ROUNDS, cut: ROUNDS, finished: 0 });
    } finally {
      await relay.close();
    }
  });

  it.each([['HTTP/1.1 socket closed', 'socket']] as const)(
    '%s: the upstream request is aborted and no upstream connection stays open',
    async () => {
      const { stats, open, path, origin } = await setUp();
      const { ca } = await testTls();
      const url = new URL(origin);
      for (let round = 0; round < ROUNDS; round += 1) {
        const socket = tlsConnect({ host: url.hostname, port: Number(url.port), ca, ALPNProtocols: ['http/1.1'] });
        await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
        socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
        await new Promise<void>((resolve) => socket.once('data', () => resolve()));
        socket.pause();
        await until(() => stats.started > round);
        socket.destroy();
      }
      await until(() => stats.cut + stats.finished === ROUNDS && open() === 0);
      expect(stats).toMatchObject({ started: ROUNDS, cut: ROUNDS, finished: 0 });
    },
  );

  it('a normal request afterwards is answered at once', async () => {
    const { stats, path, origin } = await setUp();
    const { ca } = await testTls();
    for (let round = 0; round < ROUNDS; round += 1) {
      const { session } = await pausedDownload(origin, ca, path);
      session.destroy();
    }
    await until(() => stats.cut === ROUNDS);
    const session = connect(origin, { ca });
    try {
      const stream = session.request({ ':path': path });
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      await new Promise((resolve) => stream.once('end', resolve));
      expect(bytes).toBe(800 * 64 * 1024);
    } finally {
      session.destroy();
    }
  });
});
