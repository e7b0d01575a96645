import { render, screen, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { AuthProvider } from '../../../src/app/auth/auth-context.tsx';
import { BootScreen } from '../../../src/app/components/boot-screen.tsx';
import { TokensView } from '../../../src/app/tokens/tokens-view.tsx';
import { DatabricksApiError } from '../../../src/app/databricks/errors.ts';
import { DoctorActionsContext, ErrorBoundary, ErrorPanel } from '../../../src/app/errors/error-panel.tsx';
import { ShowMeHow } from '../../../src/app/snippets/show-me-how.tsx';
import { createTimeline } from '../../../src/app/timeline/timeline.ts';
import { TimelineView } from '../../../src/app/timeline/timeline-view.tsx';
import { FakeAuthService } from '../support/fakes.ts';

const WORKSPACE = 'https://adb-5555555555555555.19.azuredatabricks.net';

/** Throws while `bomb.explode` is set, to exercise the error boundary. */
const bomb = { explode: true };
function Bomb() {
  if (bomb.explode) throw new Error('render exploded');
  return <p>all good</p>;
}

type InspectorProps = { idToken: string; accessToken: string; clientId: string };

/** A stand-in inspector that records the props it is given. */
const inspected: InspectorProps[] = [];
function RecordingInspector(props: InspectorProps) {
  inspected.push(props);
  return <p>inspector for {props.clientId}</p>;
}

function EmptyInspector(_props: InspectorProps) {
  return null;
}

describe('boot screen', () => {
  it('says it is signing you in before the app code loads', () => {
    render(<BootScreen />);
    expect(screen.getByRole('status').textContent).toBe('Signing you in…');
  });
});

describe('timeline view', () => {
  it('shows each step with status and duration, and updates live', async () => {
    const timeline = createTimeline();
    render(<TimelineView timeline={timeline} />);
    expect(screen.getByText(/Nothing has happened yet/)).toBeTruthy();
    timeline.add({ kind: 'auth', status: 'info', title: 'Redirect to authorize', detail: 'PKCE S256' });
    timeline.add({ kind: 'api', status: 'fail', title: 'GET /api/2.1/clusters/list → 503', durationMs: 40 });
    const items = within(await screen.findByRole('list', { name: 'Events' })).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('Redirect to sign in (authorize, with PKCE)');
    expect(items[0]!.textContent).toContain('PKCE S256');
    expect(items[1]!.textContent).toContain('failed');
    expect(items[1]!.textContent).toContain('40 ms');
  });

  it('clears on request', async () => {
    const timeline = createTimeline();
    timeline.add({ kind: 'auth', status: 'info', title: 'x' });
    render(<TimelineView timeline={timeline} />);
    await userEvent.click(screen.getByRole('button', { name: 'Clear timeline' }));
    expect(screen.getByText(/Nothing has happened yet/)).toBeTruthy();
  });
});

describe('show me how', () => {
  it('shows the classic call and the last call with the token redacted', () => {
    render(
      <ShowMeHow
        workspaceUrl={WORKSPACE}
        workspaceResourceId={undefined}
        lastCall={{
          method: 'GET',
          path: '/api/2.1/clusters/get?cluster_id=abc',
          status: 200,
          durationMs: 3,
          attempt: 1,
          resourceIdHeader: false,
          afterForcedRefresh: false,
        }}
        getToken={async () => 'secret-token'}
      />,
    );
    expect(screen.getByRole('figure', { name: 'curl: List clusters (API 2.0)' }).textContent).toContain(
      `${WORKSPACE}/api/2.0/clusters/list`,
    );
    const last = screen.getByRole('figure', { name: 'Python: Last call: GET /api/2.1/clusters/get' });
    expect(last.textContent).toContain(`${WORKSPACE}/api/2.1/clusters/get?cluster_id=abc`);
    expect(document.body.textContent).not.toContain('secret-token');
  });

  it('reveals the token only when asked, with a warning, and hides it again', async () => {
    render(
      <ShowMeHow
        workspaceUrl={WORKSPACE}
        workspaceResourceId="/subscriptions/s/resourceGroups/r/providers/Microsoft.Databricks/workspaces/w"
        lastCall={null}
        getToken={async () => 'secret-token'}
      />,
    );
    expect(screen.getByText('No API call yet in this session.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Reveal the token in the snippets' }));
    expect(await screen.findByText(/Anyone who sees it can act as you/)).toBeTruthy();
    const curl = screen.getByRole('figure', { name: 'curl: List clusters (API 2.0)' });
    expect(curl.textContent).toContain('Bearer secret-token');
    expect(curl.textContent).toContain('X-Databricks-Azure-Workspace-Resource-Id');
    await userEvent.click(screen.getByRole('button', { name: 'Hide the token' }));
    expect(document.body.textContent).not.toContain('secret-token');
  });

  it('copies a snippet to the clipboard', async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    render(
      <ShowMeHow workspaceUrl={WORKSPACE} workspaceResourceId={undefined} lastCall={null} getToken={async () => 't'} />,
    );
    await user.click(screen.getByRole('button', { name: 'Copy curl (List clusters (API 2.0))' }));
    expect(writeText).toHaveBeenCalledWith(expect.stringContaining('$DATABRICKS_TOKEN'));
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeTruthy();
  });
  it('says where the CA file the commands name comes from, with a download on this server, only with a CA bundle', () => {
    const { unmount } = render(
      <ShowMeHow
        workspaceUrl={WORKSPACE}
        workspaceResourceId={undefined}
        lastCall={null}
        getToken={async () => 't'}
        caBundlePath="/srv/explorer/.local/tls/ca.pem"
      />,
    );
    expect(screen.getByText(/a file on the computer that runs the app/).textContent).toContain(
      '/srv/explorer/.local/tls/ca.pem',
    );
    const download = screen.getByRole('link', { name: 'download the local CA certificate' });
    expect(download.getAttribute('href')).toBe('/local-ca.pem');
    expect(download.hasAttribute('download')).toBe(true);
    unmount();
    render(
      <ShowMeHow workspaceUrl={WORKSPACE} workspaceResourceId={undefined} lastCall={null} getToken={async () => 't'} />,
    );
    expect(screen.queryByRole('link', { name: 'download the local CA certificate' })).toBeNull();
  });
});

