import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { ErrorPanel } from '../errors/error-panel.tsx';
import { type ClusterRow, countClusters, distinctValues, filterRows, type SortColumn } from './cluster-model.ts';
import { ClusterTable } from './cluster-table.tsx';
import type { ClusterListControls } from './clusters-store.ts';
import { useStore } from '../state/store.ts';
import { useWorkspace } from '../components/workspace-context.tsx';
import { lazyView } from '../components/lazy-view.tsx';

/** A cluster's details drawer: its code loads on first use, or once the first clusters are shown. */
export const ClusterDetailsPanel = lazyView(
  'ClusterDetailsPanel',
  () => import('./cluster-details.tsx').then((m) => m.ClusterDetailsPanel),
  null,
);

const EMPTY: ReadonlySet<string> = new Set();
const count = new Intl.NumberFormat(undefined);

/** Shows "retrying in N s" while the client waits before a retry. */
export function RetryNoticeBanner() {
  const { retryNotice } = useWorkspace();
  const notice = useStore(retryNotice);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!notice) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [notice]);
  if (!notice) return null;
  const seconds = Math.max(0, Math.ceil((notice.at + notice.delayMs - now) / 1000));
  const why =
    notice.status === 429
      ? 'The workspace is rate limiting (HTTP 429)'
      : `The workspace is busy (HTTP ${notice.status})`;
  return (
    <p class="notice" role="status">
      {why}: retrying in {seconds} s (attempt {notice.attempt + 1}).
    </p>
  );
}

/**
 * Every cluster of the workspace: rows appear as pages arrive, with search, sort by any column,
 * filters by state and source, a details panel, refresh, and empty and error states.
 */
export function ClustersView() {
  const { clusters } = useWorkspace();
  const { rows, pages, done, error } = useStore(clusters.list);
  const { search, stateFilter, sourceFilter, sort } = useStore(clusters.controls);
  const setControls = (change: Partial<ClusterListControls>) =>
    clusters.controls.set({ ...clusters.controls.get(), ...change });
  const [selected, setSelected] = useState<Pick<ClusterRow, 'id' | 'name'> | null>(null);

  // The first page is requested right after render, not after the next paint (time to clusters).
  // The listing belongs to the workspace, not to this view: it keeps going, and its rows stay,
  // while another tab is open.
  useLayoutEffect(() => clusters.load(), [clusters]);

  // Each column is sorted once per list of rows; clicking a header again costs no sorting.
  const sorted = useMemo(() => clusters.sortCache(rows, sort.column, sort.direction), [clusters, rows, sort]);
  const filter = useMemo(
    () => ({
      search,
      states: stateFilter ? new Set([stateFilter]) : EMPTY,
      sources: sourceFilter ? new Set([sourceFilter]) : EMPTY,
    }),
    [search, stateFilter, sourceFilter],
  );
  const visible = useMemo(() => filterRows(sorted, filter), [sorted, filter]);
  const states = useMemo(() => distinctValues(rows, 'state'), [rows]);
  const sources = useMemo(() => distinctValues(rows, 'source'), [rows]);
  const progress = { pages, done };

  const loading = !progress.done && error === undefined;
  const onSort = (column: SortColumn) =>
    setControls({ sort: { column, direction: sort.column === column && sort.direction === 'asc' ? 'desc' : 'asc' } });

  return (
    <section class="clusters" aria-labelledby="clusters-heading">
      <div class="toolbar">
        <h2 id="clusters-heading">Clusters</h2>
        <label>
          Search
          <input
            type="search"
            value={search}
            onInput={(e) => setControls({ search: (e.currentTarget as HTMLInputElement).value })}
            placeholder="name, ID, creator…"
          />
        </label>
        <FilterSelect
          label="State"
          allLabel="All states"
          value={stateFilter}
          options={states}
          onChange={(value) => setControls({ stateFilter: value })}
        />
        <FilterSelect
          label="Source"
          allLabel="All sources"
          value={sourceFilter}
          options={sources}
          onChange={(value) => setControls({ sourceFilter: value })}
        />
        <button type="button" onClick={() => clusters.reload()} disabled={loading}>
          Refresh
        </button>
      </div>
      <p class="progress" role="status" aria-live="polite">
        {loading
          ? progress.pages === 0
            ? 'Loading clusters…'
            : `Loading clusters… ${count.format(rows.length)} so far (page ${progress.pages})`
          : error === undefined
            ? `${countClusters(rows.length)}${visible.length !== rows.length ? `, ${count.format(visible.length)} shown` : ''}`
            : rows.length > 0
              ? `${countClusters(rows.length)} loaded before the error`
              : 'Could not load the clusters.'}
      </p>
      <RetryNoticeBanner />
      {error !== undefined && <ErrorPanel error={error} onRetry={() => clusters.reload()} />}
      {progress.done && rows.length === 0 && <p class="empty">No clusters in this workspace yet.</p>}
      {rows.length > 0 && visible.length === 0 && <p class="empty">No clusters match the search and filters.</p>}
      {visible.length > 0 && (
        <ClusterTable
          rows={visible}
          sort={sort}
          onSort={onSort}
          onOpen={(row) => setSelected({ id: row.id, name: row.name })}
          selectedId={selected?.id ?? null}
        />
      )}
      {selected && (
        <ClusterDetailsPanel
          clusterId={selected.id}
          name={selected.name}
          onClose={() => setSelected(null)}
          returnFocus={() =>
            document.querySelector<HTMLElement>(`.cluster-table [data-cluster-id="${CSS.escape(selected.id)}"]`)
          }
        />
      )}
    </section>
  );
}

/** A filter drop-down: "all" (the empty value) and then each option. */
function FilterSelect(props: {
  label: string;
  allLabel: string;
  value: string;
  options: readonly string[];
  onChange(value: string): void;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">{props.allLabel}</option>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}
