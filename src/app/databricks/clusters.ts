import type { RequestOptions, WorkspaceClient } from './client.ts';
import { WorkspaceBadResponseError } from './errors.ts';
import type { TextReader } from './text-reader.ts';
import type { ClusterDetails, ClustersListResponse } from './types.ts';

export const LIST_CLUSTERS_PATH = '/api/2.1/clusters/list';
export const GET_CLUSTER_PATH = '/api/2.1/clusters/get';

export interface ClusterPage {
  clusters: ClusterDetails[];
  /** 1-based. */
  pageNumber: number;
  /** False on the last page. */
  hasMore: boolean;
}

/**
 * Every cluster, one page at a time, as the pages arrive (2.1 paging). Ends when
 * `next_page_token` is missing or empty, or a page has no clusters.
 * @throws the client's typed errors; a page whose `clusters` is not an array is a bad response.
 * @see https://docs.databricks.com/api/azure/workspace/clusters/list
 */
export async function* listClusters(
  client: WorkspaceClient,
  options: { signal?: AbortSignal | undefined; pageSize?: number } = {},
): AsyncGenerator<ClusterPage, void, undefined> {
  let pageToken: string | undefined;
  const seenTokens = new Set<string>();
  for (let pageNumber = 1; ; pageNumber++) {
    const body = await client.getJson<ClustersListResponse>(LIST_CLUSTERS_PATH, {
      signal: options.signal,
      query: { page_size: options.pageSize ?? 100, page_token: pageToken },
    });
    if (body === null || typeof body !== 'object' || (body.clusters !== undefined && !Array.isArray(body.clusters))) {
      throw new WorkspaceBadResponseError(
        { method: 'GET', path: LIST_CLUSTERS_PATH },
        200,
        'its body has no "clusters" array',
      );
    }
    const clusters = (body.clusters ?? []).filter(
      (c): c is ClusterDetails => c !== null && typeof c === 'object' && typeof c.cluster_id === 'string',
    );
    const next = typeof body.next_page_token === 'string' ? body.next_page_token : '';
    // A token seen before would page forever; treat it as the end.
    const hasMore = next !== '' && clusters.length > 0 && !seenTokens.has(next);
    yield { clusters, pageNumber, hasMore };
    if (!hasMore) return;
    seenTokens.add(next);
    pageToken = next;
  }
}

/**
 * One cluster's `clusters/get` answer as the workspace sent it, for showing it exactly: real
 * answers carry 19-digit integers (`spark_context_id`) that `JSON.parse` would round.
 * @see https://docs.databricks.com/api/azure/workspace/clusters/get
 */
export function getClusterText(reader: TextReader, clusterId: string, options: Pick<RequestOptions, 'signal'> = {}) {
  return reader.getJsonText(GET_CLUSTER_PATH, { signal: options.signal, query: { cluster_id: clusterId } });
}
