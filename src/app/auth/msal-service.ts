import {
  type AccountInfo,
  type AuthenticationResult,
  BrowserPerformanceClient,
  CacheLookupPolicy,
  type Configuration,
  PublicClientApplication,
} from '@azure/msal-browser';
import { SETTINGS_STORAGE_KEY } from '../config/saved-settings.ts';
import type { AppConfig } from '../config/types.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { SignInError, toSignInError } from './errors.ts';
import { buildMsalOptions } from './msal-config.ts';
import { describeNavigation, followMsalInTimeline } from './msal-timeline.ts';
import { createSharedLookup } from './shared-lookup.ts';
import { openTabChannel } from './tab-sync.ts';
import { createRedirectGuard, saveReturnView, takeReturnView } from './redirect-guard.ts';
import type { AccountSummary, AuthService, SignOutScope, StartResult, TokenSet } from './types.ts';
import { DATABRICKS_SCOPE } from '../well-known.ts';
import { browserStorage } from '../state/browser-storage.ts';

/** sessionStorage, across the sign-out redirect: whom this tab signed out of. */
const SIGNED_OUT_KEY = 'explorer.auth.signedOut';
/** Next to MSAL's cache (same storage): which sign-in configuration that cache belongs to, and its accounts. */
const CACHE_OWNER_KEY = 'explorer.auth.cacheOwner';

/** The sign-in configuration MSAL's cache was filled under. Usernames only, never tokens. */
interface CacheOwner {
  tenantId: string;
  clientId: string;
  cloud: string;
  authority: string;
  usernames: string[];
}

function storageFor(location: AppConfig['cacheLocation']): Storage | undefined {
  return browserStorage(location === 'localStorage' ? 'local' : 'session');
}

function readOwner(storage: Storage | undefined): CacheOwner | null {
  try {
    const parsed = JSON.parse(storage?.getItem(CACHE_OWNER_KEY) ?? 'null') as CacheOwner | null;
    return parsed && typeof parsed.clientId === 'string' && Array.isArray(parsed.usernames) ? parsed : null;
  } catch {
    return null;
  }
}

/** What differs between the configuration the cache belongs to and this one, in words, or '' when nothing. */
export function describeConfigChange(owner: Omit<CacheOwner, 'usernames'>, config: AppConfig): string {
  const changes: string[] = [];
  if (owner.cloud !== config.cloud) changes.push(`cloud ${owner.cloud} → ${config.cloud}`);
  if (owner.tenantId !== config.tenantId) changes.push(`tenant ${owner.tenantId} → ${config.tenantId}`);
  if (owner.clientId !== config.clientId) changes.push(`client ID ${owner.clientId} → ${config.clientId}`);
  if (changes.length === 0 && owner.authority !== config.authority)
    changes.push(`sign-in address ${owner.authority} → ${config.authority}`);
  return changes.join(', ');
}

