/**
 * The team-demo journeys (lan.spec.ts): a `vite preview` with EXPLORER_LAN=1 whose LAN host name
 * is `explorer-lan.test` and whose LAN address is 127.0.0.2, a second loopback address standing in
 * for this machine's address on the network. Browsers reach the name through Chromium's resolver
 * rules; nothing else resolves it.
 */

/** The LAN host name colleagues use (`.test` is reserved: it never resolves by itself). */
export const LAN_HOST = 'explorer-lan.test';
/** The LAN address the server listens on: a loopback address other than 127.0.0.1. */
export const LAN_ADDRESS = '127.0.0.2';
/** `--host-resolver-rules` for a browser on the "LAN". */
export const LAN_RESOLVER_RULES = `MAP ${LAN_HOST} ${LAN_ADDRESS}`;

/** The app's port: E2E_PORT+80 (the sandbox on +81 and +82); +75 is the console spec's cross-site page. */
export function lanPort(previewPort = Number(process.env.E2E_PORT ?? 5273)): number {
  return previewPort + 80;
}
