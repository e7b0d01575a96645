import { useEffect, useRef, useState } from 'preact/hooks';
import { isSignInError } from '../auth/errors.ts';
import { getCluster } from '../databricks/clusters.ts';
import type { ClusterDetails } from '../databricks/types.ts';
import { ErrorPanel } from '../errors/error-panel.tsx';
import { StateBadge } from './cluster-table.tsx';
import { useWorkspace } from './workspace-context.tsx';

/** The `clusters/get` answer for one cluster: key facts and the full JSON. */
export function ClusterDetailsPanel({ clusterId, onClose }: { clusterId: string; onClose(): void }) {
  const { client } = useWorkspace();
  const [state, setState] = useState<
    { status: 'loading' } | { status: 'ok'; cluster: ClusterDetails } | { status: 'error'; error: unknown }
  >({
    status: 'loading',
  });
  const [attempt, setAttempt] = useState(0);
  const panel = useRef<HTMLElement>(null);

  // The panel opens below the table: bring it into view when another cluster is chosen.
  useEffect(() => {
    panel.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, [clusterId]);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    getCluster(client, clusterId, { signal: controller.signal }).then(
      (cluster) => setState({ status: 'ok', cluster }),
      (error: unknown) => {
        if (controller.signal.aborted || (isSignInError(error) && error.code === 'AUTH_REDIRECTING')) return;
        setState({ status: 'error', error });
      },
    );
    return () => controller.abort(new DOMException('The details panel closed.', 'AbortError'));
  }, [client, clusterId, attempt]);

  return (
    <aside class="details" aria-label="Cluster details" ref={panel}>
      <header>
        <h2>{state.status === 'ok' ? state.cluster.cluster_name || clusterId : clusterId}</h2>
        <button type="button" onClick={onClose}>
          Close details
        </button>
      </header>
      {state.status === 'loading' && <p role="status">Loading cluster details…</p>}
      {state.status === 'error' && <ErrorPanel error={state.error} onRetry={() => setAttempt((n) => n + 1)} compact />}
      {state.status === 'ok' && (
        <>
          <dl class="facts">
            <dt>State</dt>
            <dd>
              <StateBadge state={typeof state.cluster.state === 'string' ? state.cluster.state : 'UNKNOWN'} />{' '}
              {typeof state.cluster.state_message === 'string' ? state.cluster.state_message : ''}
            </dd>
            <dt>Cluster ID</dt>
            <dd>
              <code>{state.cluster.cluster_id}</code>
            </dd>
          </dl>
          <section aria-label="Cluster JSON">
            <h3>Full JSON from clusters/get</h3>
            <pre class="json">{JSON.stringify(state.cluster, null, 2)}</pre>
          </section>
        </>
      )}
    </aside>
  );
}
