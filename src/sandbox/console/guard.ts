import { isLocalConnection } from '../loopback.ts';
import { CONSOLE_PATH } from '../well-known.ts';
import type { IncomingMessage } from 'node:http';

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

/**
 * Why a request to the console is refused, or `undefined` when it may proceed.
 * - from loopback only, not through the LAN listener (see {@link isLocalConnection}), and addressed to a loopback name or `publicHost` (a page on another
 *   host name that resolves to this machine, DNS rebinding, is refused by its Host header);
 * - never a browser's cross-site or same-site request (`Sec-Fetch-Site`), nor one whose
 *   `Origin` is not the console's own;
 * - changes (POST) only with `Content-Type: application/json`: that makes a cross-origin
 *   request non-simple, so a browser must ask first with a CORS preflight, which is never granted.
 * @param lanAddress the address the sandbox listens on for other machines in a team demo, if any
 * @see https://fetch.spec.whatwg.org/#cors-safelisted-request-header
 * @see https://www.w3.org/TR/fetch-metadata/#sec-fetch-site-header
 */
export function consoleRefusal(req: IncomingMessage, publicHost: string, lanAddress?: string): string | undefined {
  if (!isLocalConnection(req.socket, lanAddress)) {
    const remote = req.socket.remoteAddress ?? '';
    return `The sandbox console answers this machine's loopback clients only, not ${remote.slice(0, 60)} arriving at ${(req.socket.localAddress ?? '').slice(0, 60)}. Open it on this machine at https://localhost:${publicHost.split(':').pop()}${CONSOLE_PATH}.`;
  }
  const host = req.headers.host ?? '';
  if (!LOOPBACK_HOST.test(host) && host.toLowerCase() !== publicHost.toLowerCase())
    return `The sandbox console answers requests to localhost or ${publicHost} only, not to ${JSON.stringify(host.slice(0, 100))}.`;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return `The sandbox console refuses requests from other web pages (Sec-Fetch-Site: ${JSON.stringify(site.slice(0, 40))}). Open the console itself.`;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `https://${host}`)
    return `The sandbox console refuses requests from other origins (${JSON.stringify(origin.slice(0, 100))}). Open the console itself.`;
  if (req.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json')
      return `Console changes need Content-Type: application/json (it keeps other web pages out), not ${JSON.stringify((req.headers['content-type'] ?? '').slice(0, 60))}.`;
  }
  return undefined;
}