describe('error panel and boundary', () => {
  it('runs the one action the doctor chose', async () => {
    const retry = vi.fn();
    render(
      <ErrorPanel error={new DatabricksApiError({ method: 'GET', path: '/x' }, { status: 500 })} onRetry={retry} />,
    );
    const alert = await screen.findByRole('alert');
    expect(within(alert).getAllByRole('button')).toHaveLength(1);
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('offers a reload when a retry is due but the caller has none', async () => {
    const reload = vi.fn();
    render(
      <DoctorActionsContext.Provider value={{ context: { origin: 'https://localhost:5173' }, reload }}>
        <ErrorPanel error={new DatabricksApiError({ method: 'GET', path: '/x' }, { status: 503 })} />
      </DoctorActionsContext.Provider>,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Reload the page' }));
    expect(reload).toHaveBeenCalledOnce();
  });

  it('opens the settings for a configuration problem', async () => {
    const openSettings = vi.fn();
    render(
      <DoctorActionsContext.Provider value={{ context: { origin: 'https://localhost:5173' }, openSettings }}>
        <ErrorPanel
          error={
            new DatabricksApiError({ method: 'GET', path: '/x' }, { status: 404, errorCode: 'ENDPOINT_NOT_FOUND' })
          }
        />
      </DoctorActionsContext.Provider>,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Open settings' }));
    expect(openSettings).toHaveBeenCalledOnce();
  });

  it('catches a render failure, explains it and lets the person go back', async () => {
    bomb.explode = true;
    vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <ErrorBoundary>
        <Bomb />
      </ErrorBoundary>,
    );
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading').textContent).toBe('Something unexpected went wrong');
    expect(within(alert).getByText('Error: render exploded')).toBeTruthy();
    bomb.explode = false;
    await userEvent.click(screen.getByRole('button', { name: 'Back to the app' }));
    expect(screen.getByText('all good')).toBeTruthy();
  });
});

describe('tokens view', () => {
  it("hands the signed-in account's tokens to the inspector", async () => {
    inspected.length = 0;
    const load = async () => ({ TokenInspector: RecordingInspector });
    const service = new FakeAuthService();
    render(
      <AuthProvider service={service}>
        <TokensView view="tokens" load={load} />
      </AuthProvider>,
    );
    expect(screen.getByText('Loading your tokens…')).toBeTruthy();
    expect(await screen.findByText(`inspector for ${service.config.clientId}`)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Decode or compare another token' }).getAttribute('href')).toBe('#/decode');
    expect(inspected[0]).toMatchObject({ idToken: 'fake-id-token', accessToken: 'fake-access-token' });
  });

  it('explains when no token can be had', async () => {
    const service = new FakeAuthService();
    const { SignInError } = await import('../../../src/app/auth/errors.ts');
    service.tokenError = new SignInError('AUTH_FAILED', 'x', { aadsts: 50076 });
    render(
      <AuthProvider service={service}>
        <TokensView view="tokens" load={async () => ({ TokenInspector: EmptyInspector })} />
      </AuthProvider>,
    );
    expect(await screen.findByRole('heading', { name: 'Multi-factor verification is required' })).toBeTruthy();
  });
});
