import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { isSignInError } from '../auth/errors.ts';
import { getClusterText } from '../databricks/clusters.ts';
import type { ClusterDetails } from '../databricks/types.ts';
import { ErrorPanel } from '../errors/error-panel.tsx';
import { formatJson } from '../json/lossless-json.ts';
import { StateBadge } from './cluster-table.tsx';
import { summarizeCluster } from './cluster-summary.ts';
import { Modal } from '../components/modal.tsx';
import { useWorkspace } from '../components/workspace-context.tsx';

type Loaded = { cluster: ClusterDetails; json: string };

/**
 * One cluster's `clusters/get` answer in a side drawer: a readable summary first (state, runtime,
 * node types, workers, creator, policy, access mode, times, termination reason in plain words,
 * tags), then the full JSON exactly as the workspace sent it. The drawer is a modal dialog: it
 * takes focus, Escape closes it, and focus goes back to the cluster's name in the table.
 */
export function ClusterDetailsPanel({
  clusterId,
  name,
  onClose,
  returnFocus,
}: {
  clusterId: string;
  /** The name from the list, shown while the details load. */
  name?: string | undefined;
  onClose(): void;
  returnFocus?: () => HTMLElement | null | undefined;
}) {
  const { reader } = useWorkspace();
  const [state, setState] = useState<
    { status: 'loading' } | ({ status: 'ok' } & Loaded) | { status: 'error'; error: unknown }
  >({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  // `attempt` is the retry button's trigger: a new attempt loads the details again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt re-runs the load on retry by design
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    setCopied(null);
    getClusterText(reader, clusterId, { signal: controller.signal }).then(
      (text) => {
        // Parsed once for the summary (strings and small numbers); the JSON shown is the text itself.
        const cluster = JSON.parse(text) as ClusterDetails;
        setState({ status: 'ok', cluster, json: formatJson(text) });
      },
      (error: unknown) => {
        if (controller.signal.aborted || (isSignInError(error) && error.code === 'AUTH_REDIRECTING')) return;
        setState({ status: 'error', error });
      },
    );
    return () => controller.abort(new DOMException('The details panel closed.', 'AbortError'));
  }, [reader, clusterId, attempt]);

  const title = state.status === 'ok' ? state.cluster.cluster_name || clusterId : name || clusterId;
  const copy = (json: string) =>
    navigator.clipboard?.writeText(json).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    ) ?? setCopied('failed');

  return (
    <Modal
      class="drawer"
      labelledBy="cluster-details-title"
      onClose={onClose}
      returnFocus={returnFocus}
      contentKey={state.status}
    >
      <div class="details">
        <header>
          <h2 id="cluster-details-title">
            <span class="visually-hidden">Cluster details: </span>
            {title}
          </h2>
          <button type="button" onClick={onClose}>
            Close details
          </button>
        </header>
        {state.status === 'loading' && <p role="status">Loading cluster details…</p>}
        {state.status === 'error' && (
          <ErrorPanel error={state.error} onRetry={() => setAttempt((n) => n + 1)} compact />
        )}
        {state.status === 'ok' && <Summary cluster={state.cluster} />}
        {state.status === 'ok' && (
          <div class="details-json">
            <div class="details-json-head">
              <h3 id="cluster-json-title">Full JSON from clusters/get</h3>
              <button type="button" onClick={() => copy(state.json)}>
                Copy JSON
              </button>
              <span role="status" class="copy-status">
                {copied === 'yes'
                  ? 'Copied.'
                  : copied === 'failed'
                    ? 'Copying is not allowed here; select the text.'
                    : ''}
              </span>
            </div>
            {/* A named region that a keyboard can focus, and so scroll. */}
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
            <section class="json" tabIndex={0} aria-labelledby="cluster-json-title">
              <pre>{state.json}</pre>
            </section>
          </div>
        )}
      </div>
    </Modal>
  );
}

function Summary({ cluster }: { cluster: ClusterDetails }) {
  const { facts, tags } = summarizeCluster(cluster);
  return (
    <section aria-labelledby="cluster-summary-title">
      <h3 id="cluster-summary-title" class="visually-hidden">
        Summary
      </h3>
      <dl class="facts">
        <dt>State</dt>
        <dd>
          <StateBadge state={typeof cluster.state === 'string' ? cluster.state : 'UNKNOWN'} />
        </dd>
        {facts.map((fact) => (
          <Fragment key={fact.label}>
            <dt>{fact.label}</dt>
            <dd>{fact.label === 'Cluster ID' ? <code>{fact.value}</code> : fact.value}</dd>
          </Fragment>
        ))}
        <dt>Tags</dt>
        <dd>
          {tags.length === 0 ? (
            'None'
          ) : (
            <ul class="tags">
              {tags.map((tag) => (
                <li key={tag}>
                  <code>{tag}</code>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </section>
  );
}
