import type { ClusterSet } from './config.ts';
import {
  builtinClusters,
  type ClusterDetails,
  type ClusterSource,
  type ClusterState,
  type ClusterSummary,
  generatedCluster,
  summarize,
} from './clusters.ts';
import { invalidParameter } from './errors.ts';

/** Who is asking: admins see every cluster, others what they created or were granted. */
export type Visibility = { kind: 'all' } | { kind: 'user'; upn: string; granted: '*' | ReadonlySet<string> };

export interface ListFilter {
  states?: ReadonlySet<ClusterState>;
  sources?: ReadonlySet<ClusterSource>;
  pinned?: boolean;
  policyId?: string;
}

export interface ListSort {
  field: 'DEFAULT' | 'CLUSTER_NAME';
  direction: 'ASC' | 'DESC';
}

export interface Page {
  clusters: ClusterDetails[];
  next_page_token?: string;
  prev_page_token?: string;
}

const VIEW_CACHE_LIMIT = 128;

/**
 * The workspace's clusters with cached filtered, sorted views (arrays of indices), so a page is
 * a slice, never a re-filter of the whole set. Generated sets keep only summaries and build each
 * cluster's full details on demand.
 */
export class ClusterStore {
  #summaries: ClusterSummary[] = [];
  #base: (i: number) => ClusterDetails = () => {
    throw new RangeError('empty store');
  };
  /** Clusters whose state changed since the set was loaded (start, restart, terminate). */
  #changed = new Map<number, ClusterDetails>();
  #details = (i: number): ClusterDetails => this.#changed.get(i) ?? this.#base(i);
  #byId = new Map<string, number>();
  #views = new Map<string, Int32Array>();
  #generation = 0;
  #viewsBuilt = 0;

  constructor(set: ClusterSet, now: number = Date.now()) {
    this.replace(set, now);
  }

  get size(): number {
    return this.#summaries.length;
  }

  /** How many filtered views were built so far (each is built once and then cached). */
  get viewsBuilt(): number {
    return this.#viewsBuilt;
  }

  /** Swaps the whole set; tokens from before the swap are refused afterwards. */
  replace(set: ClusterSet, now: number = Date.now()): void {
    if (set === 'builtin') {
      const all = builtinClusters(now);
      this.#summaries = all.map(summarize);
      this.#base = (i) => all[i] as ClusterDetails;
    } else {
      const { count, seed } = set.generate;
      this.#summaries = Array.from({ length: count }, (_, i) => summarize(generatedCluster(seed, i)));
      this.#base = (i) => generatedCluster(seed, i);
    }
    this.#byId = new Map(this.#summaries.map((s, i) => [s.cluster_id, i]));
    this.#changed.clear();
    this.#views.clear();
    this.#generation = (this.#generation + 1) % 1_000_000;
  }

  /** The cluster with this ID if the caller may see it, `undefined` if it does not exist, `null` if hidden. */
  get(clusterId: string, who: Visibility): ClusterDetails | undefined | null {
    const i = this.#byId.get(clusterId);
    if (i === undefined) return undefined;
    return isVisible(this.#summaries[i] as ClusterSummary, who) ? this.#details(i) : null;
  }

  /** The cluster with this ID whoever asks, or undefined. */
  find(clusterId: string): ClusterDetails | undefined {
    const i = this.#byId.get(clusterId);
    return i === undefined ? undefined : this.#details(i);
  }

  /**
   * Replaces one cluster's details after a state change. Filtered views are rebuilt on the next
   * listing; page tokens stay valid, as a state change does not invalidate a real listing.
   */
  update(details: ClusterDetails): void {
    const i = this.#byId.get(details.cluster_id);
    if (i === undefined) throw new RangeError(`no cluster ${details.cluster_id}`);
    this.#changed.set(i, details);
    this.#summaries[i] = summarize(details);
    this.#views.clear();
  }

  /** Every visible cluster in default order (the 2.0 list). */
  all(who: Visibility): ClusterDetails[] {
    return Array.from(this.#view(who, {}, { field: 'DEFAULT', direction: 'ASC' }), (i) => this.#details(i));
  }

  /**
   * One page of the 2.1 list. Tokens are opaque to clients and bind the set's generation, the
   * filter and the sort, so a token cannot be replayed against a different view.
   * @throws WorkspaceApiError 400 INVALID_PARAMETER_VALUE for a malformed or stale token.
   */
  page(who: Visibility, filter: ListFilter, sort: ListSort, pageSize: number, pageToken: string | undefined): Page {
    const view = this.#view(who, filter, sort);
    const fingerprint = hashString(viewKey(who, filter, sort));
    let start = 0;
    if (pageToken) {
      const t = decodeToken(pageToken);
      if (t.f !== fingerprint) {
        throw invalidParameter(
          'page_token does not belong to this filter and sort; send the same filter_by and sort_by as the first page, or drop page_token.',
        );
      }
      if (t.g !== this.#generation) {
        throw invalidParameter(
          'page_token has expired because the cluster list changed; list again from the first page.',
        );
      }
      start = Math.min(t.o, view.length);
    }
    const end = Math.min(start + pageSize, view.length);
    const page: Page = { clusters: [] };
    for (let k = start; k < end; k++) page.clusters.push(this.#details(view[k] as number));
    if (end < view.length) page.next_page_token = encodeToken({ g: this.#generation, f: fingerprint, o: end });
    if (start > 0)
      page.prev_page_token = encodeToken({ g: this.#generation, f: fingerprint, o: Math.max(0, start - pageSize) });
    return page;
  }

  #view(who: Visibility, filter: ListFilter, sort: ListSort): Int32Array {
    const key = viewKey(who, filter, sort);
    const cached = this.#views.get(key);
    if (cached) {
      // Refresh its place so the least recently used view is dropped first.
      this.#views.delete(key);
      this.#views.set(key, cached);
      return cached;
    }
    this.#viewsBuilt += 1;
    const s = this.#summaries;
    const picked: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const c = s[i] as ClusterSummary;
      if (isVisible(c, who) && matches(c, filter)) picked.push(i);
    }
    if (sort.field === 'CLUSTER_NAME') {
      picked.sort((a, b) => {
        const x = (s[a] as ClusterSummary).cluster_name;
        const y = (s[b] as ClusterSummary).cluster_name;
        return x < y ? -1 : x > y ? 1 : a - b;
      });
    }
    if (sort.direction === 'DESC') picked.reverse();
    const view = Int32Array.from(picked);
    if (this.#views.size >= VIEW_CACHE_LIMIT) {
      const oldest = this.#views.keys().next().value;
      if (oldest !== undefined) this.#views.delete(oldest);
    }
    this.#views.set(key, view);
    return view;
  }
}

function isVisible(c: ClusterSummary, who: Visibility): boolean {
  if (who.kind === 'all') return true;
  if (c.creator === who.upn || who.granted === '*') return true;
  return who.granted.has(c.cluster_id) || who.granted.has(c.cluster_name);
}

function matches(c: ClusterSummary, f: ListFilter): boolean {
  if (f.states && !f.states.has(c.state)) return false;
  if (f.sources && !f.sources.has(c.cluster_source)) return false;
  if (f.pinned !== undefined && f.pinned !== c.pinned) return false;
  if (f.policyId !== undefined && f.policyId !== c.policy_id) return false;
  return true;
}

function viewKey(who: Visibility, f: ListFilter, sort: ListSort): string {
  return JSON.stringify([
    who.kind === 'all' ? '*' : who.upn,
    f.states ? [...f.states].sort() : null,
    f.sources ? [...f.sources].sort() : null,
    f.pinned ?? null,
    f.policyId ?? null,
    sort.field,
    sort.direction,
  ]);
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

interface PageToken {
  g: number;
  f: number;
  o: number;
}

function encodeToken(t: PageToken): string {
  return Buffer.from(`${t.g}.${t.f}.${t.o}`).toString('base64url');
}

function decodeToken(token: string): PageToken {
  const m = /^(\d{1,7})\.(\d{1,10})\.(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('latin1'));
  if (!m) {
    throw invalidParameter(
      'Invalid page_token: pass a next_page_token or prev_page_token from an earlier answer unchanged, or drop page_token for the first page.',
    );
  }
  return { g: Number(m[1]), f: Number(m[2]), o: Number(m[3]) };
}
