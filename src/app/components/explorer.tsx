import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useAuth } from '../auth/auth-context.tsx';
import { isSignInError } from '../auth/errors.ts';
import {
  type CallRecord,
  createWorkspaceClient,
  type RetryNotice,
  type WorkspaceClientOptions,
} from '../databricks/client.ts';
import { createTextReader } from '../databricks/text-reader.ts';
import { me, type WhoAmI } from '../databricks/scim.ts';
import { DoctorActionsContext, ErrorPanel, errorDoctor } from '../errors/error-panel.tsx';
import type { Timeline } from '../timeline/timeline.ts';
import { AppHeader } from './app-header.tsx';
import { createClustersStore } from '../clusters/clusters-store.ts';
import { ClusterDetailsPanel, ClustersView } from '../clusters/clusters-view.tsx';
import { createStore, useStore } from '../state/store.ts';
import { WorkspaceContext, type WorkspaceContextValue } from './workspace-context.tsx';
import { lazyView, preloadWhenIdle } from './lazy-view.tsx';

// Only the clusters view is on the path to the first rows; every other view, the signed-out pages
// and the account picker load their code when first shown (or once the first clusters are shown).
const TokensView = lazyView(
  'TokensView',
  () => import('../tokens/tokens-view.tsx').then((m) => m.TokensView),
  'Loading your tokens…',
);
const TimelineView = lazyView(
  'TimelineView',
  () => import('../timeline/timeline-view.tsx').then((m) => m.TimelineView),
  'Loading the timeline…',
);
const DecodeView = lazyView(
  'DecodeView',
  () => import('../tokens/decode-view.tsx').then((m) => m.DecodeView),
  'Loading the token decoder…',
);
const ShowMeHow = lazyView(
  'ShowMeHow',
  () => import('../snippets/show-me-how.tsx').then((m) => m.ShowMeHow),
  'Loading the commands…',
);
const ApiExplorer = lazyView(
  'ApiExplorer',
  () => import('../api-explorer/api-explorer.tsx').then((m) => m.ApiExplorer),
  'Loading the API Explorer…',
);
const AccountPicker = lazyView(
  'AccountPicker',
  () => import('./account-picker.tsx').then((m) => m.AccountPicker),
  'Loading your accounts…',
);
const SignedOutViews = lazyView(
  'SignedOutViews',
  () => import('../timeline/signed-out-views.tsx').then((m) => m.SignedOutViews),
  null,
);
// The sign-in page weighs its error with the doctor, so both come together.
const Landing = lazyView(
  'Landing',
  () => Promise.all([import('./landing.tsx'), errorDoctor.preload()]).then(([m]) => m.Landing),
  'Loading the sign-in page…',
);
/** What the signed-in views may need next, loaded once the first clusters are shown. */
const AFTER_FIRST_ROWS = [
  errorDoctor,
  ClusterDetailsPanel,
  TokensView,
  TimelineView,
  DecodeView,
  ShowMeHow,
  ApiExplorer,
];

