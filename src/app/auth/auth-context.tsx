import { type ComponentChildren, createContext } from 'preact';
import { useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { isSignInError } from './errors.ts';
import type { AccountSummary, AuthService, SignOutScope, TokenSet } from './types.ts';

export type AuthState =
  | { status: 'starting' }
  | { status: 'signed-out'; error?: unknown; notice?: string }
  | { status: 'choose-account'; accounts: AccountSummary[]; notice?: string }
  | { status: 'signed-in'; account: AccountSummary; accounts: AccountSummary[]; notice?: string }
  | { status: 'redirecting' };

export interface AuthContextValue {
  state: AuthState;
  config: AuthService['config'];
  /** The view to show first after a sign-in redirect, if this page load ended one. */
  returnView: string | null;
  signIn(options: { view: string; switchAccount?: boolean }): Promise<void>;
  signOut(options?: { scope?: SignOutScope }): Promise<void>;
  selectAccount(homeAccountId: string): void;
  getTokens(options?: { forceRefresh?: boolean; view?: string }): Promise<TokenSet>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/**
 * The state from the service's accounts. With accounts cached but none in use (several, or one
 * left after signing out of another), the person chooses: the app never picks one silently.
 */
function stateFrom(service: AuthService, error?: unknown, notice?: string): AuthState {
  const account = service.activeAccount();
  const accounts = service.accounts();
  const told = notice ? { notice } : {};
  if (account) return { status: 'signed-in', account, accounts, ...told };
  if (accounts.length > 0) return { status: 'choose-account', accounts, ...told };
  return error === undefined ? { status: 'signed-out', ...told } : { status: 'signed-out', error, ...told };
}

/**
 * Runs sign-in for the tree below: starts the service once (MSAL initialise and redirect
 * handling), follows account changes from other tabs, and offers the actions as hooks so views
 * never touch MSAL.
 */
export function AuthProvider({ service, children }: { service: AuthService; children: ComponentChildren }) {
  const [state, setState] = useState<AuthState>({ status: 'starting' });
  const [returnView, setReturnView] = useState<string | null>(null);
  const started = useRef(false);

  // Right after the first render rather than after a paint: the first workspace calls wait on it.
  useLayoutEffect(() => {
    if (started.current) return;
    started.current = true;
    service.start().then(
      (result) => {
        setReturnView(result.returnView);
        setState(stateFrom(service, undefined, result.notice));
      },
      // A failed sign-in response ends on its explanation, even with an account still cached:
      // carrying on with that account would start another redirect and hide why.
      (error: unknown) => setState({ status: 'signed-out', error }),
    );
  }, [service]);

  useEffect(
    () =>
      service.onAccountsChanged((notice) =>
        setState((current) => (current.status === 'starting' ? current : stateFrom(service, undefined, notice))),
      ),
    [service],
  );

  const signIn = useCallback(
    async (options: { view: string; switchAccount?: boolean }) => {
      setState({ status: 'redirecting' });
      try {
        await service.signIn(options);
      } catch (error) {
        setState(stateFrom(service, error));
      }
    },
    [service],
  );

  const signOut = useCallback(
    async (options?: { scope?: SignOutScope }) => {
      setState({ status: 'redirecting' });
      try {
        await service.signOut(options);
      } catch (error) {
        setState(stateFrom(service, error));
      }
    },
    [service],
  );

  const selectAccount = useCallback(
    (homeAccountId: string) => {
      service.selectAccount(homeAccountId);
      setState(stateFrom(service));
    },
    [service],
  );

  const getTokens = useCallback(
    async (options?: { forceRefresh?: boolean; view?: string }) => {
      try {
        return await service.getTokens(options);
      } catch (error) {
        if (isSignInError(error) && error.code === 'AUTH_REDIRECTING') setState({ status: 'redirecting' });
        else if (isSignInError(error) && error.code === 'AUTH_NO_ACCOUNT') setState(stateFrom(service, error));
        throw error;
      }
    },
    [service],
  );

  const value = useMemo<AuthContextValue>(
    () => ({ state, config: service.config, returnView, signIn, signOut, selectAccount, getTokens }),
    [state, service, returnView, signIn, signOut, selectAccount, getTokens],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** The sign-in state and actions. @throws TypeError outside an {@link AuthProvider}. */
export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new TypeError('useAuth() must be used inside <AuthProvider>.');
  return value;
}
