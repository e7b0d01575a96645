import type { IncomingMessage } from 'node:http';
import { isLocalConnection } from './loopback.ts';

/**
 * The header every call to a sandbox control API (`/_sandbox/…`) must carry, with the value `1`.
 * A custom header makes a browser's cross-origin request non-simple: the browser must first ask
 * with a CORS preflight, which the sandbox never grants, so a web page cannot reach the control
 * API even from this machine (where the loopback check alone would let it through).
 * @see https://fetch.spec.whatwg.org/#cors-safelisted-request-header
 */
export const CONTROL_HEADER = 'X-Sandbox-Control';

/**
 * Why a control request is refused, or `undefined` when it may proceed: it must come over
 * loopback (and not through the LAN listener, see {@link isLocalConnection}), carry
 * {@link CONTROL_HEADER}: 1, and not be a browser's cross-site request (`Sec-Fetch-Site` other
 * than `same-origin` or `none`).
 * @param lanAddress the address the server listens on for other machines in a team demo, if any
 */
export function controlRefusal(req: IncomingMessage, lanAddress?: string): string | undefined {
  if (!isLocalConnection(req.socket, lanAddress)) {
    const remote = req.socket.remoteAddress ?? '';
    return `The sandbox control API answers this machine's loopback clients only, not ${remote.slice(0, 60)} arriving at ${(req.socket.localAddress ?? '').slice(0, 60)}.`;
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `The sandbox control API refuses requests a web page sent (Sec-Fetch-Site: ${JSON.stringify(site.slice(0, 40))}). Call it from a test, a script or curl.`;
  }
  if (req.headers[CONTROL_HEADER.toLowerCase()] !== '1') {
    return `Sandbox control requests must carry the header ${CONTROL_HEADER}: 1 (it keeps web pages out), e.g. curl -H '${CONTROL_HEADER}: 1' ….`;
  }
  return undefined;
}
