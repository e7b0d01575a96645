import type { ServedRequestListener } from '../request-events.ts';
import type { WorkspaceFaults } from './config.ts';

/** What `/_sandbox/…` does over HTTP, callable in the same process, plus a view of the workspace. */
export interface WorkspaceControls {
  /** Replaces the faults (as `PUT /_sandbox/faults`); throws a ZodError for a bad shape. */
  setFaults(faults: unknown): void;
  faults(): WorkspaceFaults;
  /** Replaces the cluster set (as `PUT /_sandbox/clusters`); returns the new count. */
  setClusters(set: unknown): number;
  /** As `POST /_sandbox/reset`. */
  reset(): void;
  /** As `POST /_sandbox/clock`; returns the workspace clock's new reading. */
  advanceClock(ms: number): number;
  /** Starts or terminates a cluster as its creator would (through the API's own route). */
  clusterAction(clusterId: string, action: 'start' | 'terminate'): Promise<void>;
  /** A cluster as an admin sees it now (transitions due applied), by ID or name. */
  findCluster(idOrName: string): { cluster_id: string; cluster_name: string; state: string } | undefined;
  /** Calls `listener` after each request outside `/_sandbox/`; returns the unsubscribe. */
  onRequest(listener: ServedRequestListener): () => void;
  /** Who may do what, for the console's "at a glance" view. */
  inspect(): WorkspaceInspection;
}

export interface WorkspaceInspection {
  url: string;
  workspaceId: string;
  azureResourceId: string;
  members: { upn: string; admin: boolean; provisioned: boolean }[];
  resourceRoles: { upn: string; role: string }[];
  clusterCount: number;
  /** The workspace clock (epoch ms) and how far it was moved on. */
  now: number;
  clockOffsetMs: number;
}
