import { type ApiRequest, type ApiRoute, permissionDenied } from './api.ts';
import type { ClusterDetails } from './clusters.ts';
import type { WorkspaceConfig, WorkspaceMember } from './config.ts';
import { invalidParameter } from './errors.ts';
import type { Person } from './people.ts';

/**
 * Cluster access control as the Permissions API describes it: workspace admins hold CAN_MANAGE on
 * every cluster (inherited from `/clusters/`), a creator CAN_MANAGE on their own, and the users
 * named in `clusterPermissions` CAN_ATTACH_TO. Starting, restarting and terminating need
 * CAN_RESTART; attaching, reading and listing events need CAN_ATTACH_TO.
 *
 * @see https://learn.microsoft.com/azure/databricks/compute/clusters-manage#cluster-level-permissions
 * @see https://docs.databricks.com/api/azure/workspace/clusters/getpermissions
 */

export type ClusterPermissionLevel = 'CAN_ATTACH_TO' | 'CAN_RESTART' | 'CAN_MANAGE';

const RANK: Record<ClusterPermissionLevel, number> = { CAN_ATTACH_TO: 1, CAN_RESTART: 2, CAN_MANAGE: 3 };
const LABEL: Record<ClusterPermissionLevel, string> = {
  CAN_ATTACH_TO: 'Can Attach To',
  CAN_RESTART: 'Can Restart',
  CAN_MANAGE: 'Can Manage',
};

export class ClusterAccess {
  readonly #config: WorkspaceConfig;
  readonly #people: (upn: string) => Person | undefined;

  constructor(config: WorkspaceConfig, people: (upn: string) => Person | undefined) {
    this.#config = config;
    this.#people = people;
  }

  /** The member's highest level on the cluster, or undefined for none. */
  levelOf(member: WorkspaceMember, c: ClusterDetails): ClusterPermissionLevel | undefined {
    if (member.admin || c.creator_user_name === member.upn) return 'CAN_MANAGE';
    return this.#granted(member.upn, c) ? 'CAN_ATTACH_TO' : undefined;
  }

  /** @throws 403 PERMISSION_DENIED naming the level the member lacks. */
  require(member: WorkspaceMember, c: ClusterDetails, level: ClusterPermissionLevel): void {
    const has = this.levelOf(member, c);
    if (has !== undefined && RANK[has] >= RANK[level]) return;
    throw permissionDenied(
      `${member.upn} does not have ${LABEL[level]} permission on cluster ${c.cluster_id}. Ask a workspace admin or the cluster's owner for access.`,
    );
  }

  /** The `ObjectPermissions` of a cluster, as `GET /api/2.0/permissions/clusters/{id}` answers. */
  permissions(c: ClusterDetails): Record<string, unknown> {
    const acl: Record<string, unknown>[] = [];
    const person = (upn: string) => ({ user_name: upn, display_name: this.#people(upn)?.displayName ?? upn });
    if (c.creator_user_name) {
      acl.push({
        ...person(c.creator_user_name),
        all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: false }],
      });
    }
    for (const m of this.#config.members) {
      if (m.upn === c.creator_user_name || m.admin || !this.#granted(m.upn, c)) continue;
      acl.push({ ...person(m.upn), all_permissions: [{ permission_level: 'CAN_ATTACH_TO', inherited: false }] });
    }
    acl.push({
      group_name: 'admins',
      all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: true, inherited_from_object: ['/clusters/'] }],
    });
    return { object_id: `/clusters/${c.cluster_id}`, object_type: 'cluster', access_control_list: acl };
  }

  #granted(upn: string, c: ClusterDetails): boolean {
    const granted = this.#config.clusterPermissions[upn];
    if (granted === undefined) return false;
    return granted === '*' || granted.includes(c.cluster_id) || granted.includes(c.cluster_name);
  }
}

/** `GET /api/2.0/permissions/clusters/{cluster_id}`. */
export function clusterPermissionRoutes(
  access: ClusterAccess,
  find: (id: string) => ClusterDetails | undefined,
): ApiRoute[] {
  const handle = (req: ApiRequest) => {
    const id = req.params.cluster_id as string;
    const c = find(id);
    if (!c) throw invalidParameter(`Cluster ${id} does not exist`);
    access.require(req.member, c, 'CAN_ATTACH_TO');
    return access.permissions(c);
  };
  return [{ method: 'GET', path: '/api/2.0/permissions/clusters/{cluster_id}', handle }];
}
