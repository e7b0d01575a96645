import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { CallRecord, RetryNotice, WorkspaceClient } from '../databricks/client.ts';
import type { TextReader } from '../databricks/text-reader.ts';
import type { Timeline } from '../timeline/timeline.ts';
import type { ClustersStore } from '../clusters/clusters-store.ts';
import type { Store } from '../state/store.ts';

export interface WorkspaceContextValue {
  client: WorkspaceClient;
  /** The same calls as `client`, answered with the body as sent (exact large integers). */
  reader: TextReader;
  timeline: Timeline;
  /** The last HTTP attempt, for "Show me how". */
  lastCall: Store<CallRecord | null>;
  /** Set while the client waits before a retry; cleared by the next answer. */
  retryNotice: Store<(RetryNotice & { at: number }) | null>;
  /** The cluster list of this client, kept while the tabs change; a new client starts empty. */
  clusters: ClustersStore;
}

export const WorkspaceContext = createContext<WorkspaceContextValue | null>(null);

/** @throws TypeError outside the signed-in part of the app. */
export function useWorkspace(): WorkspaceContextValue {
  const value = useContext(WorkspaceContext);
  if (!value) throw new TypeError('useWorkspace() must be used inside <WorkspaceContext.Provider>.');
  return value;
}