export const VIEWS = [
  { id: 'clusters', label: 'Clusters' },
  { id: 'tokens', label: 'Tokens' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'decode', label: 'Decode a token' },
  { id: 'how', label: 'Show me how' },
  { id: 'explorer', label: 'API Explorer' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

function viewFrom(text: string | null | undefined): ViewId | undefined {
  // `#/explorer?r=…` (a shared API Explorer request) is the explorer view.
  const id = (text ?? '').replace(/^#\/?/, '').split('?')[0];
  return VIEWS.find((v) => v.id === id)?.id;
}

/** The current view lives in the URL hash (`#/clusters`), so reloads and sign-in redirects keep it. */
function useHashView(returnView: string | null): [ViewId, (view: ViewId) => void] {
  const [view, setViewState] = useState<ViewId>(() => viewFrom(returnView) ?? viewFrom(location.hash) ?? 'clusters');
  useLayoutEffect(() => {
    // After a sign-in redirect the view comes back with its own state (`explorer?r=…`, a shared request).
    const hash = returnView && viewFrom(returnView) === view ? returnView.replace(/^#?\/?/, '') : view;
    if (viewFrom(location.hash) !== view)
      history.replaceState(history.state, '', `${location.pathname}${location.search}#/${hash}`);
  }, [view, returnView]);
  useEffect(() => {
    const onHash = () => {
      const next = viewFrom(location.hash);
      if (next) setViewState(next);
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const setView = useCallback((next: ViewId) => {
    // A history entry per view, so the back button goes to the previous view.
    if (viewFrom(location.hash) !== next)
      history.pushState(history.state, '', `${location.pathname}${location.search}#/${next}`);
    setViewState(next);
  }, []);
  return [view, setView];
}

/**
 * The view tabs, as the WAI-ARIA tabs pattern asks: one tab stop (the selected tab), Left and
 * Right arrows move between tabs (wrapping), Home and End go to the first and last; a tab is
 * selected as it gets focus. The view also lives in the URL hash.
 * @see https://www.w3.org/WAI/ARIA/apg/patterns/tabs/
 */
function ViewTabs({ view, onSelect }: { view: ViewId; onSelect(view: ViewId): void }) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    const index = VIEWS.findIndex((v) => v.id === view);
    const next =
      e.key === 'ArrowRight'
        ? (index + 1) % VIEWS.length
        : e.key === 'ArrowLeft'
          ? (index - 1 + VIEWS.length) % VIEWS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? VIEWS.length - 1
              : -1;
    if (next < 0) return;
    e.preventDefault();
    const id = VIEWS[next]!.id;
    onSelect(id);
    list.current?.querySelector<HTMLElement>(`#tab-${id}`)?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label="Views" ref={list} onKeyDown={onKeyDown}>
      {VIEWS.map((v) => (
        <button
          key={v.id}
          type="button"
          role="tab"
          id={`tab-${v.id}`}
          aria-selected={view === v.id}
          aria-controls={`panel-${v.id}`}
          tabIndex={view === v.id ? 0 : -1}
          class={view === v.id ? 'tab active' : 'tab'}
          onClick={() => onSelect(v.id)}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}

/** Everything after sign-in: header, tabs and the four views, on one workspace client. */
function SignedIn({ timeline, onSettings }: { timeline: Timeline; onSettings(): void }) {
  const auth = useAuth();
  const state = auth.state;
  const account = state.status === 'signed-in' ? state.account : null;
  const accounts = state.status === 'signed-in' ? state.accounts : [];
  const [view, setView] = useHashView(auth.returnView);
  const viewRef = useRef<ViewId>(view);
  viewRef.current = view;
  const { getTokens, config } = auth;

  const stores = useMemo(
    () => ({
      lastCall: createStore<CallRecord | null>(null),
      retryNotice: createStore<(RetryNotice & { at: number }) | null>(null),
    }),
    [],
  );
  const homeAccountId = account?.homeAccountId;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new account must get a new client (see below)
  const workspace = useMemo<WorkspaceContextValue>(() => {
    const options: WorkspaceClientOptions = {
      workspaceHost: config.workspaceHost,
      workspaceResourceId: config.workspaceResourceId,
      getAccessToken: async ({ forceRefresh }) =>
        (await getTokens({ forceRefresh, view: viewRef.current })).accessToken,
      onCall(record) {
        stores.lastCall.set(record);
        stores.retryNotice.set(null);
        const ok = record.status !== undefined && record.status < 400;
        timeline.add({
          kind: 'api',
          status: ok ? 'ok' : 'fail',
          title: `${record.method} ${record.path.split('?')[0]} → ${record.status ?? record.failure}`,
          detail: `${record.path}${record.resourceIdHeader ? ' · with resource-ID header' : ''}${record.afterForcedRefresh ? ' · after a forced token refresh' : ''}`,
          durationMs: record.durationMs,
          http: {
            method: record.method,
            path: record.path,
            ...(record.status !== undefined ? { status: record.status } : {}),
          },
        });
      },
      onRetry(notice) {
        stores.retryNotice.set({ ...notice, at: Date.now() });
        timeline.add({
          kind: 'api',
          status: 'wait',
          title: `Retrying ${notice.path.split('?')[0]} in ${Math.ceil(notice.delayMs / 1000)} s`,
          detail: `after HTTP ${notice.status}`,
        });
      },
    };
    const client = createWorkspaceClient(options);
    return { client, reader: createTextReader(client), timeline, ...stores, clusters: createClustersStore(client) };
    // A new account gets a new client, so nothing from the previous one is reused.
  }, [config, getTokens, timeline, stores, homeAccountId]);
  // A replaced client (account or configuration changed) or signing out drops its clusters.
  useEffect(() => () => workspace.clusters.dispose(), [workspace]);

  const [who, setWho] = useState<{ who: WhoAmI | null; failed: boolean }>({ who: null, failed: false });
  // Sent right after render, in parallel with the first clusters page (no paint in between).
  useLayoutEffect(() => {
    const controller = new AbortController();
    setWho({ who: null, failed: false });
    me(workspace.client, { signal: controller.signal }).then(
      (w) => setWho({ who: w, failed: false }),
      (e: unknown) => {
        if (!controller.signal.aborted && !(isSignInError(e) && e.code === 'AUTH_REDIRECTING'))
          setWho({ who: null, failed: true });
      },
    );
    return () => controller.abort(new DOMException('The account changed.', 'AbortError'));
  }, [workspace]);

  const lastCall = useStore(stores.lastCall);

  // Once the first clusters (or their failure) are in, the other views' code loads when idle.
  useEffect(() => {
    let cancel: (() => void) | undefined;
    const check = () => {
      const { pages, error } = workspace.clusters.list.get();
      if (cancel || (pages === 0 && error === undefined)) return;
      cancel = preloadWhenIdle(AFTER_FIRST_ROWS);
    };
    const unsubscribe = workspace.clusters.list.subscribe(check);
    check();
    return () => {
      unsubscribe();
      cancel?.();
    };
  }, [workspace]);

  return (
    <>
      <AppHeader
        account={account}
        accounts={accounts}
        who={who.who}
        whoError={who.failed}
        sandbox={config.sandbox}
        onSwitchTo={auth.selectAccount}
        onSwitchAccount={() => auth.signIn({ view, switchAccount: true })}
        onSignOut={() => void auth.signOut({ scope: 'account' })}
        onSignOutAll={() => void auth.signOut({ scope: 'all' })}
        onSettings={onSettings}
      />
      <WorkspaceContext.Provider value={workspace}>
        <main class="view">
          {state.status === 'signed-in' && state.notice && (
            <p class="auth-notice" role="status">
              {state.notice}
            </p>
          )}
          <ViewTabs view={view} onSelect={setView} />
          <div role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`} class="tabpanel">
            {view === 'clusters' && <ClustersView />}
            {view === 'tokens' && <TokensView view={view} />}
            {view === 'timeline' && <TimelineView timeline={timeline} />}
            {view === 'decode' && (
              <DecodeView
                config={config}
                getAccessToken={async () => (await getTokens({ view: 'decode' })).accessToken}
              />
            )}
            {view === 'explorer' && <ApiExplorer client={workspace.client} config={config} ErrorView={ErrorPanel} />}
            {view === 'how' && (
              <ShowMeHow
                workspaceUrl={config.workspaceUrl}
                workspaceResourceId={config.workspaceResourceId}
                caBundlePath={config.caBundlePath}
                lastCall={lastCall}
                getToken={async () => (await getTokens({ view: 'how' })).accessToken}
              />
            )}
          </div>
        </main>
      </WorkspaceContext.Provider>
    </>
  );
}

/**
 * The view in the address now, the one to come back to after a sign-in redirect, with its state
 * after `?` (a shared API Explorer request), so the sign-in comes back to it.
 */
function currentView(): string {
  return viewFrom(location.hash) ? location.hash.replace(/^#\/?/, '') : 'clusters';
}

/**
 * The app once the configuration is known: the sign-in states (starting, signed out, choosing
 * an account, redirecting) and the signed-in views, with the error doctor's actions wired.
 */
export function Explorer({ timeline, onSettings }: { timeline: Timeline; onSettings(): void }) {
  const auth = useAuth();
  const { state, config } = auth;
  const actions = useMemo(
    () => ({
      context: {
        origin: location.origin,
        clientId: config.clientId,
        workspaceUrl: config.workspaceUrl,
        resourceIdConfigured: Boolean(config.workspaceResourceId),
      },
      signIn: () => void auth.signIn({ view: currentView() }),
      switchAccount: () => void auth.signIn({ view: currentView(), switchAccount: true }),
      openSettings: onSettings,
    }),
    [auth.signIn, config, onSettings],
  );

  const notice = state.status !== 'signed-in' && 'notice' in state && state.notice && (
    <p class="auth-notice" role="status">
      {state.notice}
    </p>
  );
  let body: ComponentChildren;
  if (state.status === 'starting')
    body = (
      <p class="boot" role="status">
        Signing you in…
      </p>
    );
  else if (state.status === 'redirecting')
    body = (
      <p class="boot" role="status">
        Redirecting to sign in…
      </p>
    );
  else if (state.status === 'choose-account')
    body = (
      <AccountPicker
        accounts={state.accounts}
        onPick={auth.selectAccount}
        onOther={() => auth.signIn({ view: currentView(), switchAccount: true })}
        onSignOutAll={() => void auth.signOut({ scope: 'all' })}
      />
    );
  else if (state.status === 'signed-out') {
    body = (
      // The timeline and the decoder bring their own main landmark; the landing gets one here.
      <SignedOutViews timeline={timeline} config={config}>
        <main class="view">
          {notice}
          <Landing
            sandbox={config.sandbox}
            error={state.error}
            busy={false}
            onSignIn={() => auth.signIn({ view: currentView() })}
          />
        </main>
      </SignedOutViews>
    );
  } else body = <SignedIn timeline={timeline} onSettings={onSettings} />;

  return (
    <DoctorActionsContext.Provider value={actions}>
      {state.status !== 'signed-in' && (
        <AppHeader
          account={null}
          accounts={[]}
          who={null}
          whoError={false}
          sandbox={config.sandbox}
          onSwitchTo={auth.selectAccount}
          onSwitchAccount={() => auth.signIn({ view: currentView(), switchAccount: true })}
          onSignOut={() => void auth.signOut({ scope: 'account' })}
          onSignOutAll={() => void auth.signOut({ scope: 'all' })}
          onSettings={onSettings}
        />
      )}
      {state.status === 'signed-in' || state.status === 'signed-out' ? (
        body
      ) : (
        <main class="view">
          {notice}
          {body}
        </main>
      )}
    </DoctorActionsContext.Provider>
  );
}
