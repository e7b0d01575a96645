import { describe, expect, it } from 'vitest';
import { filterRows, sortRows, toClusterRow, visibleRange } from '../../../src/app/components/cluster-model.ts';
import { makeCluster } from '../support/fakes.ts';

describe('cluster rows', () => {
  it('describes fixed, single-node and autoscale sizes', () => {
    expect(toClusterRow(makeCluster(0, { num_workers: 4 })).workers).toBe('4');
    expect(toClusterRow(makeCluster(0, { num_workers: 0 })).workers).toBe('0 (single node)');
    expect(toClusterRow(makeCluster(0, { num_workers: undefined, autoscale: { min_workers: 2, max_workers: 8 } })).workers).toBe('2–8 (autoscale)');
  });

  it('treats 0 and missing times as never, and tolerates odd field types', () => {
    const row = toClusterRow({ cluster_id: 'x', start_time: 0, terminated_time: 'soon' as unknown as number, state: 42 as unknown as string, cluster_name: null as unknown as string });
    expect(row).toMatchObject({ startTime: undefined, terminatedTime: undefined, state: 'UNKNOWN', name: '', workers: '' });
  });

  it('sorts by a column in either direction, ties by name', () => {
    const rows = [makeCluster(1, { num_workers: 2 }), makeCluster(2, { num_workers: 1 }), makeCluster(3, { num_workers: 2 })].map(toClusterRow);
    expect(sortRows(rows, 'workers', 'asc').map((r) => r.name)).toEqual(['cluster-00002', 'cluster-00001', 'cluster-00003']);
    expect(sortRows(rows, 'workers', 'desc').map((r) => r.name)).toEqual(['cluster-00001', 'cluster-00003', 'cluster-00002']);
    expect(rows.map((r) => r.name)).toEqual(['cluster-00001', 'cluster-00002', 'cluster-00003']);
  });

  it('matches the search case-insensitively across name, ID, creator and termination reason', () => {
    const rows = [
      makeCluster(1, { creator_user_name: 'Ana@Contoso.example' }),
      makeCluster(2, { creator_user_name: 'ben@contoso.example', termination_reason: { code: 'INACTIVITY', type: 'SUCCESS' } }),
    ].map(toClusterRow);
    const none = new Set<string>();
    expect(filterRows(rows, { search: 'ANA@', states: none, sources: none }).map((r) => r.name)).toEqual(['cluster-00001']);
    expect(filterRows(rows, { search: 'inactivity', states: none, sources: none }).map((r) => r.name)).toEqual(['cluster-00002']);
    expect(filterRows(rows, { search: 'c00002', states: none, sources: none })).toHaveLength(1);
  });

  it('windows the rows around the scroll position with overscan', () => {
    expect(visibleRange(10_000, 0, 360, 36, 8)).toEqual({ first: 0, last: 18 });
    expect(visibleRange(10_000, 36 * 5000, 360, 36, 8)).toEqual({ first: 4992, last: 5018 });
    expect(visibleRange(20, 36 * 15, 360, 36, 8)).toEqual({ first: 7, last: 20 });
  });
});
