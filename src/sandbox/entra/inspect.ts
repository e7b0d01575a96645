import type { Directory } from './directory.ts';
import type { EntraStore } from './store.ts';

/** The protocol state a presenter may look at: never a session cookie, code or token value. */
export interface EntraInspection {
  sessions: { accounts: { upn: string; signedInAt: number; mfa: boolean }[] }[];
  /** Refresh tokens not revoked, per user and client. */
  refreshTokens: { upn: string; clientId: string; count: number }[];
  /** Consents given on the consent page: `resource/scope` per user and client. */
  consents: { upn: string; clientId: string; scopes: string[] }[];
}

/** Sessions, live refresh tokens and consents given on the consent page, by user: never a secret. */
export function inspectStore(store: EntraStore, directory: Directory): EntraInspection {
  const upnOf = (oid: string) => directory.findUserByOid(oid)?.upn ?? oid;
  const refresh = new Map<string, { upn: string; clientId: string; count: number }>();
  for (const record of store.refreshTokens.values()) {
    if (record.revoked) continue;
    const key = `${record.clientId}|${record.userOid}`;
    const entry = refresh.get(key) ?? { upn: upnOf(record.userOid), clientId: record.clientId, count: 0 };
    entry.count += 1;
    refresh.set(key, entry);
  }
  return {
    sessions: [...store.sessions.values()]
      .filter((session) => session.accounts.size > 0)
      .map((session) => ({
        accounts: [...session.accounts.values()].map((account) => ({
          upn: upnOf(account.oid),
          signedInAt: account.authTime,
          mfa: account.mfa,
        })),
      })),
    refreshTokens: [...refresh.values()],
    consents: [...store.consents.entries()]
      .filter(([, scopes]) => scopes.size > 0)
      .map(([key, scopes]) => {
        const [clientId = '', oid = ''] = key.split('|');
        return { upn: upnOf(oid), clientId, scopes: [...scopes] };
      }),
  };
}
