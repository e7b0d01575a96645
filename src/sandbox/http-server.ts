import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';

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
