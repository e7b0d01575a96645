import { render, screen, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../src/app/app.tsx';
import type { AuthService } from '../../../src/app/auth/types.ts';
import { lazyView } from '../../../src/app/components/lazy-view.tsx';
import { DatabricksApiError } from '../../../src/app/databricks/errors.ts';
import { DoctorActionsContext } from '../../../src/app/errors/error-panel.tsx';
import { createTimeline } from '../../../src/app/timeline/timeline.ts';
import { FakeAuthService, makeCluster } from '../support/fakes.ts';

/** Views off the path to the clusters load their code on first use, and stay usable by keyboard. */

describe('lazyView', () => {
  it('says it is loading, then shows the view with its props; once loaded it renders at once', async () => {
    let loads = 0;
    const Greeting = lazyView(
      'Greeting',
      async () => {
        loads += 1;
        return ({ who }: { who: string }) => <p>Hello {who}</p>;
      },
      'Loading the greeting…',
    );
    const first = render(<Greeting who="Ana" />);
    expect(screen.getByRole('status').textContent).toBe('Loading the greeting…');
    expect(await screen.findByText('Hello Ana')).toBeTruthy();
    first.unmount();
    render(<Greeting who="Ben" />);
    expect(screen.getByText('Hello Ben')).toBeTruthy();
    expect(loads).toBe(1);
  });

  it('explains a failed load of its code: a reload fetches it again', async () => {
    const reload = vi.fn();
    const Offline = lazyView(
      'Offline',
      async () => {
        throw new TypeError('Failed to fetch dynamically imported module');
      },
      'Loading…',
    );
    render(
      <DoctorActionsContext.Provider value={{ context: { origin: 'https://localhost:5173' }, reload }}>
        <Offline />
      </DoctorActionsContext.Provider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('TypeError: Failed to fetch dynamically imported module');
    await userEvent.click(within(alert).getByRole('button', { name: 'Reload the page' }));
    expect(reload).toHaveBeenCalledOnce();
  });

  it('loads again on "Try again" after another failure', async () => {
    let fail = true;
    const Flaky = lazyView(
      'Flaky',
      async () => {
        // Any failure the doctor answers with "Try again" (a view's loader may call the workspace).
        if (fail) throw new DatabricksApiError({ method: 'GET', path: '/x' }, { status: 503 });
        return () => <p>loaded at last</p>;
      },
      'Loading…',
    );
    render(<Flaky />);
    const alert = await screen.findByRole('alert');
    fail = false;
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('loaded at last')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('preloads without rendering, so the first render needs no wait', async () => {
    const Ready = lazyView('Ready', async () => () => <p>ready</p>, 'Loading…');
    await Ready.preload();
    render(<Ready />);
    expect(screen.getByText('ready')).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('shows nothing while loading when asked to (dialogs)', async () => {
    const Dialog = lazyView('Dialog', async () => () => <p>dialog</p>, null);
    const { container } = render(<Dialog />);
    expect(container.textContent).toBe('');
    expect(await screen.findByText('dialog')).toBeTruthy();
  });
});

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function renderApp(service: AuthService) {
  return render(
    <App
      loadConfig={async () => ({ ok: true, config: service.config, wire: {}, server: {}, overrides: {} })}
      createAuth={async () => service}
      timeline={createTimeline()}
      reload={() => {}}
    />,
  );
}

describe('lazily loaded views in the app', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/');
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = new URL(new Request(input, init).url).pathname.replace('/databricks/localhost:5175', '');
      if (path === '/api/2.1/clusters/list') return json(200, { clusters: [makeCluster(0, { cluster_name: 'etl' })] });
      if (path === '/api/2.0/preview/scim/v2/Me') return json(200, { userName: 'ana@contoso.example' });
      return json(404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No API found for ${path}` });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('are reached by keyboard: arrow to a tab, then Tab into its view once its code is in', async () => {
    const user = userEvent.setup();
    renderApp(new FakeAuthService());
    await screen.findByRole('button', { name: 'Details of etl' });
    screen.getByRole('tab', { name: 'Clusters' }).focus();
    await user.keyboard('{ArrowRight}{ArrowRight}{ArrowRight}{ArrowRight}'); // Tokens, Timeline, Decode, Show me how
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Show me how' }));
    const panel = screen.getByRole('tabpanel');
    const copy = (await within(panel).findAllByRole('button', { name: /^Copy/ }))[0];
    await user.tab();
    // The first control in the view is its first stop after the tab list.
    expect(document.activeElement).toBe(within(panel).getAllByRole('button')[0]);
    expect(copy).toBeTruthy();
  });

  it("open a cluster's details by keyboard: Enter on its name opens the drawer, Escape gives focus back", async () => {
    const user = userEvent.setup();
    renderApp(new FakeAuthService());
    const name = await screen.findByRole('button', { name: 'Details of etl' });
    name.focus();
    await user.keyboard('{Enter}');
    const drawer = await screen.findByRole('dialog', { name: /etl/ });
    expect(drawer.contains(document.activeElement)).toBe(true);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Details of etl' }));
  });
});
