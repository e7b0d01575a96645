import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxApp } from '../config-schema.ts';
import type { Platform, RequestedScopes, TenantRef } from './directory.ts';

/** A validated `/authorize` request, kept while the user signs in. */
export interface AuthorizeRequest {
  tenant: TenantRef;
  app: SandboxApp;
  redirectUri: string;
  platform: Platform;
  responseMode: 'query' | 'fragment' | 'form_post';
  scopes: RequestedScopes;
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain' | undefined;
  prompt: 'login' | 'select_account' | 'consent' | 'none' | undefined;
  loginHint: string | undefined;
  sid: string | undefined;
  /** `client_info=1` was sent: the response carries `client_info`, as Entra's does only then. */
  clientInfo: boolean;
  correlationId: string;
}

/** A sign-in in progress (between the sign-in, MFA and consent pages). */
export interface Interaction {
  id: string;
  request: AuthorizeRequest;
  userOid: string | undefined;
  mfaDone: boolean;
  consentDone: boolean;
  expiresAt: number;
}

export interface SessionAccount {
  oid: string;
  authTime: number;
  mfa: boolean;
}

/** The single sign-on session behind the session cookie. */
export interface Session {
  id: string;
  /** Sent as `session_state` and the `sid` claim; not the cookie value. */
  sessionState: string;
  accounts: Map<string, SessionAccount>;
}

export interface CodeRecord {
  clientId: string;
  redirectUri: string;
  platform: Platform;
  scopes: RequestedScopes;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain' | undefined;
  userOid: string;
  tenantId: string;
  sid: string;
  amr: string[];
  expiresAt: number;
  redeemed: boolean;
  /** Refresh-token family started by this code, revoked if the code is replayed. */
  familyId: string;
}

export interface RefreshRecord {
  clientId: string;
  userOid: string;
  tenantId: string;
  platform: Platform;
  scope: string;
  sid: string;
  amr: string[];
  familyId: string;
  issuedAt: number;
  /** Single-page apps: fixed expiry from sign-in. */
  absoluteExpiresAt: number | undefined;
  revoked: boolean;
}

const MAX_ENTRIES = 200_000;

/** Sign-ins in progress kept at most; beyond it the oldest is forgotten (its sign-in page then fails). */
export const MAX_PENDING_SIGN_INS = 1000;
/** Bytes of sign-in requests in progress kept at most (each is at most ~16 KiB: state, scope, hints). */
export const MAX_PENDING_SIGN_IN_BYTES = 4 * 1024 * 1024;

/**
 * The sign-ins in progress, bounded by count and by size, oldest dropped first: every `/authorize`
 * request makes one, and any web page can send those (as `no-cors` fetches) to the sandbox running
 * inside `npm start`, so unbounded they would grow the app's process without limit.
 */
export class PendingSignIns extends Map<string, Interaction> {
  private sizes = new Map<string, number>();
  /** Estimated bytes held: the request's strings, as their UTF-16 length. */
  bytes = 0;

  constructor(
    private readonly maxCount = MAX_PENDING_SIGN_INS,
    private readonly maxBytes = MAX_PENDING_SIGN_IN_BYTES,
  ) {
    super();
  }

  override set(id: string, interaction: Interaction): this {
    this.delete(id);
    const size = 2 * JSON.stringify(interaction.request).length + 256;
    super.set(id, interaction);
    this.sizes.set(id, size);
    this.bytes += size;
    for (const oldest of this.keys()) {
      if (this.size <= this.maxCount && this.bytes <= this.maxBytes) break;
      if (oldest === id) break;
      this.delete(oldest);
    }
    return this;
  }

  override delete(id: string): boolean {
    this.bytes -= this.sizes.get(id) ?? 0;
    this.sizes.delete(id);
    return super.delete(id);
  }

  override clear(): void {
    super.clear();
    this.sizes.clear();
    this.bytes = 0;
  }
}

/** In-memory protocol state: interactions, sessions, codes, refresh tokens, runtime consents. */
export class EntraStore {
  readonly interactions = new PendingSignIns();
  readonly sessions = new Map<string, Session>();
  readonly codes = new Map<string, CodeRecord>();
  readonly refreshTokens = new Map<string, RefreshRecord>();
  /** `${clientId}|${oid}` → `${resource}/${scope}` granted on the consent page. */
  readonly consents = new Map<string, Set<string>>();
  private writes = 0;

  newInteraction(request: AuthorizeRequest, now: number): Interaction {
    this.prune(now);
    const interaction: Interaction = {
      id: secret(24),
      request,
      userOid: undefined,
      mfaDone: false,
      consentDone: false,
      expiresAt: now + 30 * 60_000,
    };
    this.interactions.set(interaction.id, interaction);
    return interaction;
  }

  newSession(): Session {
    const session: Session = { id: secret(32), sessionState: randomUUID(), accounts: new Map() };
    this.sessions.set(session.id, session);
    return session;
  }

  newCode(record: CodeRecord, now: number): string {
    this.prune(now);
    const code = `1.${secret(48)}`;
    this.codes.set(code, record);
    return code;
  }

  newRefreshToken(record: RefreshRecord, now: number): string {
    this.prune(now);
    const token = `1.${secret(64)}`;
    this.refreshTokens.set(token, record);
    return token;
  }

  revokeFamily(familyId: string): void {
    for (const record of this.refreshTokens.values()) if (record.familyId === familyId) record.revoked = true;
  }

  /** Revokes every refresh token the user holds and signs them out of every session. */
  revokeUser(oid: string): void {
    for (const record of this.refreshTokens.values()) if (record.userOid === oid) record.revoked = true;
    for (const session of this.sessions.values()) session.accounts.delete(oid);
  }

  consentsOf(clientId: string, oid: string): Set<string> {
    const key = `${clientId}|${oid}`;
    let granted = this.consents.get(key);
    if (granted === undefined) {
      granted = new Set();
      this.consents.set(key, granted);
    }
    return granted;
  }

  /** Drops expired codes and interactions now and then, so long benchmark runs stay bounded. */
  private prune(now: number): void {
    if (++this.writes % 1000 !== 0) return;
    for (const [key, value] of this.codes) if (value.expiresAt < now) this.codes.delete(key);
    for (const [key, value] of this.interactions) if (value.expiresAt < now) this.interactions.delete(key);
    if (this.refreshTokens.size > MAX_ENTRIES) {
      const excess = this.refreshTokens.size - MAX_ENTRIES;
      let dropped = 0;
      for (const key of this.refreshTokens.keys()) {
        if (dropped++ >= excess) break;
        this.refreshTokens.delete(key);
      }
    }
  }
}

/** A random URL-safe secret of `bytes` bytes. */
export function secret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
