/** Loopback addresses: `127.0.0.0/8`, `::1`, and IPv4 loopback mapped into IPv6 (`::ffff:127.…`). */
const LOOPBACK_ADDRESS = /^(127\.|::1$|::ffff:127\.)/;

/** Whether a socket's remote address is this machine. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return LOOPBACK_ADDRESS.test(address ?? '');
}

/** `localhost`, `127.0.0.1` or `[::1]`. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/**
 * Whether a connection is this machine talking to itself over loopback, and did not arrive at the
 * LAN address: both ends are loopback addresses, and the address it arrived at is not `lanAddress`.
 * Judged by the socket's own addresses (where it came from and where it arrived), never by a
 * header. The arrival address is what tells a team demo's LAN listener apart: in tests a second
 * loopback address (127.0.0.2) stands in for the LAN, and a request arriving there is a
 * colleague's, whatever its source address.
 * @param lanAddress the address the sandbox listens on for other machines, if any
 */
export function isLocalConnection(
  socket: { remoteAddress?: string | undefined; localAddress?: string | undefined },
  lanAddress?: string,
): boolean {
  const arrived = (socket.localAddress ?? '').replace(/^::ffff:/, '');
  return (
    isLoopbackAddress(socket.remoteAddress) &&
    isLoopbackAddress(arrived) &&
    (lanAddress === undefined || arrived !== lanAddress.replace(/^::ffff:/, ''))
  );
}
