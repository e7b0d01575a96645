import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { ApiExplorerTab } from '../../../src/app/api-explorer/api-explorer-tab.tsx';
import type { ApiExplorerProps } from '../../../src/app/api-explorer/api-explorer.tsx';
import { AuthProvider } from '../../../src/app/auth/auth-context.tsx';
import { createClustersStore } from '../../../src/app/clusters/clusters-store.ts';
import { createStore } from '../../../src/app/state/store.ts';
import { WorkspaceContext, type WorkspaceContextValue } from '../../../src/app/components/workspace-context.tsx';
import { createTimeline } from '../../../src/app/timeline/timeline.ts';
import { FakeAuthService, fakeClient } from '../support/fakes.ts';

function renderTab(load: () => Promise<(props: ApiExplorerProps) => preact.JSX.Element>) {
  const { client } = fakeClient({});
  const workspace: WorkspaceContextValue = {
    client,
    timeline: createTimeline(),
    lastCall: createStore(null),
    retryNotice: createStore(null),
    clusters: createClustersStore(client),
    reader: {
      getJsonText: () => Promise.reject(new Error('the API Explorer tab reads nothing through the clusters reader')),
    },
  };
  return render(
    <AuthProvider service={new FakeAuthService()}>
      <WorkspaceContext.Provider value={workspace}>
        <ApiExplorerTab load={load} />
      </WorkspaceContext.Provider>
    </AuthProvider>,
  );
}

describe('API Explorer tab', () => {
  it('loads the explorer only when shown, and hands it the client, the configuration and the error panel', async () => {
    let loads = 0;
    renderTab(async () => {
      loads += 1;
      return ({ config, ErrorView }) => (
        <p>
          explorer for {config.workspaceHost} {typeof ErrorView}
        </p>
      );
    });
    expect(screen.getByRole('status').textContent).toBe('Loading the API Explorer…');
    expect(await screen.findByText('explorer for localhost:5175 function')).toBeTruthy();
    expect(loads).toBe(1);
  });

  it('explains a failed load through the error doctor (a reload fetches the code again)', async () => {
    renderTab(async () => {
      throw new TypeError('Failed to fetch dynamically imported module');
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('TypeError: Failed to fetch dynamically imported module');
    expect(screen.getByRole('button', { name: 'Reload the page' })).toBeTruthy();
  });
});