function listNames(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function summarize(account: AccountInfo): AccountSummary {
  return {
    homeAccountId: account.homeAccountId,
    username: account.username,
    name: account.name ?? account.username,
    tenantId: account.tenantId,
  };
}

function hasAuthResponse(): URLSearchParams | null {
  const raw = location.hash.length > 1 ? location.hash.slice(1) : location.search.slice(1);
  const params = new URLSearchParams(raw);
  return params.has('code') || params.has('error') ? params : null;
}

/**
 * The real {@link AuthService} on `@azure/msal-browser`: one PublicClientApplication per
 * configuration, given the authority and cloud metadata so it makes no discovery requests.
 * @see https://learn.microsoft.com/entra/identity-platform/msal-js-initializing-client-applications
 */
export function createMsalAuthService(config: AppConfig, deps: { timeline: Timeline }): AuthService {
  const { timeline } = deps;
  const session = globalThis.sessionStorage;
  const guard = createRedirectGuard(session);
  const origin = location.origin;
  const options = buildMsalOptions(config, origin);
  const configuration: Configuration = {
    ...options,
    auth: {
      ...options.auth,
      onRedirectNavigate: (url: string) => {
        const { title, detail } = describeNavigation(url);
        timeline.add({ kind: 'auth', status: 'info', title, detail });
      },
    },
  };
  // MSAL's default performance client is a stub; this one measures locally and sends nothing.
  const pca = new PublicClientApplication({
    ...configuration,
    telemetry: { client: new BrowserPerformanceClient(configuration) },
  });
  const listeners = new Set<(notice?: string) => void>();
  const cacheStore = storageFor(config.cacheLocation);
  const channel = openTabChannel(config);
  const notify = (notice?: string) => {
    for (const listener of listeners) listener(notice);
  };
  // Settings live in localStorage, shared by every tab: when another tab applies new ones, this tab
  // starts over with them (the next load clears the old configuration's session and says so), so
  // no tab keeps using the old tenant, client or cloud. Writing the same value fires no event.
  globalThis.addEventListener?.('storage', (event: StorageEvent) => {
    if (event.key !== SETTINGS_STORAGE_KEY) return;
    timeline.add({ kind: 'auth', status: 'info', title: 'Settings changed in another tab: reloading with them' });
    location.reload();
  });
  // This tab asked whether another tab is signed in (it is signed out and did not just sign out).
  let askedForSession = false;
  channel?.onMessage((data) => {
    if (data.type === 'signed-out') {
      void followSignOut('all' in data ? null : { homeAccountId: data.homeAccountId, username: data.username });
    } else if ((data.type === 'signed-in' || data.type === 'account-selected') && 'result' in data) {
      const before = pca.getActiveAccount()?.homeAccountId;
      const verb = data.type === 'signed-in' ? 'signed in as' : 'switched to';
      void adoptSession(data.result, `Another tab ${verb} this account`, true).then((adopted) => {
        const username = data.result.account?.username ?? '';
        notify(
          adopted && before !== undefined && before !== data.result.account?.homeAccountId
            ? `Another tab ${verb} ${username}; this tab uses that account now too.`
            : undefined,
        );
      });
    } else if (data.type === 'account-selected') {
      const account = pca.getAllAccounts().find((a) => a.homeAccountId === data.homeAccountId);
      if (account && pca.getActiveAccount()?.homeAccountId !== account.homeAccountId) {
        pca.setActiveAccount(account);
        tokenLookup.forget();
        timeline.add({
          kind: 'auth',
          status: 'info',
          title: 'Another tab switched to this account',
          detail: account.username,
        });
        notify(`Another tab switched to ${account.username}; this tab uses that account now too.`);
      }
    } else if (data.type === 'session' && askedForSession) {
      askedForSession = false;
      void adoptSession(data.result, 'Picked up the sign-in of another tab', false).finally(() => notify());
    } else if (data.type === 'who-is-signed-in') {
      void shareSession();
    }
  });

  /**
   * Another tab signed out: of every account (`null`), or of one. This tab ends in the same state:
   * the account is gone here too, and if it was the one in use, this tab does not carry on with
   * another account without saying so; it asks (or shows the signed-out page).
   */
  async function followSignOut(which: { homeAccountId: string; username: string } | null) {
    if (which === null) {
      timeline.add({ kind: 'auth', status: 'info', title: 'Signed out of all accounts in another tab' });
      await pca.clearCache().catch(() => undefined);
      tokenLookup.forget();
      rememberOwner();
      notify('You signed out of all accounts in another tab.');
      return;
    }
    const account = pca.getAllAccounts().find((a) => a.homeAccountId === which.homeAccountId);
    const wasActive = pca.getActiveAccount()?.homeAccountId === which.homeAccountId;
    timeline.add({ kind: 'auth', status: 'info', title: 'Signed out in another tab', detail: which.username });
    if (account) await pca.clearCache({ account }).catch(() => undefined);
    if (wasActive) {
      pca.setActiveAccount(null);
      tokenLookup.forget();
    }
    rememberOwner();
    notify(wasActive ? signedOutNotice(which.username, 'account', 'in another tab') : undefined);
  }

  function signedOutNotice(username: string, scope: SignOutScope, where = ''): string {
    const suffix = where ? ` ${where}` : '';
    if (scope === 'all' || !username) return `You signed out of all accounts${suffix}.`;
    const others = pca.getAllAccounts().map((a) => a.username);
    if (others.length === 0) return `You signed out of ${username}${suffix}.`;
    return `You signed out of ${username}${suffix}. ${listNames(others)} ${others.length > 1 ? 'are' : 'is'} still signed in in this browser: choose an account to continue, or sign out of all accounts.`;
  }

  /** Records which configuration MSAL's cache belongs to, and its accounts' usernames. */
  function rememberOwner() {
    const owner: CacheOwner = {
      tenantId: config.tenantId,
      clientId: config.clientId,
      cloud: config.cloud,
      authority: config.authority,
      usernames: pca.getAllAccounts().map((a) => a.username),
    };
    try {
      cacheStore?.setItem(CACHE_OWNER_KEY, JSON.stringify(owner));
    } catch {
      // Storage full or disabled: MSAL's own cache fails the same way and says so.
    }
  }

  /**
   * Another tab of this app signed in: take its ID and access tokens (never a refresh token) into
   * this tab's cache, so this tab is signed in without a redirect. The channel is same-origin only,
   * the same boundary as MSAL's own storage. When the access token runs out, this tab signs in
   * again with a redirect that the identity provider's session answers at once.
   */
  async function adoptSession(result: AuthenticationResult, title: string, replace: boolean): Promise<boolean> {
    if (!result.account || (!replace && pca.getActiveAccount())) return false;
    const before = pca.getActiveAccount()?.homeAccountId;
    try {
      await pca.hydrateCache(result, { scopes: [DATABRICKS_SCOPE], account: result.account });
      pca.setActiveAccount(result.account);
      if (before !== result.account.homeAccountId) tokenLookup.forget();
      rememberOwner();
      timeline.add({ kind: 'auth', status: 'ok', title, detail: result.account.username });
      return true;
    } catch (error) {
      const e = toSignInError(error, 'cache hand-off from another tab');
      timeline.add({
        kind: 'auth',
        status: 'fail',
        title: "Could not pick up the other tab's sign-in",
        detail: e.msalErrorCode ?? e.code,
      });
      return false;
    }
  }

  /** Answers a tab that asks whether anyone is signed in, with this tab's cached tokens. */
  async function shareSession() {
    const account = pca.getActiveAccount();
    if (!account) return;
    try {
      const result = await pca.acquireTokenSilent({
        scopes: [DATABRICKS_SCOPE],
        account,
        cacheLookupPolicy: CacheLookupPolicy.AccessToken,
      });
      channel?.post({ type: 'session', result: result });
    } catch {
      // Nothing cached to share; the other tab stays signed out.
    }
  }

  followMsalInTimeline(pca, timeline);

  function tokenSet(result: AuthenticationResult): TokenSet {
    return {
      accessToken: result.accessToken,
      idToken: result.idToken,
      expiresOn: result.expiresOn,
      fromCache: result.fromCache,
    };
  }

  async function redirectToSignIn(view: string, account: AccountInfo, reason: string): Promise<never> {
    if (!guard.allows()) {
      timeline.add({ kind: 'error', status: 'fail', title: 'Stopped signing in again automatically', detail: reason });
      throw new SignInError(
        'AUTH_REDIRECT_LOOP',
        `Signing in again did not help: the identity provider asked for sign-in again (${reason}) right after the last sign-in. The app stopped to avoid a redirect loop; sign out and sign in, or check the app registration.`,
        { during: 'silent token' },
      );
    }
    guard.record();
    saveReturnView(session, view);
    timeline.add({ kind: 'auth', status: 'wait', title: 'Signing in again to renew the session', detail: reason });
    try {
      await pca.acquireTokenRedirect({ scopes: [DATABRICKS_SCOPE], account, loginHint: account.username });
    } catch (error) {
      throw toSignInError(error, 'sign-in redirect');
    }
    throw new SignInError('AUTH_REDIRECTING', 'Redirecting to the identity provider to sign in again.', {
      during: 'redirect',
    });
  }

  // The page starts MSAL as soon as its chunk and the configuration are there, before the views
  // render; the provider's later start() gets the same promise (once per page load).
  let starting: Promise<StartResult> | undefined;
  // Views ask for a token at the same moment (Me and the first clusters page): one silent lookup
  // serves them all, so a renewal is never sent twice or raced by a second request. The view of
  // the first caller is the one a sign-in redirect returns to.
  let lookupView = 'clusters';
  const tokenLookup = createSharedLookup(() => silentTokens(false, lookupView));

  async function start(): Promise<StartResult> {
    await pca.initialize();
    let notice: string | undefined;
    // Settings changed the tenant, client or cloud since this cache was filled: its accounts and
    // tokens belong to the old configuration and must not be used (nor offered) for the new one.
    const owner = readOwner(cacheStore);
    const change = owner ? describeConfigChange(owner, config) : '';
    if (owner && change) {
      await pca.clearCache().catch(() => undefined);
      if (owner.usernames.length > 0) {
        timeline.add({
          kind: 'auth',
          status: 'info',
          title: 'Signed out: the sign-in settings changed',
          detail: `${change} · signed out ${owner.usernames.join(', ')}`,
        });
        notice = `The settings changed the ${change}, so ${listNames(owner.usernames)} ${owner.usernames.length > 1 ? 'were' : 'was'} signed out here. Sign in for the new settings.`;
      }
    }
    const signedOut = takeSignedOut();
    const response = hasAuthResponse();
    if (response?.has('code')) {
      timeline.add({
        kind: 'auth',
        status: 'ok',
        title: 'Authorization code returned to the app',
        detail: 'state checked by MSAL; the code is redeemed next, with the PKCE verifier',
      });
    } else if (response?.has('error')) {
      const description = response.get('error_description') ?? '';
      timeline.add({
        kind: 'auth',
        status: 'fail',
        title: `Identity provider returned error=${response.get('error')}`,
        detail: /AADSTS\d+/.exec(description)?.[0] ?? '',
      });
    }
    const started = performance.now();
    let result: AuthenticationResult | null;
    try {
      result = await pca.handleRedirectPromise({ navigateToLoginRequestUrl: false });
    } catch (error) {
      const e = toSignInError(error, 'redirect');
      timeline.add({
        kind: 'error',
        status: 'fail',
        title: 'Sign-in response rejected',
        detail: [e.msalErrorCode, e.aadsts ? `AADSTS${e.aadsts}` : ''].filter(Boolean).join(' '),
      });
      takeReturnView(session);
      throw e;
    } finally {
      // MSAL clears the response from the URL; make sure nothing code-shaped stays in history,
      // and drop the `state` Entra appends when it returns from sign-out.
      if (hasAuthResponse()) history.replaceState(history.state, '', location.pathname);
      else if (new URLSearchParams(location.search).has('state'))
        history.replaceState(history.state, '', `${location.pathname}${location.hash}`);
    }
    if (!result && response) {
      // MSAL ignores a response it did not ask for (no sign-in pending in this tab): a replayed
      // or forged redirect. Say so instead of silently showing the landing page.
      timeline.add({
        kind: 'error',
        status: 'fail',
        title: 'Unexpected sign-in response ignored',
        detail: 'no sign-in was pending in this tab',
      });
      takeReturnView(session);
      if (!pca.getActiveAccount() && pca.getAllAccounts().length === 0) {
        throw new SignInError(
          'AUTH_FAILED',
          'The address held a sign-in response that this tab did not ask for (replayed or forged). It was ignored; sign in again.',
          { msalErrorCode: 'unexpected_response', during: 'redirect' },
        );
      }
    }
    let returnView: string | null = null;
    if (result) {
      timeline.add({
        kind: 'token',
        status: 'ok',
        title: 'Code redeemed at the token endpoint',
        detail: `ID token and access token for ${result.scopes.join(' ')}`,
        durationMs: performance.now() - started,
      });
      if (result.account) pca.setActiveAccount(result.account);
      returnView = takeReturnView(session);
      channel?.post({ type: 'signed-in', result: result });
    }
    const accounts = pca.getAllAccounts();
    if (signedOut && !result) {
      // Back from signing out: never carry on with another cached account without asking.
      pca.setActiveAccount(null);
      notice = signedOutNotice(signedOut.username, signedOut.scope);
      timeline.add({
        kind: 'auth',
        status: 'ok',
        title: signedOut.scope === 'all' ? 'Signed out of all accounts' : 'Signed out',
        detail: signedOut.scope === 'all' ? '' : signedOut.username,
      });
    } else if (!pca.getActiveAccount() && accounts.length === 1) {
      pca.setActiveAccount(accounts[0]!);
    }
    // Signed out here (not by choice just now): a signed-in tab of this app may answer with its session.
    if (accounts.length === 0 && !signedOut && !notice) {
      askedForSession = true;
      channel?.post({ type: 'who-is-signed-in' });
    }
    rememberOwner();
    const active = pca.getActiveAccount();
    return { account: active ? summarize(active) : null, accounts: accounts.map(summarize), returnView, notice };
  }

  function takeSignedOut(): { username: string; scope: SignOutScope } | null {
    const raw = session?.getItem(SIGNED_OUT_KEY) ?? null;
    session?.removeItem(SIGNED_OUT_KEY);
    try {
      const parsed = JSON.parse(raw ?? 'null') as { username?: unknown; scope?: unknown } | null;
      if (!parsed) return null;
      return { username: String(parsed.username ?? ''), scope: parsed.scope === 'all' ? 'all' : 'account' };
    } catch {
      return null;
    }
  }

  async function silentTokens(forceRefresh: boolean, view: string): Promise<TokenSet> {
    const account = pca.getActiveAccount();
    if (!account) {
      throw new SignInError('AUTH_NO_ACCOUNT', 'No account is signed in in this tab. Sign in to continue.', {
        during: 'silent token',
      });
    }
    try {
      const result = await pca.acquireTokenSilent({
        scopes: [DATABRICKS_SCOPE],
        account,
        forceRefresh,
        // Renew with the refresh token only: the hidden-iframe fallback would wait for a
        // response this page cannot relay; a redirect is faster and explained.
        cacheLookupPolicy: CacheLookupPolicy.AccessTokenAndRefreshToken,
      });
      if (result.fromCache) {
        timeline.add({ kind: 'token', status: 'ok', title: 'Access token from cache' });
      } else {
        timeline.add({
          kind: 'token',
          status: 'ok',
          title: 'Access token refreshed',
          detail: forceRefresh ? 'forced after the workspace rejected the token' : 'refresh token grant',
        });
      }
      return tokenSet(result);
    } catch (error) {
      const e = toSignInError(error, 'silent token');
      if (e.code === 'AUTH_INTERACTION_REQUIRED' || e.msalErrorCode === 'invalid_grant') {
        const reason = [e.msalErrorCode, e.aadsts ? `AADSTS${e.aadsts}` : ''].filter(Boolean).join(' ');
        return redirectToSignIn(view, account, reason);
      }
      timeline.add({
        kind: 'error',
        status: 'fail',
        title: 'Could not get a token',
        detail: [e.msalErrorCode, e.aadsts ? `AADSTS${e.aadsts}` : ''].filter(Boolean).join(' '),
      });
      throw e;
    }
  }

  return {
    config,

    start: () => (starting ??= start()),

    accounts: () => pca.getAllAccounts().map(summarize),
    activeAccount() {
      const active = pca.getActiveAccount();
      return active ? summarize(active) : null;
    },
    selectAccount(homeAccountId) {
      const account = pca.getAllAccounts().find((a) => a.homeAccountId === homeAccountId);
      if (!account) throw new TypeError(`No cached account ${homeAccountId}`);
      pca.setActiveAccount(account);
      tokenLookup.forget(); // a lookup for the previous account must not answer for this one
      timeline.add({ kind: 'auth', status: 'info', title: 'Switched account', detail: account.username });
      // The other tabs follow, with this account's cached tokens (never the refresh token).
      void pca
        .acquireTokenSilent({ scopes: [DATABRICKS_SCOPE], account, cacheLookupPolicy: CacheLookupPolicy.AccessToken })
        .then(
          (result) => channel?.post({ type: 'account-selected', result }),
          // No valid access token to hand over: tabs that know the account switch to it themselves.
          () => channel?.post({ type: 'account-selected', homeAccountId, username: account.username }),
        );
    },

    async signIn({ view, switchAccount, loginHint }) {
      guard.reset();
      saveReturnView(session, view);
      try {
        await pca.loginRedirect({
          scopes: [DATABRICKS_SCOPE],
          ...(switchAccount ? { prompt: 'select_account' } : {}),
          ...(loginHint ? { loginHint } : {}),
        });
      } catch (error) {
        throw toSignInError(error, 'sign-in');
      }
    },

    async signOut({ scope = 'account' } = {}) {
      const account = pca.getActiveAccount() ?? undefined;
      const all = scope === 'all' || account === undefined;
      session?.setItem(
        SIGNED_OUT_KEY,
        JSON.stringify({ scope: all ? 'all' : 'account', username: all ? '' : account.username }),
      );
      channel?.post(
        all
          ? { type: 'signed-out', all: true }
          : { type: 'signed-out', homeAccountId: account.homeAccountId, username: account.username },
      );
      timeline.add({
        kind: 'auth',
        status: 'info',
        title: all ? 'Signing out of all accounts' : 'Signing out of this account',
        detail: all ? '' : account.username,
      });
      try {
        // With an account, MSAL removes only it and asks Entra to end only its session
        // (logout_hint); without, it clears every account and ends the whole session.
        await pca.logoutRedirect({ ...(all ? {} : { account }), postLogoutRedirectUri: `${origin}/` });
      } catch (error) {
        session?.removeItem(SIGNED_OUT_KEY);
        throw toSignInError(error, 'sign-out');
      }
    },

    getTokens({ forceRefresh = false, view = 'clusters' } = {}) {
      if (forceRefresh) return silentTokens(true, view);
      lookupView = view;
      return tokenLookup.get();
    },

    onAccountsChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
