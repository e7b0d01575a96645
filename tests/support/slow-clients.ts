/**
 * Clients that never finish a request, for the tests of the servers' connection limits: raw TCP
 * without a TLS handshake, HTTP/1.1 headers left unfinished or trickled, HTTP/2 connections that
 * say nothing or only their preface. Loopback only, a bounded number of each.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

export type SlowKind =
  | 'no TLS handshake'
  | 'HTTP/1.1 headers never finished'
  | 'HTTP/1.1 headers trickled'
  | 'HTTP/2 silent'
  | 'HTTP/2 preface only';

/** `perKind` sockets of each slow kind, on loopback. */
export function slowClients(
  port: number,
  ca: string,
  perKind: number,
  kinds?: readonly SlowKind[],
): { kind: SlowKind; socket: Socket }[] {
  const tlsTo = (alpn: string, onReady: (socket: TLSSocket) => void) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost', ALPNProtocols: [alpn] });
    socket.once('secureConnect', () => onReady(socket));
    return socket;
  };
  const make: Record<SlowKind, () => Socket> = {
    'no TLS handshake': () => tcpConnect({ host: '127.0.0.1', port }),
    'HTTP/1.1 headers never finished': () =>
      tlsTo('http/1.1', (socket) => socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n')),
    'HTTP/1.1 headers trickled': () =>
      tlsTo('http/1.1', (socket) => {
        socket.write('GET / HTTP/1.1\r\n');
        const timer = setInterval(() => socket.write('X-Slow: 1\r\n'), 100);
        socket.once('close', () => clearInterval(timer));
      }),
    'HTTP/2 silent': () => tlsTo('h2', () => {}),
    'HTTP/2 preface only': () => tlsTo('h2', (socket) => socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')),
  };
  return (kinds ?? (Object.keys(make) as SlowKind[])).flatMap((kind) =>
    Array.from({ length: perKind }, () => {
      const socket = make[kind]();
      socket.on('error', () => {});
      socket.resume();
      return { kind, socket };
    }),
  );
}

/**
 * Resolves when the server has closed the socket (the test's timeout bounds the wait), with
 * whether the TLS handshake had succeeded: a socket that failed its handshake proves nothing.
 */
export function closedAfter(kind: SlowKind, socket: Socket): Promise<{ kind: SlowKind; handshook: boolean }> {
  return new Promise((resolve) =>
    socket.once('close', () =>
      resolve({ kind, handshook: kind === 'no TLS handshake' || (socket as TLSSocket).authorized === true }),
    ),
  );
}
