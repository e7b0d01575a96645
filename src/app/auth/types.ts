import type { AppConfig } from '../config/types.ts';

/** A cached account, as the views see it. */
export interface AccountSummary {
  homeAccountId: string;
  username: string;
  name: string;
  tenantId: string;
}

/** Tokens for the signed-in account. Kept in memory by callers, never stored or logged. */
export interface TokenSet {
  accessToken: string;
  idToken: string;
  expiresOn: Date | null;
  fromCache: boolean;
}

export interface StartResult {
  /** The account to use, or null (signed out, or several accounts and none chosen). */
  account: AccountSummary | null;
  accounts: AccountSummary[];
  /** The view the person was on before a sign-in redirect, when this load ends one. */
  returnView: string | null;
  /**
   * What this load ended that the person should be told: a sign-out that left other accounts
   * behind, or a sign-in configuration changed in Settings that signed the old accounts out.
   */
  notice?: string | undefined;
}

/** Sign out of the active account only (others stay cached), or of every account in this browser. */
export type SignOutScope = 'account' | 'all';

/**
 * Everything the views need from sign-in, so they never touch MSAL. The real implementation is
 * `createMsalAuthService`; component tests hand in a small fake.
 */
export interface AuthService {
  readonly config: AppConfig;
  /** Initialises MSAL and handles a redirect response once per page load. @throws SignInError */
  start(): Promise<StartResult>;
  accounts(): AccountSummary[];
  activeAccount(): AccountSummary | null;
  selectAccount(homeAccountId: string): void;
  /** Navigates to the identity provider; `view` is restored on return. */
  signIn(options: { view: string; switchAccount?: boolean; loginHint?: string }): Promise<void>;
  /** Signs out at the identity provider (a redirect); every open tab of the app follows. */
  signOut(options?: { scope?: SignOutScope }): Promise<void>;
  /**
   * Tokens for the active account from MSAL's cache or a silent refresh. When the identity
   * provider needs the person (expired session, consent, MFA) it redirects back to `view`
   * and rejects with `AUTH_REDIRECTING`; repeated failures reject with `AUTH_REDIRECT_LOOP`.
   * @throws SignInError
   */
  getTokens(options?: { forceRefresh?: boolean; view?: string }): Promise<TokenSet>;
  /** Accounts changed in another tab (sign-in, switch or sign-out there), with what to tell the person. */
  onAccountsChanged(listener: (notice?: string) => void): () => void;
}
