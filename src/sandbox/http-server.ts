import { createServer, type AddressInfo, type Server } from 'node:net';

/**
 * Binds `server` to `host:port` (port 0 picks a free one) and resolves with the bound port.
 * @throws the listen error (e.g. EADDRINUSE) when the port cannot be bound.
 */
export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/**
 * Opens a second listener for `server` on `host:port` (a team demo's LAN address beside the
 * loopback one) and hands it every connection, so one HTTPS server answers on both addresses. A
 * Node server listens on one address only, and the same port on a specific address and on the
 * wildcard cannot be bound together on Linux, hence a plain TCP listener passing connections on.
 * Close the returned server with the main one.
 * @throws the listen error (e.g. EADDRNOTAVAIL when `host` is not an address of this machine)
 * @see https://nodejs.org/api/net.html#event-connection
 */
async function listenAlso(server: Server, port: number, host: string): Promise<Server> {
  const relay = createServer((socket) => server.emit('connection', socket));
  await listen(relay, port, host);
  return relay;
}

/**
 * Binds an HTTP(S) server to `host:port` and, when `lanAddress` is another address, to the same
 * port there too ({@link listenAlso}). Resolves with the bound port and a `close` that stops both
 * listeners and ends open connections; when the second bind fails the first is closed again.
 * @throws the listen error of either address
 */
export async function listenWithLan(
  server: Server & { closeAllConnections(): void },
  port: number,
  host: string,
  lanAddress: string | undefined,
): Promise<{ port: number; close(): Promise<void> }> {
  const bound = await listen(server, port, host);
  let relay: Server | undefined;
  if (lanAddress !== undefined && lanAddress !== host) {
    relay = await listenAlso(server, bound, lanAddress).catch(async (error: unknown) => {
      await closeServer(server);
      throw error;
    });
  }
  return {
    port: bound,
    close: async () => {
      relay?.close();
      await closeServer(server);
    },
  };
}

/** Stops accepting connections and ends the open ones (keep-alive included). */
export function closeServer(server: Server & { closeAllConnections(): void }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** The server's base URL without a trailing slash: `publicUrl` when given, else `https://host:port`. */
export function baseUrl(host: string, port: number, publicUrl?: string): string {
  return (publicUrl ?? `https://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
}
