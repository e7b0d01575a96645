import { ApiRouter } from './api.ts';
import { ClusterLifecycle, clusterLifecycleRoutes } from './cluster-lifecycle.ts';
import { ClusterAccess, clusterPermissionRoutes } from './cluster-permissions.ts';
import type { ClusterStore } from './cluster-store.ts';
import type { WorkspaceConfig, WorkspaceMember } from './config.ts';
import { isWorkspaceApiError } from './errors.ts';
import { JobsState } from './jobs.ts';
import type { Person } from './people.ts';
import { scimDirectoryRoutes } from './scim-directory.ts';
import { unityCatalogRoutes } from './unity-catalog.ts';
import { WarehousesState } from './warehouses.ts';
import { workspaceObjectRoutes } from './workspace-objects.ts';
import { workspaceSettingsRoutes } from './workspace-settings.ts';

export interface CatalogueOptions {
  config: WorkspaceConfig;
  store: ClusterStore;
  /** Every member, including those provisioned through the resource-ID header. */
  members: () => WorkspaceMember[];
  people: (upn: string) => Person | undefined;
  /** The workspace clock's reading at start; demo data's times are relative to it. */
  startedAt: number;
}

export interface Catalogue {
  router: ApiRouter;
  access: ClusterAccess;
  /** Applies every state transition due at `now` (call before serving each request). */
  advance(now: number): void;
  /** Back to the demo state (after `/_sandbox/reset` or a new cluster set). */
  reset(now: number): void;
}

/**
 * The API areas beyond the clusters list: cluster actions and events, jobs, SQL warehouses, Unity
 * Catalog, workspace objects and repos, secrets, pools, policies, tokens, SCIM and permissions.
 */
export function createCatalogue(options: CatalogueOptions): Catalogue {
  const { config, store, startedAt } = options;
  const access = new ClusterAccess(config, options.people);
  const lifecycle = new ClusterLifecycle(store);
  const jobs = new JobsState(config, startedAt);
  const warehouses = new WarehousesState(config, {
    // A warehouse drives its own cluster, whoever asked; a cluster already on its way is left alone.
    start: (id, user, now) => {
      const c = store.find(id);
      if (c) ignoreInvalidState(() => lifecycle.start(c, user, now));
    },
    terminate: (id, user, now) => {
      const c = store.find(id);
      if (c) lifecycle.terminate(c, user, now);
    },
  });
  const router = new ApiRouter()
    .add(clusterLifecycleRoutes(store, lifecycle, access))
    .add(clusterPermissionRoutes(access, (id) => store.find(id)))
    .add(jobs.routes())
    .add(warehouses.routes())
    .add(unityCatalogRoutes(startedAt))
    .add(workspaceObjectRoutes(startedAt))
    .add(workspaceSettingsRoutes(startedAt))
    .add(scimDirectoryRoutes(options.members, options.people));
  return {
    router,
    access,
    advance(now) {
      lifecycle.advance(now);
      warehouses.advance(now);
    },
    reset(now) {
      lifecycle.reset();
      jobs.reset(now);
      warehouses.reset();
    },
  };
}

function ignoreInvalidState(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!(isWorkspaceApiError(e) && e.code === 'INVALID_STATE')) throw e;
  }
}
