import type { AuthenticationResult } from '@azure/msal-browser';

/**
 * What tabs of the app with the same sign-in configuration tell each other over a
 * `BroadcastChannel` (same origin only): sign-ins, account switches and sign-outs, and the
 * question a freshly opened signed-out tab asks.
 */
export type TabMessage =
  | { type: 'signed-in'; result: AuthenticationResult }
  | { type: 'account-selected'; result: AuthenticationResult }
  /** The account switch, when no token could be had to share: the other tabs pick the account from their cache. */
  | { type: 'account-selected'; homeAccountId: string; username: string }
  | { type: 'signed-out'; all: true }
  | { type: 'signed-out'; homeAccountId: string; username: string }
  /** A signed-out tab asks whether another tab is signed in; that tab answers with `session`. */
  | { type: 'who-is-signed-in' }
  | { type: 'session'; result: AuthenticationResult };

/** Tabs of the app with the same sign-in configuration talk on one channel; other configurations never hear them. */
const CHANNEL_PREFIX = 'explorer-auth';

/** The channel between this tab and the others, for one sign-in configuration. */
export interface TabChannel {
  post(message: TabMessage): void;
  /** Calls `listener` with each well-formed message another tab sends; anything else is ignored. */
  onMessage(listener: (message: TabMessage) => void): void;
}

/** Opens the channel for this client and authority; `undefined` where the browser has no BroadcastChannel. */
export function openTabChannel(config: { clientId: string; authority: string }): TabChannel | undefined {
  if (typeof BroadcastChannel !== 'function') return undefined;
  const channel = new BroadcastChannel(`${CHANNEL_PREFIX}:${config.clientId}:${config.authority}`);
  return {
    post: (message) => channel.postMessage(message),
    onMessage: (listener) =>
      channel.addEventListener('message', (event: MessageEvent) => {
        const message = parseTabMessage(event.data);
        if (message !== undefined) listener(message);
      }),
  };
}

/** The message `data` holds, or `undefined` when it is not one this app sends. */
export function parseTabMessage(data: unknown): TabMessage | undefined {
  if (!isRecord(data)) return undefined;
  switch (data.type) {
    case 'signed-in':
    case 'session':
      return isAuthenticationResult(data.result) ? { type: data.type, result: data.result } : undefined;
    case 'account-selected':
      if (isAuthenticationResult(data.result)) return { type: 'account-selected', result: data.result };
      return typeof data.homeAccountId === 'string' && data.homeAccountId !== '' && typeof data.username === 'string'
        ? { type: 'account-selected', homeAccountId: data.homeAccountId, username: data.username }
        : undefined;
    case 'signed-out':
      if (data.all === true) return { type: 'signed-out', all: true };
      return typeof data.homeAccountId === 'string' && typeof data.username === 'string'
        ? { type: 'signed-out', homeAccountId: data.homeAccountId, username: data.username }
        : undefined;
    case 'who-is-signed-in':
      return { type: 'who-is-signed-in' };
    default:
      return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Enough of MSAL's result to adopt it: the tokens and an account with its home account ID and username. */
function isAuthenticationResult(value: unknown): value is AuthenticationResult {
  return (
    isRecord(value) &&
    typeof value.accessToken === 'string' &&
    typeof value.idToken === 'string' &&
    isRecord(value.account) &&
    typeof value.account.homeAccountId === 'string' &&
    typeof value.account.username === 'string'
  );
}
