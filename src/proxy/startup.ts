import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:net';
import { LOCAL_CA_PATH } from './local-ca.ts';
import { ServerStartError } from './errors.ts';
import type { LanSettings, ServerSettings } from './settings.ts';

/**
 * LAN mode is for `npm start` (the built app) only: the dev server serves the source tree, its
 * module graph and Vite's `/__open-in-editor` endpoint, which would all reach the network.
 * @throws ServerStartError `SERVER_LAN_ON_DEV_SERVER` when `EXPLORER_LAN` is on for `vite` (dev)
 */
export function refuseLanOnDevServer(settings: ServerSettings, devServer: boolean): void {
  if (!settings.lan || !devServer) return;
  throw new ServerStartError(
    'SERVER_LAN_ON_DEV_SERVER',
    "EXPLORER_LAN=1 is refused for the dev server (npm run dev): it would expose the source tree and Vite's /__open-in-editor endpoint to everyone on the network. For a team demo, serve the built app with EXPLORER_LAN=1 npm start, or unset EXPLORER_LAN.",
  );
}

/**
 * Checks that each port is free on `host` before anything starts, so a port in use ends in one
 * clear sentence instead of a stack trace from whichever server tried it first.
 * @throws ServerStartError `SERVER_PORT_IN_USE` naming the port, what needs it and what to do
 */
export async function ensurePortsFree(host: string, ports: readonly { port: number; what: string }[]): Promise<void> {
  for (const { port, what } of ports) {
    const problem = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const probe = createServer();
      probe.once('error', (error: NodeJS.ErrnoException) => resolve(error));
      probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(undefined)));
    });
    if (problem === undefined) continue;
    if (problem.code === 'EADDRNOTAVAIL') {
      throw new ServerStartError(
        'SERVER_PORT_IN_USE',
        `Cannot listen on ${host} (${what}, port ${port}): it is not an address of this machine. Set EXPLORER_LAN_ADDRESS to one of this machine's addresses, or unset it to listen on every interface.`,
        { cause: problem },
      );
    }
    const why = problem.code === 'EADDRINUSE' ? 'is in use' : `cannot be opened (${problem.code ?? problem.message})`;
    throw new ServerStartError(
      'SERVER_PORT_IN_USE',
      `Port ${port} on ${host} (${what}) ${why}. Another copy of the app may be running: stop it, or start on other ports with PORT=<port> (the sandbox takes PORT+1 and PORT+2).`,
      { cause: problem },
    );
  }
}

/**
 * What to expect from the browser about the local certificate, and how to trust the local CA
 * instead, per system and browser; printed once at start.
 */
export function certificateNotice(caPath: string, appOrigin: string): string[] {
  return [
    `HTTPS uses a certificate from this project's local CA, so the browser warns at ${appOrigin} until you accept it (once per origin, also for the sandbox's) or trust ${caPath}:`,
    `  Chrome/Edge on Linux: Settings → Privacy and security → Security → Manage certificates → Authorities → Import (trust for websites)`,
    `  Firefox (any system): Settings → Privacy & Security → Certificates → View Certificates → Authorities → Import`,
    `  macOS (Safari, Chrome): open the file in Keychain Access, add it to "login", set "Always Trust"`,
    `  Windows (Edge, Chrome): certutil -user -addstore Root "${caPath}"`,
  ];
}

/**
 * What the presenter reads out to colleagues in LAN mode: the address to open, where to download
 * the local CA's certificate (public, never its key) and the fingerprint to compare before
 * trusting it, and, with the sandbox, the console that stays on this machine.
 * @param caPem the local CA's certificate
 * @param consoleUrl the presenter console's URL on this machine, with the sandbox
 */
export function lanNotice(lan: LanSettings, caPem: string, consoleUrl?: string): string[] {
  const fingerprint = new X509Certificate(caPem).fingerprint256;
  return [
    '',
    `  Team demo (EXPLORER_LAN=1): colleagues on this network open ${lan.appOrigin}/`,
    `  They trust the local CA first: download ${lan.appOrigin}${LOCAL_CA_PATH} (accept the warning once, or curl -k),`,
    `  check its SHA-256 fingerprint is ${fingerprint}`,
    '  (Chrome: the certificate viewer; openssl x509 -noout -fingerprint -sha256 -in local-ca.pem), then import it as an authority.',
    ...(consoleUrl ? [`  The presenter console stays on this machine: ${consoleUrl}`] : []),
    '  Anyone on this network can use the app while it runs; stop the server after the demo.',
  ];
}

/**
 * An error that Vite prints as its message alone (Vite prints `util.inspect(error)` when start-up
 * fails: the stack, the fields and the causes). For errors whose message says everything a person
 * needs (settings, ports, the sandbox configuration file).
 */
export function withoutStackTrace(error: Error): Error {
  const plain = new Error(error.message);
  plain.stack = error.message;
  return plain;
}
