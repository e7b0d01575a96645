import type { JWTPayload } from 'jose';
import type { WorkspaceMember } from './config.ts';

/**
 * The SCIM `Me` resource for a workspace member.
 * @see https://docs.databricks.com/api/azure/workspace/currentuser/me
 */
export function scimMe(member: WorkspaceMember, claims: JWTPayload): Record<string, unknown> {
  const groups = member.admin ? ['admins', ...member.groups.filter((g) => g !== 'admins')] : member.groups;
  const given = typeof claims.given_name === 'string' ? claims.given_name : undefined;
  const family = typeof claims.family_name === 'string' ? claims.family_name : undefined;
  return {
    schemas: [
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:workspace:2.0:User',
    ],
    id: numericId(`user:${member.upn}`),
    userName: member.upn,
    displayName: typeof claims.name === 'string' ? claims.name : member.upn,
    active: true,
    ...(typeof claims.oid === 'string' ? { externalId: claims.oid } : {}),
    name: { ...(given ? { givenName: given } : {}), ...(family ? { familyName: family } : {}) },
    emails: [{ value: member.upn, type: 'work', primary: true }],
    groups: groups.map((g) => {
      const id = numericId(`group:${g}`);
      return { display: g, value: id, $ref: `Groups/${id}`, type: 'direct' };
    }),
    entitlements: member.entitlements.map((value) => ({ value })),
    roles: [],
  };
}

/** A stable 16-digit id, like the numeric strings Databricks uses for SCIM principals. */
export function numericId(key: string): string {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < key.length; i++) {
    a = Math.imul(a ^ key.charCodeAt(i), 0x01000193);
    b = Math.imul(b ^ key.charCodeAt(i), 0x5bd1e995);
  }
  const n = (a >>> 0) * 1_000_000 + ((b >>> 0) % 1_000_000);
  return String(1_000_000_000_000_000 + (n % 8_000_000_000_000_000)).slice(0, 16);
}
