import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ClustersView } from '../../../src/app/clusters/clusters-view.tsx';
import { createClustersStore } from '../../../src/app/clusters/clusters-store.ts';
import { createStore } from '../../../src/app/state/store.ts';
import { WorkspaceContext, type WorkspaceContextValue } from '../../../src/app/components/workspace-context.tsx';
import {
  createWorkspaceClient,
  type RequestOptions,
  type WorkspaceClient,
} from '../../../src/app/databricks/client.ts';
import type { TextReader } from '../../../src/app/databricks/text-reader.ts';
import { DatabricksApiError } from '../../../src/app/databricks/errors.ts';
import { createTimeline } from '../../../src/app/timeline/timeline.ts';
import { fakeClient, makeCluster, pagedClusters } from '../support/fakes.ts';

/** A TextReader answering from functions keyed by path with the body text itself. */
function fakeReader(routes: Record<string, (options: RequestOptions) => string> = {}) {
  const calls: { path: string; options: RequestOptions }[] = [];
  const reader: TextReader = {
    async getJsonText(path, options = {}) {
      calls.push({ path, options });
      const route = routes[path];
      if (!route) throw new Error(`fake reader: no route for ${path}`);
      return route(options);
    },
  };
  return { reader, calls };
}

function renderView(
  client: WorkspaceClient,
  reader: TextReader = fakeReader().reader,
  retryNotice = createStore<
    WorkspaceContextValue['retryNotice'] extends import('../../../src/app/state/store.ts').Store<infer T> ? T : never
  >(null),
) {
  const value: WorkspaceContextValue = {
    client,
    reader,
    timeline: createTimeline(),
    lastCall: createStore(null),
    retryNotice,
    clusters: createClustersStore(client),
  };
  const utils = render(
    <WorkspaceContext.Provider value={value}>
      <ClustersView />
    </WorkspaceContext.Provider>,
  );
  return { ...utils, value };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function dataRows() {
  return screen.getAllByRole('row').slice(1);
}

describe('clusters view', () => {
  it('shows rows as pages arrive, with progress, until the list is complete', async () => {
    const second = deferred<unknown>();
    const { client } = fakeClient({
      '/api/2.1/clusters/list': (options) =>
        options.query?.page_token
          ? second.promise
          : { clusters: [makeCluster(0), makeCluster(1)], next_page_token: 'p2' },
    });
    renderView(client);
    expect(screen.getByRole('status').textContent).toBe('Loading clusters…');
    expect(await screen.findByRole('button', { name: 'Details of cluster-00001' })).toBeTruthy();
    expect(screen.getByText('Loading clusters… 2 so far (page 1)')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Refresh' }) as HTMLButtonElement).disabled).toBe(true);
    second.resolve({ clusters: [makeCluster(2)] });
    expect(await screen.findByText('3 clusters')).toBeTruthy();
    expect(dataRows()).toHaveLength(3);
  });

  it('shows state badges, workers for fixed and autoscale sizes, and termination reasons', async () => {
    const { client } = fakeClient({
      '/api/2.1/clusters/list': () => ({
        clusters: [
          makeCluster(0, { cluster_name: 'fixed', num_workers: 4, state: 'RUNNING' }),
          makeCluster(1, {
            cluster_name: 'auto',
            num_workers: undefined,
            autoscale: { min_workers: 2, max_workers: 8 },
            state: 'TERMINATED',
            termination_reason: { code: 'INACTIVITY', type: 'SUCCESS', parameters: { inactivity_duration_min: '60' } },
          }),
        ],
      }),
    });
    renderView(client);
    const auto = (await screen.findByRole('button', { name: 'Details of auto' })).closest('tr') as HTMLElement;
    expect(within(auto).getByText('2–8 (autoscale)')).toBeTruthy();
    expect(within(auto).getByText('INACTIVITY')).toBeTruthy();
    expect(within(auto).getByText('TERMINATED').className).toBe('badge state-terminated');
    const fixed = screen.getByRole('button', { name: 'Details of fixed' }).closest('tr') as HTMLElement;
    expect(within(fixed).getByText('4')).toBeTruthy();
    expect(within(fixed).getByText('RUNNING').className).toBe('badge state-running');
  });

  it('keeps only a window of rows in the DOM with 10,000 clusters', async () => {
    const { client, calls } = fakeClient({ '/api/2.1/clusters/list': pagedClusters(10_000) });
    renderView(client);
    // 100 pages rendered one after another: seconds on an idle machine, much longer on a busy one.
    expect(await screen.findByText('10,000 clusters', {}, { timeout: 50_000 })).toBeTruthy();
    expect(calls).toHaveLength(100);
    expect(screen.getByRole('table', { name: 'Clusters' }).getAttribute('aria-rowcount')).toBe('10001');
    const rows = dataRows();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(60);
    expect(screen.getByRole('button', { name: 'Details of cluster-00000' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Details of cluster-09999' })).toBeNull();
  }, 60_000);

  it('renders the rows further down when scrolled', async () => {
    const { client } = fakeClient({ '/api/2.1/clusters/list': pagedClusters(1000) });
    const { container } = renderView(client);
    await screen.findByText('1,000 clusters');
    const viewport = container.querySelector('.table-viewport') as HTMLElement;
    viewport.scrollTop = 36 * 500;
    fireEvent.scroll(viewport);
    expect(await screen.findByRole('button', { name: 'Details of cluster-00500' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Details of cluster-00000' })).toBeNull();
  });

  it('does not duplicate a cluster served on two pages', async () => {
    const { client } = fakeClient({
      '/api/2.1/clusters/list': (options) =>
        options.query?.page_token
          ? { clusters: [makeCluster(1), makeCluster(2)] }
          : { clusters: [makeCluster(0), makeCluster(1)], next_page_token: 'x' },
    });
    renderView(client);
    expect(await screen.findByText('3 clusters')).toBeTruthy();
    expect(dataRows()).toHaveLength(3);
  });

  it('searches, filters by state and source, and sorts by a column', async () => {
    const user = userEvent.setup();
    const { client } = fakeClient({ '/api/2.1/clusters/list': pagedClusters(30) });
    renderView(client);
    await screen.findByText('30 clusters');

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'cluster-0001');
    expect(dataRows()).toHaveLength(10);
    expect(screen.getByText('30 clusters, 10 shown')).toBeTruthy();

    await user.clear(screen.getByRole('searchbox', { name: 'Search' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'State' }), 'RUNNING');
    expect(dataRows()).toHaveLength(10);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Source' }), 'JOB');
    expect(screen.getByText('No clusters match the search and filters.')).toBeTruthy();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Source' }), 'UI');
    expect(dataRows()).toHaveLength(10);
    await user.selectOptions(screen.getByRole('combobox', { name: 'State' }), '');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Source' }), '');

    const nameHeader = screen.getByRole('columnheader', { name: /Name/ });
    expect(nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await user.click(within(nameHeader).getByRole('button'));
    expect(nameHeader.getAttribute('aria-sort')).toBe('descending');
    expect(within(dataRows()[0]!).getByRole('button').textContent).toBe('cluster-00029');

    const workers = screen.getByRole('columnheader', { name: /Workers/ });
    await user.click(within(workers).getByRole('button'));
    expect(workers.getAttribute('aria-sort')).toBe('ascending');
    expect(within(dataRows()[0]!).getAllByRole('cell')[5]!.textContent).toBe('0 (single node)');
  });

  it('shows hostile names, creators and states as text', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const rtl = '\u202Eevil.exe\u202C';
    const long = 'x'.repeat(5000);
    const { client } = fakeClient({
      '/api/2.1/clusters/list': () => ({
        clusters: [
          makeCluster(0, { cluster_name: hostile, creator_user_name: rtl, state: '<b>BAD</b>' }),
          makeCluster(1, { cluster_name: long }),
        ],
      }),
    });
    const { container } = renderView(client);
    expect(await screen.findByRole('button', { name: `Details of ${hostile}` })).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(within(screen.getByRole('table')).getByText('<b>BAD</b>').className).toBe('badge state-other');
    expect(screen.getByText(rtl)).toBeTruthy();
    expect(screen.getByRole('button', { name: `Details of ${long}` })).toBeTruthy();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('says so when the workspace has no clusters', async () => {
    const { client } = fakeClient({ '/api/2.1/clusters/list': () => ({}) });
    renderView(client);
    expect(await screen.findByText('No clusters in this workspace yet.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('explains a failure and loads again when asked to retry', async () => {
    let fail = true;
    const { client } = fakeClient({
      '/api/2.1/clusters/list': () => {
        if (fail)
          throw new DatabricksApiError(
            { method: 'GET', path: '/api/2.1/clusters/list' },
            { status: 503, errorCode: 'TEMPORARILY_UNAVAILABLE' },
          );
        return { clusters: [makeCluster(0)] };
      },
    });
    renderView(client);
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading').textContent).toBe('The workspace had a problem');
    fail = false;
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('1 cluster')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('opens the details in a drawer that takes focus, shows a readable summary and the exact JSON, and gives focus back on Escape', async () => {
    const user = userEvent.setup();
    const { client } = fakeClient({ '/api/2.1/clusters/list': () => ({ clusters: [makeCluster(7)] }) });
    // As real clusters/get answers carry it: a 19-digit integer that a JavaScript number would round.
    const body = JSON.stringify({
      ...makeCluster(7, {
        state: 'TERMINATED',
        state_message: 'Inactive cluster terminated (inactive for 60 minutes).',
        driver_node_type_id: 'Standard_DS4_v2',
        autoscale: { min_workers: 2, max_workers: 8 },
        num_workers: undefined,
        policy_id: 'E0631F5C0D000A2B',
        data_security_mode: 'USER_ISOLATION',
        termination_reason: { code: 'INACTIVITY', type: 'SUCCESS', parameters: { inactivity_duration_min: '60' } },
        custom_tags: { team: 'analytics' },
        spark_conf: { 'spark.x': '<y>' },
      }),
    }).replace('"spark_conf"', '"spark_context_id":4020997813441462123,"spark_conf"');
    const { reader, calls } = fakeReader({ '/api/2.1/clusters/get': () => body });
    renderView(client, reader);
    const name = await screen.findByRole('button', { name: 'Details of cluster-00007' });
    await user.click(name);

    const drawer = await screen.findByRole('dialog', { name: /cluster-00007/ });
    expect(await within(drawer).findByText('Runtime')).toBeTruthy();
    expect(drawer.contains(document.activeElement)).toBe(true);
    const facts = Object.fromEntries(
      within(drawer)
        .getAllByRole('term')
        .map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]),
    );
    expect(facts).toMatchObject({
      State: 'TERMINATED',
      'State message': 'Inactive cluster terminated (inactive for 60 minutes).',
      Runtime: '15.4.x-scala2.12',
      'Driver node type': 'Standard_DS4_v2',
      'Worker node type': 'Standard_DS3_v2',
      Workers: 'Autoscale from 2 to 8 workers',
      Creator: 'ana@contoso.example',
      Policy: 'E0631F5C0D000A2B',
      'Access mode': 'Standard (shared, with user isolation) [USER_ISOLATION]',
      Tags: 'team = analytics',
    });
    expect(facts['Termination reason']).toMatch(/^The cluster stopped itself after 60 minutes without activity/);
    expect(facts.Started).toMatch(/\d{1,2}:\d{2}/);

    const json = within(drawer).getByRole('region', { name: 'Full JSON from clusters/get' });
    expect(json.textContent).toContain('"spark_context_id": 4020997813441462123');
    expect(json.textContent).toContain('"spark.x": "<y>"');
    expect(json.tabIndex).toBe(0);
    expect(calls.at(-1)?.options.query).toEqual({ cluster_id: '0612-081530-c00007' });

    // Copied exactly as shown, the 19-digit integer included.
    const copied: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (text: string) => void copied.push(text) },
    });
    await user.click(within(drawer).getByRole('button', { name: 'Copy JSON' }));
    expect(copied).toEqual([json.textContent]);
    expect(await within(drawer).findByText('Copied.')).toBeTruthy();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Details of cluster-00007' }));
  });

  it('closes the details with the close button', async () => {
    const { client } = fakeClient({ '/api/2.1/clusters/list': () => ({ clusters: [makeCluster(3)] }) });
    const { reader } = fakeReader({ '/api/2.1/clusters/get': () => JSON.stringify(makeCluster(3)) });
    renderView(client, reader);
    await userEvent.click(await screen.findByRole('button', { name: 'Details of cluster-00003' }));
    const drawer = await screen.findByRole('dialog', { name: /cluster-00003/ });
    await userEvent.click(await within(drawer).findByRole('button', { name: 'Close details' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('counts clusters with the right plural and digit grouping', async () => {
    const { client } = fakeClient({ '/api/2.1/clusters/list': pagedClusters(1) });
    const { unmount } = renderView(client);
    expect(await screen.findByText('1 cluster')).toBeTruthy();
    unmount();
    renderView(fakeClient({ '/api/2.1/clusters/list': pagedClusters(1234) }).client);
    expect(await screen.findByText('1,234 clusters')).toBeTruthy();
  });

  it('sorts names without regard to case, and numbers in names by value', async () => {
    const user = userEvent.setup();
    const names = ['SQL Warehouse', 'ana-scratch', 'cluster-10', 'cluster-9', 'Bronze'];
    const { client } = fakeClient({
      '/api/2.1/clusters/list': () => ({ clusters: names.map((n, i) => makeCluster(i, { cluster_name: n })) }),
    });
    renderView(client);
    await screen.findByText('5 clusters');
    const shown = () => dataRows().map((row) => within(row).getByRole('button').textContent);
    expect(shown()).toEqual(['ana-scratch', 'Bronze', 'cluster-9', 'cluster-10', 'SQL Warehouse']);
    await user.click(within(screen.getByRole('columnheader', { name: /Name/ })).getByRole('button'));
    expect(shown()).toEqual(['SQL Warehouse', 'cluster-10', 'cluster-9', 'Bronze', 'ana-scratch']);
  });

  it('keeps listing while the view is away, shows the rows on return without asking again, and aborts when the workspace store is disposed', async () => {
    let second = deferred<unknown>();
    const { client, calls } = fakeClient({
      '/api/2.1/clusters/list': (options) =>
        options.query?.page_token ? second.promise : { clusters: [makeCluster(0)], next_page_token: 'p2' },
    });
    const { unmount, value } = renderView(client);
    await screen.findByText('Loading clusters… 1 so far (page 1)');
    unmount();
    second.resolve({ clusters: [makeCluster(1)] });
    await waitFor(() => expect(value.clusters.list.get().done).toBe(true));
    render(
      <WorkspaceContext.Provider value={value}>
        <ClustersView />
      </WorkspaceContext.Provider>,
    );
    expect(screen.getByText('2 clusters')).toBeTruthy();
    expect(dataRows()).toHaveLength(2);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.options.signal!.aborted).toBe(false);

    second = deferred<unknown>();
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText('Loading clusters… 1 so far (page 1)')).toBeTruthy();
    expect(calls).toHaveLength(4);
    expect(calls[2]!.options.query?.page_token).toBeUndefined();
    value.clusters.dispose();
    await waitFor(() => expect(calls[3]!.options.signal!.aborted).toBe(true));
  });

  it('keeps the search, filters and sort when the view comes back', async () => {
    const user = userEvent.setup();
    const { client } = fakeClient({ '/api/2.1/clusters/list': pagedClusters(30) });
    const { unmount, value } = renderView(client);
    await screen.findByText('30 clusters');
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'cluster-0001');
    await user.click(within(screen.getByRole('columnheader', { name: /Name/ })).getByRole('button'));
    unmount();
    render(
      <WorkspaceContext.Provider value={value}>
        <ClustersView />
      </WorkspaceContext.Provider>,
    );
    expect((screen.getByRole('searchbox', { name: 'Search' }) as HTMLInputElement).value).toBe('cluster-0001');
    expect(screen.getByText('30 clusters, 10 shown')).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('descending');
    expect(within(dataRows()[0]!).getByRole('button').textContent).toBe('cluster-00019');
  });

  it('shows "retrying in N s" while the workspace rate limits, then the clusters', async () => {
    const release = deferred<void>();
    const retryNotice = createStore<{
      path: string;
      status: number;
      delayMs: number;
      attempt: number;
      at: number;
    } | null>(null);
    let n = 0;
    const client = createWorkspaceClient({
      workspaceHost: 'localhost:5175',
      origin: 'https://localhost:5173',
      getAccessToken: async () => 't',
      fetch: async () => {
        if (n++ === 0)
          return new Response(JSON.stringify({ error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow' }), {
            status: 429,
            headers: { 'retry-after': '1' },
          });
        // The retry goes out after ky's one-second wait; its answer waits for the test.
        await release.promise;
        return new Response(JSON.stringify({ clusters: [makeCluster(0)] }), { status: 200 });
      },
      onRetry: (notice) => retryNotice.set({ ...notice, at: Date.now() }),
      onCall: (record) => record.status === 200 && retryNotice.set(null),
    });
    renderView(client, undefined, retryNotice);
    expect(await screen.findByText(/The workspace is rate limiting \(HTTP 429\): retrying in 1 s/)).toBeTruthy();
    release.resolve();
    expect(await screen.findByText('1 cluster', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByText(/retrying in/)).toBeNull();
  });
});
