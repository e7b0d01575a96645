import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import {
  type ClusterRow,
  COLUMNS,
  formatTime,
  type SortColumn,
  type SortDirection,
  visibleRange,
} from './cluster-model.ts';

/** Fixed row height in pixels; must match `--row` in styles.css. */
export const ROW_HEIGHT = 36;
/** Used when the viewport has no layout (a DOM emulator), so a sensible window still renders. */
const FALLBACK_VIEWPORT = 600;

const KNOWN_STATES = new Set([
  'PENDING',
  'RUNNING',
  'RESTARTING',
  'RESIZING',
  'TERMINATING',
  'TERMINATED',
  'ERROR',
  'UNKNOWN',
]);

export function StateBadge({ state }: { state: string }) {
  const known = KNOWN_STATES.has(state) ? state.toLowerCase() : 'other';
  return <span class={`badge state-${known}`}>{state}</span>;
}

function cellText(row: ClusterRow, column: SortColumn): string {
  if (column === 'startTime' || column === 'terminatedTime') return formatTime(row[column]);
  return row[column];
}

/**
 * The clusters table, windowed: only the rows in view (plus a few) are in the DOM, so 10,000
 * clusters scroll and filter without delay. Two spacer rows stand in for the rest; their heights
 * are set through the CSSOM (allowed by our CSP, unlike style attributes).
 */
export function ClusterTable(props: {
  rows: readonly ClusterRow[];
  sort: { column: SortColumn; direction: SortDirection };
  onSort(column: SortColumn): void;
  onOpen(row: ClusterRow): void;
  selectedId: string | null;
}) {
  const { rows, sort } = props;
  const viewport = useRef<HTMLDivElement>(null);
  const above = useRef<HTMLTableRowElement>(null);
  const below = useRef<HTMLTableRowElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_VIEWPORT);

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight > 0 ? el.clientHeight : FALLBACK_VIEWPORT);
    if (typeof ResizeObserver !== 'function') {
      measure();
      return;
    }
    // No reading of clientHeight here: in a layout effect that forces a synchronous style and
    // layout pass before the first rows are painted (the largest piece of the first render at
    // 10,000 clusters). The first window uses the fallback height; the observer's first callback,
    // which comes after the browser's own layout and before the paint, brings the real one.
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A shorter list can leave the scroll position past its end.
  const top = Math.min(scrollTop, Math.max(0, rows.length * ROW_HEIGHT - height));
  const { first, last } = visibleRange(rows.length, top, height, ROW_HEIGHT);

  useLayoutEffect(() => {
    if (above.current) above.current.style.height = `${first * ROW_HEIGHT}px`;
    if (below.current) below.current.style.height = `${(rows.length - last) * ROW_HEIGHT}px`;
  }, [rows.length, first, last]);

  return (
    <div
      class="table-viewport"
      ref={viewport}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
    >
      <table class="cluster-table" aria-label="Clusters" aria-rowcount={rows.length + 1}>
        <thead>
          <tr class="cluster-row head" aria-rowindex={1}>
            {COLUMNS.map((column) => {
              const active = sort.column === column.key;
              return (
                <th
                  key={column.key}
                  scope="col"
                  class={`cell col-${column.key}`}
                  aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button type="button" class="sort" onClick={() => props.onSort(column.key)}>
                    {column.label}
                    <span aria-hidden="true">{active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: an empty spacer row, never focusable; hidden so it is not announced as a row */}
          <tr class="spacer" aria-hidden="true" ref={above} />
          {rows.slice(first, last).map((row, i) => (
            <tr
              key={row.id}
              class={row.id === props.selectedId ? 'cluster-row selected' : 'cluster-row'}
              aria-rowindex={first + i + 2}
            >
              {COLUMNS.map((column) => (
                <td key={column.key} class={`cell col-${column.key}`} title={cellText(row, column.key)}>
                  {column.key === 'state' ? (
                    <StateBadge state={row.state} />
                  ) : column.key === 'name' ? (
                    <button
                      type="button"
                      class="link"
                      data-cluster-id={row.id}
                      onClick={() => props.onOpen(row)}
                      aria-label={`Details of ${row.name || row.id}`}
                    >
                      {row.name || row.id}
                    </button>
                  ) : (
                    cellText(row, column.key)
                  )}
                </td>
              ))}
            </tr>
          ))}
          {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: an empty spacer row, never focusable; hidden so it is not announced as a row */}
          <tr class="spacer" aria-hidden="true" ref={below} />
        </tbody>
      </table>
    </div>
  );
}
