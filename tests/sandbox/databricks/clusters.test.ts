import { describe, expect, it } from 'vitest';
import { ClusterStore } from '../../../src/sandbox/databricks/cluster-store.ts';
import { builtinClusters, type ClusterDetails, generateClusters } from '../../../src/sandbox/databricks/index.ts';

const ID_SHAPE = /^\d{4}-\d{6}-[0-9a-z]{8}$/;
const ACTIVE = new Set(['RUNNING', 'RESIZING', 'RESTARTING']);

function checkCluster(c: ClusterDetails): string[] {
  const problems: string[] = [];
  const say = (p: string) => problems.push(`${c.cluster_id}: ${p}`);
  if (!ID_SHAPE.test(c.cluster_id)) say('cluster_id is not shaped MMDD-HHMMSS-xxxxxxxx');
  if ((c.num_workers === undefined) === (c.autoscale === undefined))
    say('needs exactly one of num_workers and autoscale');
  if (c.autoscale && c.autoscale.min_workers > c.autoscale.max_workers) say('autoscale min above max');
  if (c.autotermination_minutes !== 0 && (c.autotermination_minutes < 10 || c.autotermination_minutes > 10000))
    say('autotermination out of range');
  const ended = c.state === 'TERMINATED' || c.state === 'TERMINATING';
  if (ended !== (c.termination_reason !== undefined))
    say('termination_reason only and always when TERMINATING/TERMINATED');
  if ((c.state === 'TERMINATED') !== (c.terminated_time !== undefined)) say('terminated_time only when TERMINATED');
  if (c.terminated_time !== undefined && c.terminated_time < c.start_time) say('terminated before it started');
  if (ACTIVE.has(c.state) && (!c.driver || c.spark_context_id === undefined))
    say('an active cluster has a driver and a Spark context');
  if (!ACTIVE.has(c.state) && c.driver) say('only active clusters have a driver');
  if (c.state === 'RUNNING' && c.state_message !== '') say('state_message is empty when running');
  if (
    c.default_tags.Vendor !== 'Databricks' ||
    c.default_tags.ClusterId !== c.cluster_id ||
    c.default_tags.ClusterName !== c.cluster_name
  ) {
    say('default_tags do not match');
  }
  if (c.creator_user_name && c.default_tags.Creator !== c.creator_user_name)
    say('Creator tag differs from creator_user_name');
  if (!Number.isSafeInteger(c.start_time) || c.start_time < 1.6e12) say('start_time is not epoch milliseconds');
  if (!Number.isInteger(c.cluster_memory_mb) || c.cluster_memory_mb <= 0 || c.cluster_cores <= 0) say('bad totals');
  if (c.spec !== undefined) say('list entries carry no spec');
  return problems;
}

describe('the built-in clusters', () => {
  const clusters = builtinClusters(Date.UTC(2026, 10, 24, 12));

  it('tell a story: about a dozen clusters in every state and from every common source', () => {
    expect(clusters.length).toBeGreaterThanOrEqual(10);
    expect(clusters.length).toBeLessThanOrEqual(15);
    expect(new Set(clusters.map((c) => c.state))).toEqual(
      new Set(['PENDING', 'RUNNING', 'RESTARTING', 'RESIZING', 'TERMINATING', 'TERMINATED', 'ERROR']),
    );
    for (const source of ['UI', 'API', 'JOB', 'PIPELINE', 'SQL'])
      expect(clusters.map((c) => c.cluster_source)).toContain(source);
    expect(clusters.some((c) => c.autoscale)).toBe(true);
    expect(clusters.some((c) => c.num_workers !== undefined && c.num_workers > 0)).toBe(true);
    expect(clusters.some((c) => c.is_single_node)).toBe(true);
    expect(clusters.some((c) => c.creator_user_name === undefined)).toBe(true);
  });

  it('are internally consistent', () => {
    expect(clusters.flatMap(checkCluster)).toEqual([]);
    expect(new Set(clusters.map((c) => c.cluster_id)).size).toBe(clusters.length);
  });

  it('report whole-cluster totals: the reference example of 4-core 14 GB driver plus workers', () => {
    const c = clusters.find((x) => x.cluster_name === 'shared-analytics');
    expect(c).toMatchObject({ cluster_cores: 16, cluster_memory_mb: 4 * 14336, state: 'RUNNING', state_message: '' });
    expect(c?.executors).toHaveLength(3);
  });

  it('explain why terminated clusters stopped', () => {
    const c = clusters.find((x) => x.cluster_name === 'ana-scratch');
    expect(c?.termination_reason).toEqual({
      code: 'INACTIVITY',
      type: 'SUCCESS',
      parameters: { inactivity_duration_min: '60' },
    });
    expect(c?.state_message).toBe('Inactive cluster terminated (inactive for 60 minutes).');
  });
});

describe('the cluster generator', () => {
  it('gives the same clusters for the same count and seed', () => {
    expect(generateClusters(200, 7)).toEqual(generateClusters(200, 7));
  });

  it('gives different clusters for different seeds', () => {
    const a = generateClusters(50, 1).map((c) => c.cluster_id);
    const b = generateClusters(50, 2).map((c) => c.cluster_id);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
  });

  it('keeps a prefix stable when the count grows', () => {
    expect(generateClusters(1000, 3).slice(0, 100)).toEqual(generateClusters(100, 3));
  });

  it('makes 100,000 clusters with unique, well-formed IDs', () => {
    const all = generateClusters(100_000, 42);
    expect(all).toHaveLength(100_000);
    expect(new Set(all.map((c) => c.cluster_id)).size).toBe(100_000);
    expect(all.slice(0, 2000).flatMap(checkCluster)).toEqual([]);
  });

  it('spreads states and sources like a real workspace', () => {
    const all = generateClusters(5000, 9);
    const count = (f: (c: ClusterDetails) => boolean) => all.filter(f).length;
    expect(count((c) => c.state === 'TERMINATED')).toBeGreaterThan(1000);
    expect(count((c) => c.state === 'RUNNING')).toBeGreaterThan(500);
    expect(count((c) => c.cluster_source === 'JOB')).toBeGreaterThan(500);
    expect(count((c) => c.pinned_by_user_name !== undefined)).toBeGreaterThan(10);
  });

  it('rejects a negative count', () => {
    expect(() => generateClusters(-1, 1)).toThrow(TypeError);
  });
});

describe('the cluster store', () => {
  it('builds each filtered view once, however many pages are read', () => {
    const store = new ClusterStore({ generate: { count: 100_000, seed: 1 } });
    const who = { kind: 'all' } as const;
    const filter = { states: new Set(['RUNNING' as const]) };
    const sort = { field: 'DEFAULT', direction: 'ASC' } as const;
    let page = store.page(who, filter, sort, 100, undefined);
    let pages = 1;
    while (page.next_page_token && pages < 50) {
      page = store.page(who, filter, sort, 100, page.next_page_token);
      pages += 1;
    }
    expect(pages).toBe(50);
    expect(store.viewsBuilt).toBe(1);
  });
});
