import type { ApiRequest, ApiRoute } from './api.ts';
import type { WorkspaceMember } from './config.ts';
import { WorkspaceApiError } from './errors.ts';
import type { Person } from './people.ts';
import { numericId, scimMe } from './scim.ts';

/**
 * SCIM 2.0 Users and Groups of the workspace, paged by `startIndex` (1-based) and `count`, with
 * the simple `filter` forms clients send (`userName eq "…"`, `displayName co "…"`). Errors use
 * SCIM's own shape (RFC 7644 §3.12), as Databricks' SCIM endpoints do.
 *
 * @see https://docs.databricks.com/api/azure/workspace/users/list
 * @see https://docs.databricks.com/api/azure/workspace/groups/list
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
 */

const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const DEFAULT_COUNT = 10_000;

/** A SCIM error: `{schemas, detail, status}` instead of Databricks' `error_code` body. */
export class ScimError extends WorkspaceApiError {
  readonly scimType: string | undefined;
  constructor(status: 400 | 404, detail: string, scimType?: string) {
    super(status, status === 404 ? 'RESOURCE_DOES_NOT_EXIST' : 'INVALID_PARAMETER_VALUE', detail);
    this.scimType = scimType;
  }
  override toBody(): Record<string, unknown> {
    return {
      schemas: [ERROR_SCHEMA],
      detail: this.message,
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
    };
  }
}

export function scimDirectoryRoutes(
  members: () => WorkspaceMember[],
  people: (upn: string) => Person | undefined,
): ApiRoute[] {
  const user = (m: WorkspaceMember) => {
    const p = people(m.upn);
    const claims = {
      ...(p ? { name: p.displayName } : {}),
      ...(p?.givenName ? { given_name: p.givenName } : {}),
      ...(p?.familyName ? { family_name: p.familyName } : {}),
      ...(p?.oid ? { oid: p.oid } : {}),
    };
    const u = scimMe(m, claims);
    return { ...u, groups: [...(u.groups as object[]), ref('users')] } as Record<string, unknown>;
  };
  const ref = (g: string) => {
    const id = numericId(`group:${g}`);
    return { display: g, value: id, $ref: `Groups/${id}`, type: 'direct' };
  };
  const groupNames = () => {
    const names = new Set(['admins', 'users']);
    for (const m of members()) for (const g of m.groups) names.add(g);
    return [...names];
  };
  const group = (name: string) => {
    const inGroup = members().filter((m) =>
      name === 'users' ? true : name === 'admins' ? m.admin || m.groups.includes('admins') : m.groups.includes(name),
    );
    const id = numericId(`group:${name}`);
    return {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      id,
      displayName: name,
      members: inGroup.map((m) => {
        const uid = numericId(`user:${m.upn}`);
        return { display: people(m.upn)?.displayName ?? m.upn, value: uid, $ref: `Users/${uid}` };
      }),
      groups: [],
      entitlements:
        name === 'users'
          ? [{ value: 'workspace-access' }, { value: 'databricks-sql-access' }]
          : name === 'admins'
            ? [{ value: 'allow-cluster-create' }, { value: 'allow-instance-pool-create' }]
            : [],
      meta: { resourceType: name === 'users' || name === 'admins' ? 'WorkspaceGroup' : 'Group' },
    };
  };
  const usersList = (req: ApiRequest) =>
    listResponse(req, members().map(user), { userName: 'userName', displayName: 'displayName', id: 'id' });
  const groupsList = (req: ApiRequest) =>
    listResponse(req, groupNames().map(group), { displayName: 'displayName', id: 'id' });
  const userGet = (req: ApiRequest) => {
    const u = members()
      .map(user)
      .find((x) => x.id === req.params.id);
    if (!u) throw new ScimError(404, `User ${req.params.id} not found.`);
    return u;
  };
  const groupGet = (req: ApiRequest) => {
    const g = groupNames()
      .map(group)
      .find((x) => x.id === req.params.id);
    if (!g) throw new ScimError(404, `Group with id ${req.params.id} not found.`);
    return g;
  };
  return [
    { method: 'GET', path: '/api/2.0/preview/scim/v2/Users', handle: usersList },
    { method: 'GET', path: '/api/2.0/preview/scim/v2/Users/{id}', handle: userGet },
    { method: 'GET', path: '/api/2.0/preview/scim/v2/Groups', handle: groupsList },
    { method: 'GET', path: '/api/2.0/preview/scim/v2/Groups/{id}', handle: groupGet },
  ];
}

function listResponse(
  req: ApiRequest,
  all: Record<string, unknown>[],
  filterable: Record<string, string>,
): Record<string, unknown> {
  const filter = req.query.get('filter');
  let items = all;
  if (filter) {
    const m = /^\s*(\w+)\s+(eq|co|sw)\s+"([^"]*)"\s*$/i.exec(filter);
    const attr = m ? filterable[m[1] as string] : undefined;
    if (!m || !attr) {
      throw new ScimError(
        400,
        `Unsupported filter '${filter.slice(0, 100)}': use ${Object.keys(filterable).join(', ')} with eq, co or sw and a quoted value.`,
        'invalidFilter',
      );
    }
    const op = (m[2] as string).toLowerCase();
    const value = (m[3] as string).toLowerCase();
    items = items.filter((x) => {
      const v = String(x[attr] ?? '').toLowerCase();
      return op === 'eq' ? v === value : op === 'co' ? v.includes(value) : v.startsWith(value);
    });
  }
  const sortBy = req.query.get('sortBy');
  if (sortBy) {
    const attr = filterable[sortBy];
    if (!attr) throw new ScimError(400, `Unsupported sortBy '${sortBy.slice(0, 100)}'.`, 'invalidValue');
    items = [...items].sort((a, b) => String(a[attr]).localeCompare(String(b[attr])));
    if (req.query.get('sortOrder') === 'descending') items.reverse();
  }
  const startIndex = intParam(req, 'startIndex', 1);
  const count = intParam(req, 'count', DEFAULT_COUNT);
  const page = items.slice(Math.max(startIndex, 1) - 1, Math.max(startIndex, 1) - 1 + count);
  return {
    schemas: [LIST_SCHEMA],
    totalResults: items.length,
    startIndex: Math.max(startIndex, 1),
    itemsPerPage: page.length,
    Resources: page,
  };
}

function intParam(req: ApiRequest, name: string, fallback: number): number {
  const v = req.query.get(name);
  if (v === null || v === '') return fallback;
  if (!/^\d{1,9}$/.test(v))
    throw new ScimError(400, `Invalid ${name} '${v.slice(0, 40)}': expected a whole number.`, 'invalidValue');
  return Number(v);
}
