import { describe, expect, it } from 'vitest';
import {
  createSortCache,
  filterRows,
  naturalKey,
  sortRows,
  toClusterRow,
  visibleRange,
} from '../../../src/app/clusters/cluster-model.ts';
import { makeCluster } from '../support/fakes.ts';

describe('cluster rows', () => {
  it('describes fixed, single-node and autoscale sizes', () => {
    expect(toClusterRow(makeCluster(0, { num_workers: 4 })).workers).toBe('4');
    expect(toClusterRow(makeCluster(0, { num_workers: 0 })).workers).toBe('0 (single node)');
    expect(
      toClusterRow(makeCluster(0, { num_workers: undefined, autoscale: { min_workers: 2, max_workers: 8 } })).workers,
    ).toBe('2–8 (autoscale)');
  });

  it('treats 0 and missing times as never, and tolerates odd field types', () => {
    const row = toClusterRow({
      cluster_id: 'x',
      start_time: 0,
      terminated_time: 'soon' as unknown as number,
      state: 42 as unknown as string,
      cluster_name: null as unknown as string,
    });
    expect(row).toMatchObject({
      startTime: undefined,
      terminatedTime: undefined,
      state: 'UNKNOWN',
      name: '',
      workers: '',
    });
  });

  it('sorts by a column in either direction, ties by name', () => {
    const rows = [
      makeCluster(1, { num_workers: 2 }),
      makeCluster(2, { num_workers: 1 }),
      makeCluster(3, { num_workers: 2 }),
    ].map(toClusterRow);
    expect(sortRows(rows, 'workers', 'asc').map((r) => r.name)).toEqual([
      'cluster-00002',
      'cluster-00001',
      'cluster-00003',
    ]);
    expect(sortRows(rows, 'workers', 'desc').map((r) => r.name)).toEqual([
      'cluster-00001',
      'cluster-00003',
      'cluster-00002',
    ]);
    expect(rows.map((r) => r.name)).toEqual(['cluster-00001', 'cluster-00002', 'cluster-00003']);
  });

  it('matches the search case-insensitively across name, ID, creator and termination reason', () => {
    const rows = [
      makeCluster(1, { creator_user_name: 'Ana@Contoso.example' }),
      makeCluster(2, {
        creator_user_name: 'ben@contoso.example',
        termination_reason: { code: 'INACTIVITY', type: 'SUCCESS' },
      }),
    ].map(toClusterRow);
    const none = new Set<string>();
    expect(filterRows(rows, { search: 'ANA@', states: none, sources: none }).map((r) => r.name)).toEqual([
      'cluster-00001',
    ]);
    expect(filterRows(rows, { search: 'inactivity', states: none, sources: none }).map((r) => r.name)).toEqual([
      'cluster-00002',
    ]);
    expect(filterRows(rows, { search: 'c00002', states: none, sources: none })).toHaveLength(1);
    // The table shows the code only; the type is still found.
    expect(rows[1]!.terminationReason).toBe('INACTIVITY');
    expect(filterRows(rows, { search: 'success', states: none, sources: none }).map((r) => r.name)).toEqual([
      'cluster-00002',
    ]);
  });

  it('windows the rows around the scroll position with overscan', () => {
    expect(visibleRange(10_000, 0, 360, 36, 8)).toEqual({ first: 0, last: 18 });
    expect(visibleRange(10_000, 36 * 5000, 360, 36, 8)).toEqual({ first: 4992, last: 5018 });
    expect(visibleRange(20, 36 * 15, 360, 36, 8)).toEqual({ first: 7, last: 20 });
  });
});

describe('sort cache', () => {
  // Few distinct values per column, so most rows tie and the name/ID tie-break matters.
  const rows = Array.from({ length: 300 }, (_, i) =>
    makeCluster((i * 7919) % 300, {
      num_workers: i % 4,
      state: ['RUNNING', 'TERMINATED', 'PENDING'][i % 3],
      start_time: i % 5 === 0 ? 0 : 1_700_000_000_000 + (i % 6) * 1000,
      creator_user_name: i % 2 ? 'ana@contoso.example' : 'ben@contoso.example',
    }),
  ).map(toClusterRow);
  const columns = ['state', 'name', 'workers', 'creator', 'startTime', 'terminationReason'] as const;

  it('gives the same order as a full sort for every column and direction, ties in name order', () => {
    const sorted = createSortCache();
    for (const column of columns) {
      for (const direction of ['asc', 'desc'] as const) {
        expect(
          sorted(rows, column, direction).map((r) => r.id),
          `${column} ${direction}`,
        ).toEqual(sortRows(rows, column, direction).map((r) => r.id));
      }
    }
    // The descending order is derived from a cached ascending one, in either order of asking.
    const fresh = createSortCache();
    expect(fresh(rows, 'workers', 'desc').map((r) => r.id)).toEqual(sortRows(rows, 'workers', 'desc').map((r) => r.id));
  });

  it('returns the remembered order when a column is sorted again', () => {
    const sorted = createSortCache();
    const first = sorted(rows, 'state', 'desc');
    sorted(rows, 'name', 'asc');
    expect(sorted(rows, 'state', 'desc')).toBe(first);
  });

  it('sorts afresh when the list of rows changes, as when another page arrives', () => {
    const sorted = createSortCache();
    const before = sorted(rows, 'name', 'asc');
    const more = [...rows, toClusterRow(makeCluster(999, { cluster_name: 'aaa-first' }))];
    const after = sorted(more, 'name', 'asc');
    expect(after).not.toBe(before);
    expect(after[0]?.name).toBe('aaa-first');
    expect(after).toHaveLength(rows.length + 1);
  });
});

describe('natural text order', () => {
  it('ignores case and accents, orders digit runs by value, and keeps a fixed order for near-duplicates', () => {
    const names = [
      'SQL Warehouse',
      'ana-scratch',
      'Émile',
      'emile',
      'node-010',
      'node-9',
      'node-10',
      'Zed',
      'ana-Scratch',
    ];
    const rows = names.map((name, i) => toClusterRow(makeCluster(i, { cluster_name: name })));
    expect(sortRows(rows, 'name', 'asc').map((r) => r.name)).toEqual([
      'ana-Scratch',
      'ana-scratch',
      'emile',
      'Émile',
      'node-9',
      'node-010',
      'node-10',
      'SQL Warehouse',
      'Zed',
    ]);
    expect(naturalKey('Node-007b')).toBe(naturalKey('node-7B'));
  });
});
