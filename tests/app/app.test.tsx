import { render, screen, waitFor, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/app/app.tsx';
import { SignInError } from '../../src/app/auth/errors.ts';
import type { AuthService } from '../../src/app/auth/types.ts';
import type { AppConfig, AppConfigResult } from '../../src/app/config/types.ts';
import { createTimeline } from '../../src/app/timeline/timeline.ts';
import { ANA, BEN, FakeAuthService, makeCluster, SANDBOX_CONFIG } from './support/fakes.ts';

type Route = (url: URL, request: Request) => Response | Promise<Response>;

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

let requests: Request[] = [];
function stubWorkspace(routes: Record<string, Route>) {
  requests = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request);
    const url = new URL(request.url);
    const path = url.pathname.replace('/databricks/localhost:5175', '');
    const route = routes[path];
    if (!route) return json(404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No API found for 'GET ${path}'` });
    return route(url, request);
  });
}

const ME_ANA = { userName: 'ana@contoso.example', displayName: 'Ana Analyst', groups: [{ display: 'users' }] };
const ME_BEN = { userName: 'ben@contoso.example', displayName: 'Ben Admin', groups: [{ display: 'admins' }] };

function ok(config: AppConfig = SANDBOX_CONFIG): () => Promise<AppConfigResult> {
  return async () => ({ ok: true, config, wire: {}, server: {}, overrides: {} });
}

function renderApp(service: AuthService, loadConfig = ok(service.config)) {
  const timeline = createTimeline();
  const reload = vi.fn();
  const utils = render(
    <App loadConfig={loadConfig} createAuth={async () => service} timeline={timeline} reload={reload} />,
  );
  return { ...utils, timeline, reload };
}

beforeEach(() => {
  history.replaceState(null, '', '/');
  stubWorkspace({
    '/api/2.0/preview/scim/v2/Me': () => json(200, ME_ANA),
    '/api/2.1/clusters/list': () => json(200, { clusters: [makeCluster(0, { cluster_name: 'shared-analytics' })] }),
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('app shell', () => {
  it('says it is signing you in while sign-in starts', async () => {
    const service = new FakeAuthService();
    service.startResult = new Promise(() => {});
    renderApp(service);
    expect(await screen.findByText('Signing you in…')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Databricks Entra Explorer' })).toBeTruthy();
  });

  it('offers sign-in with the sandbox demo users when signed out', async () => {
    const service = new FakeAuthService({ active: null });
    renderApp(service);
    const button = await screen.findByRole('button', { name: 'Sign in' });
    expect(screen.getByText('Sandbox')).toBeTruthy();
    expect(
      within(screen.getByRole('complementary', { name: 'Sandbox demo users' })).getByText('ana@contoso.example'),
    ).toBeTruthy();
    await userEvent.click(button);
    expect(service.signIns).toEqual([{ view: 'clusters' }]);
    expect(await screen.findByText('Redirecting to sign in…')).toBeTruthy();
  });

  it('shows no sandbox badge or demo users for a real tenant', async () => {
    const service = new FakeAuthService({
      active: null,
      config: { ...SANDBOX_CONFIG, sandbox: false, cloud: 'public' },
    });
    renderApp(service);
    await screen.findByRole('button', { name: 'Sign in' });
    expect(screen.queryByText('Sandbox')).toBeNull();
    expect(screen.queryByRole('complementary', { name: 'Sandbox demo users' })).toBeNull();
  });

  it('shows who is signed in and their clusters after sign-in', async () => {
    renderApp(new FakeAuthService());
    expect(await screen.findByRole('button', { name: 'Details of shared-analytics' })).toBeTruthy();
    const who = screen.getByRole('region', { name: 'Signed-in user' });
    expect(await within(who).findByText('Ana Analyst')).toBeTruthy();
    expect(within(who).queryByText('Workspace admin')).toBeNull();
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer fake-access-token');
    expect(requests.map((r) => new URL(r.url).pathname).sort()).toEqual([
      '/databricks/localhost:5175/api/2.0/preview/scim/v2/Me',
      '/databricks/localhost:5175/api/2.1/clusters/list',
    ]);
  });

  it('marks a workspace admin in the header', async () => {
    stubWorkspace({
      '/api/2.0/preview/scim/v2/Me': () => json(200, ME_BEN),
      '/api/2.1/clusters/list': () => json(200, { clusters: [] }),
    });
    renderApp(new FakeAuthService({ active: BEN }));
    expect(await screen.findByText('Workspace admin')).toBeTruthy();
    expect(await screen.findByText('No clusters in this workspace yet.')).toBeTruthy();
  });

  it('explains a user who is not in the workspace and keeps the app usable', async () => {
    stubWorkspace({
      '/api/2.0/preview/scim/v2/Me': () =>
        json(403, { error_code: 'PERMISSION_DENIED', message: 'User is not a member of this workspace.' }),
      '/api/2.1/clusters/list': () =>
        json(403, { error_code: 'PERMISSION_DENIED', message: 'User is not a member of this workspace.' }),
    });
    renderApp(new FakeAuthService());
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading').textContent).toBe('You are not allowed in this workspace');
    expect(within(alert).getByText(/Ask a workspace admin to add you/)).toBeTruthy();
    expect(await screen.findByText('Not recognised by the workspace')).toBeTruthy();
    await userEvent.click(screen.getByRole('tab', { name: 'Timeline' }));
    expect(
      await screen.findByRole('button', { name: /GET \/api\/2.1\/clusters\/list.*failed.*answer ✕ 403/ }),
    ).toBeTruthy();
  });

  it('explains a sign-in failure from the redirect and offers to sign in again', async () => {
    const error = new SignInError('AUTH_FAILED', 'failed', {
      msalErrorCode: 'invalid_request',
      aadsts: 9002326,
      during: 'redirect',
    });
    const service = new FakeAuthService({ active: null, startError: error });
    renderApp(service);
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading').textContent).toBe(
      'The app is registered as a web app, not a single-page app',
    );
    await userEvent.click(within(alert).getByRole('button', { name: 'Sign in again' }));
    expect(service.signIns).toEqual([{ view: 'clusters' }]);
  });

  it('lets the person choose when several accounts are signed in', async () => {
    const service = new FakeAuthService({ active: null, accounts: [ANA, BEN] });
    renderApp(service);
    await userEvent.click(await screen.findByRole('button', { name: /Ben Admin/ }));
    expect(service.active).toEqual(BEN);
    expect(await screen.findByRole('button', { name: 'Details of shared-analytics' })).toBeTruthy();
    const picker = screen.getByRole('combobox', { name: 'Account' });
    expect((picker as HTMLSelectElement).value).toBe('ben.home');
  });

  it('switches account with a new sign-in and signs out', async () => {
    const service = new FakeAuthService();
    renderApp(service);
    await screen.findByRole('button', { name: 'Details of shared-analytics' });
    await userEvent.click(screen.getByRole('button', { name: 'Switch account' }));
    expect(service.signIns).toEqual([{ view: 'clusters', switchAccount: true }]);
  });

  it('signs out of this account, or of all accounts, each button saying which', async () => {
    const service = new FakeAuthService({ accounts: [ANA, BEN] });
    renderApp(service);
    await screen.findByRole('button', { name: 'Details of shared-analytics' });
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Sign out of ana@contoso.example' }));
    expect(service.signOuts).toEqual([{ scope: 'account' }]);
  });

  it('signs out of all accounts from the header', async () => {
    const service = new FakeAuthService({ accounts: [ANA, BEN] });
    renderApp(service);
    await screen.findByRole('button', { name: 'Details of shared-analytics' });
    await userEvent.click(screen.getByRole('button', { name: 'Sign out of all accounts' }));
    expect(service.signOuts).toEqual([{ scope: 'all' }]);
  });

  it('after signing out of one account, says so and asks instead of continuing with the other', async () => {
    const service = new FakeAuthService({ active: null, accounts: [BEN] });
    const notice =
      'You signed out of ana@contoso.example. ben@contoso.example is still signed in in this browser: choose an account to continue, or sign out of all accounts.';
    service.startResult = Promise.resolve({ account: null, accounts: [BEN], returnView: null, notice });
    renderApp(service);
    expect(await screen.findByText(notice)).toBeTruthy();
    expect(screen.getByText(notice).getAttribute('role')).toBe('status');
    expect(screen.getByRole('heading', { name: 'Choose an account' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Details of / })).toBeNull();
    expect(service.tokenCalls).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Sign out of all accounts' }));
    expect(service.signOuts).toEqual([{ scope: 'all' }]);
  });

  it('follows a sign-out in another tab: the account in use is gone, and the page says so', async () => {
    const service = new FakeAuthService({ accounts: [ANA, BEN] });
    renderApp(service);
    await screen.findByRole('button', { name: 'Details of shared-analytics' });
    service.active = null;
    service.cached = [BEN];
    service.emitAccountsChanged('You signed out of ana@contoso.example in another tab.');
    expect(await screen.findByText('You signed out of ana@contoso.example in another tab.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Choose an account' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Details of / })).toBeNull();
  });

  it('shows a settings change that signed the old account out on a clear signed-out page', async () => {
    const service = new FakeAuthService({ active: null, accounts: [] });
    const notice =
      'The settings changed the cloud public → usgov, so ana@contoso.example was signed out here. Sign in for the new settings.';
    service.startResult = Promise.resolve({ account: null, accounts: [], returnView: null, notice });
    renderApp(service);
    expect(await screen.findByText(notice)).toBeTruthy();
    expect(screen.getByText(notice).getAttribute('role')).toBe('status');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keeps the current view in the URL hash and switches tabs', async () => {
    renderApp(new FakeAuthService());
    await screen.findByRole('button', { name: 'Details of shared-analytics' });
    expect(location.hash).toBe('#/clusters');
    await userEvent.click(screen.getByRole('tab', { name: 'Show me how' }));
    expect(location.hash).toBe('#/how');
    expect(screen.getByRole('tab', { name: 'Show me how' }).getAttribute('aria-selected')).toBe('true');
    // The view's code loads when the tab is first opened.
    expect((await screen.findByRole('figure', { name: 'curl: List clusters (API 2.0)' })).textContent).toContain(
      'https://localhost:5175/api/2.0/clusters/list',
    );
    expect(screen.getByRole('figure', { name: /curl: Last call/ }).textContent).toContain('$DATABRICKS_TOKEN');
  });

  it('shows the loaded clusters again after another tab without listing them again, and Refresh lists them again', async () => {
    const user = userEvent.setup();
    renderApp(new FakeAuthService());
    await screen.findByRole('button', { name: 'Details of shared-analytics' });
    const lists = () => requests.filter((r) => new URL(r.url).pathname.endsWith('/api/2.1/clusters/list')).length;
    expect(lists()).toBe(1);
    await user.click(screen.getByRole('tab', { name: 'Tokens' }));
    expect(screen.queryByRole('button', { name: 'Details of shared-analytics' })).toBeNull();
    await user.click(screen.getByRole('tab', { name: 'Clusters' }));
    expect(screen.getByRole('button', { name: 'Details of shared-analytics' })).toBeTruthy();
    expect(screen.getByText('1 cluster')).toBeTruthy();
    expect(lists()).toBe(1);
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(lists()).toBe(2));
    expect(await screen.findByText('1 cluster')).toBeTruthy();
  });

  it('lists the clusters again for another account', async () => {
    const user = userEvent.setup();
    const service = new FakeAuthService({ active: ANA, accounts: [ANA, BEN] });
    renderApp(service);
    await screen.findByRole('button', { name: 'Details of shared-analytics' });
    const lists = () => requests.filter((r) => new URL(r.url).pathname.endsWith('/api/2.1/clusters/list')).length;
    expect(lists()).toBe(1);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Account' }), 'ben.home');
    await waitFor(() => expect(lists()).toBe(2));
    expect(await screen.findByRole('button', { name: 'Details of shared-analytics' })).toBeTruthy();
  });

  it('returns to the view the person was on before a sign-in redirect', async () => {
    const service = new FakeAuthService();
    service.startResult = Promise.resolve({ account: ANA, accounts: [ANA], returnView: 'timeline' });
    renderApp(service);
    expect(await screen.findByRole('heading', { name: 'Timeline' })).toBeTruthy();
    expect(location.hash).toBe('#/timeline');
  });

  it('shows "redirecting" instead of an error when a token needs a new sign-in', async () => {
    const service = new FakeAuthService();
    service.tokenError = new SignInError('AUTH_REDIRECTING', 'redirecting');
    renderApp(service);
    expect(await screen.findByText('Redirecting to sign in…')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('explains a stopped redirect loop and offers one sign-in', async () => {
    const service = new FakeAuthService();
    service.tokenError = new SignInError('AUTH_REDIRECT_LOOP', 'loop');
    renderApp(service);
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading').textContent).toBe('Sign-in keeps failing');
    await userEvent.click(within(alert).getByRole('button', { name: 'Sign in again' }));
    expect(service.signIns).toEqual([{ view: 'clusters' }]);
  });

  it('shows configuration problems before any sign-in', async () => {
    const service = new FakeAuthService();
    const createAuth = vi.fn(async () => service);
    const loadConfig = async (): Promise<AppConfigResult> => ({
      ok: false,
      errors: [
        {
          code: 'CONFIG_INVALID',
          field: 'clientId',
          message: 'The client ID "abc" is not a GUID. Set EXPLORER_CLIENT_ID or fix it in the settings.',
        },
      ],
      wire: {},
      server: {},
      overrides: {},
    });
    render(<App loadConfig={loadConfig} createAuth={createAuth} timeline={createTimeline()} reload={() => {}} />);
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText(/The client ID "abc" is not a GUID/)).toBeTruthy();
    expect(createAuth).not.toHaveBeenCalled();
    expect(await screen.findByRole('dialog', { name: 'Settings' })).toBeTruthy();
  });

  it('puts no token in the page, the URL or the timeline', async () => {
    const { timeline, container } = renderApp(new FakeAuthService());
    await screen.findByRole('button', { name: 'Details of shared-analytics' });
    await waitFor(() => expect(timeline.entries().length).toBeGreaterThan(1));
    expect(container.innerHTML).not.toContain('fake-access-token');
    expect(location.href).not.toContain('fake-access-token');
    expect(JSON.stringify(timeline.entries())).not.toContain('fake-access-token');
  });
});
