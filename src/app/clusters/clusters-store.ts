import { isSignInError } from '../auth/errors.ts';
import { listClusters } from '../databricks/clusters.ts';
import type { WorkspaceClient } from '../databricks/client.ts';
import {
  type ClusterRow,
  createSortCache,
  type SortCache,
  type SortColumn,
  type SortDirection,
  toClusterRow,
} from './cluster-model.ts';
import { createStore, type Store } from '../state/store.ts';

export interface ClusterList {
  rows: ClusterRow[];
  /** Pages received so far (1-based count). */
  pages: number;
  /** True once the last page has arrived. */
  done: boolean;
  /** The failure that stopped the listing; `undefined` while fine. */
  error: unknown;
}

export interface ClusterListControls {
  search: string;
  stateFilter: string;
  sourceFilter: string;
  sort: { column: SortColumn; direction: SortDirection };
}

/**
 * The clusters of one workspace client, kept above the tabs: leaving the Clusters tab neither
 * drops the rows nor stops a listing in progress, so coming back costs no request.
 */
export interface ClustersStore {
  list: Store<ClusterList>;
  /** Search, filters and sort, kept with the rows. */
  controls: Store<ClusterListControls>;
  /** Sorted orders per list of rows, shared by every mount of the view. */
  sortCache: SortCache;
  /** Starts the listing unless it has already started (it may still be running). */
  load(): void;
  /** Lists again from the first page, abandoning a listing in progress. */
  reload(): void;
  /** Aborts a listing in progress; later calls to load and reload do nothing. */
  dispose(): void;
}

const INITIAL: ClusterList = { rows: [], pages: 0, done: false, error: undefined };

export function createClustersStore(client: WorkspaceClient): ClustersStore {
  const list = createStore<ClusterList>(INITIAL);
  const controls = createStore<ClusterListControls>({
    search: '',
    stateFilter: '',
    sourceFilter: '',
    sort: { column: 'name', direction: 'asc' },
  });
  let controller: AbortController | undefined;
  let disposed = false;

  function start() {
    controller?.abort(new DOMException('The clusters are being listed again.', 'AbortError'));
    const current = new AbortController();
    controller = current;
    const byId = new Map<string, ClusterRow>();
    list.set(INITIAL);
    (async () => {
      try {
        for await (const page of listClusters(client, { signal: current.signal })) {
          if (current.signal.aborted) return;
          // Keyed by ID: a page re-served after a retry cannot duplicate rows.
          for (const cluster of page.clusters) byId.set(cluster.cluster_id, toClusterRow(cluster));
          list.set({ rows: [...byId.values()], pages: page.pageNumber, done: !page.hasMore, error: undefined });
        }
      } catch (e) {
        if (current.signal.aborted || (isSignInError(e) && e.code === 'AUTH_REDIRECTING')) return;
        list.set({ ...list.get(), error: e });
      }
    })();
  }

  return {
    list,
    controls,
    sortCache: createSortCache(),
    load() {
      if (!disposed && !controller) start();
    },
    reload() {
      if (!disposed) start();
    },
    dispose() {
      disposed = true;
      controller?.abort(
        new DOMException(
          'The workspace client was replaced (account or configuration changed, or signed out).',
          'AbortError',
        ),
      );
    },
  };
}
