import type { RequestOptions, WorkspaceClient } from './client.ts';
import type { ScimMe } from './types.ts';

export const SCIM_ME_PATH = '/api/2.0/preview/scim/v2/Me';

/** Who the workspace thinks the signed-in person is. */
export interface WhoAmI {
  userName: string;
  displayName: string;
  /** Member of the workspace's `admins` group. */
  isAdmin: boolean;
  groups: string[];
}

/**
 * The SCIM `Me` user and whether they are a workspace admin (member of `admins`).
 * @see https://docs.databricks.com/api/azure/workspace/currentuser/me
 */
export async function me(client: WorkspaceClient, options: Pick<RequestOptions, 'signal'> = {}): Promise<WhoAmI> {
  const body = await client.getJson<ScimMe>(SCIM_ME_PATH, { signal: options.signal });
  const groups = (Array.isArray(body?.groups) ? body.groups : [])
    .map((g) => (typeof g?.display === 'string' ? g.display : ''))
    .filter((name) => name !== '');
  const userName = typeof body?.userName === 'string' ? body.userName : '';
  return {
    userName,
    displayName: typeof body?.displayName === 'string' && body.displayName !== '' ? body.displayName : userName,
    isAdmin: groups.includes('admins'),
    groups,
  };
}
