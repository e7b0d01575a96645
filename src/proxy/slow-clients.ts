import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Http2SecureServer, ServerHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';

/** Time limits for clients of a server we start, in milliseconds. */
export interface ConnectionLimits {
  /**
   * From a connection's start, or the end of its previous answer, until a request's headers are
   * complete (HTTP/1.1), or until an HTTP/2 connection's first request. Default 10 000.
   */
  headers?: number;
  /** An HTTP/2 connection with no request in flight is closed after this long. Default 120 000. */
  idle?: number;
}

export const DEFAULT_CONNECTION_LIMITS: Required<ConnectionLimits> = { headers: 10_000, idle: 120_000 };

/**
 * Closes connections that never finish their request headers (slowloris) or sit idle, on an
 * HTTPS server or the HTTP/2 + HTTP/1.1 server Vite runs. Node's own `headersTimeout` is not
 * applied to HTTP/1.1 connections of an HTTP/2 server (`allowHTTP1`), and HTTP/2 sessions have
 * no such limit at all, so the limits are kept here, per connection. A TLS handshake that never
 * completes gets the same `headers` limit (the server's own `handshakeTimeout`, 120 s by default,
 * does not close such connections in Vite's servers).
 */
export function limitSlowClients(server: Server | Http2SecureServer, limits: ConnectionLimits = {}): void {
  const { headers, idle } = { ...DEFAULT_CONNECTION_LIMITS, ...limits };
  const tls = 'setSecureContext' in server;
  const deadlines = new WeakMap<Socket, NodeJS.Timeout>();
  const arm = (socket: Socket, ms: number) => {
    clearTimeout(deadlines.get(socket));
    const timer = setTimeout(() => socket.destroy(), ms);
    timer.unref();
    deadlines.set(socket, timer);
  };
  const disarm = (socket: Socket) => clearTimeout(deadlines.get(socket));

  const onConnection = (socket: Socket & { alpnProtocol?: string | false }) => {
    // HTTP/2 connections are watched through their session below.
    if (socket.alpnProtocol === 'h2') return;
    arm(socket, headers);
    socket.once('close', () => disarm(socket));
  };
  server.on('secureConnection', (socket: Socket) => {
    clearTimeout(handshakes.get(connectionKey(socket)));
    handshakes.delete(connectionKey(socket));
    onConnection(socket);
  });
  // Before TLS: the raw connection, matched to its TLS socket by address and port.
  const handshakes = new Map<string, NodeJS.Timeout>();
  server.on('connection', (raw: Socket) => {
    if (!tls) {
      onConnection(raw);
      return;
    }
    const key = connectionKey(raw);
    const timer = setTimeout(() => {
      handshakes.delete(key);
      raw.destroy();
    }, headers);
    timer.unref();
    handshakes.set(key, timer);
    raw.once('close', () => {
      clearTimeout(timer);
      if (handshakes.get(key) === timer) handshakes.delete(key);
    });
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.httpVersionMajor !== 1) return;
    const socket = req.socket;
    disarm(socket);
    res.once('close', () => {
      if (!socket.destroyed) arm(socket, headers);
    });
  });

  // A WebSocket (Vite's hot reload) leaves HTTP: its connection is no longer ours to time.
  server.on('upgrade', (_req: IncomingMessage, socket: Socket) => {
    disarm(socket);
    // Alone, this listener would keep upgrade requests nobody handles open; Node closes those.
    if (server.listenerCount('upgrade') === 1) socket.destroy();
  });

  server.on('session', (session: ServerHttp2Session) => {
    let open = 0;
    let timer: NodeJS.Timeout | undefined;
    const closeAfter = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => session.destroy(), ms);
      timer.unref();
    };
    closeAfter(headers);
    session.on('stream', (stream) => {
      open += 1;
      clearTimeout(timer);
      stream.once('close', () => {
        open -= 1;
        if (open === 0 && !session.destroyed) closeAfter(idle);
      });
    });
    session.once('close', () => clearTimeout(timer));
  });
}

function connectionKey(socket: Socket): string {
  return `${socket.remoteAddress}|${socket.remotePort}|${socket.localPort}`;
}
