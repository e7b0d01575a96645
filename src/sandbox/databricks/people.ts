/**
 * What the workspace knows of a person beyond the UPN: the names SCIM shows. Azure Databricks
 * copies them from Entra ID when a user is provisioned; the sandbox gets them from its directory.
 */
export interface Person {
  upn: string;
  displayName: string;
  givenName?: string;
  familyName?: string;
  /** The Entra object ID, SCIM's `externalId`. */
  oid?: string;
}

/** A lookup by lower-cased UPN; an unknown UPN is shown as itself, as Databricks shows e-mail-only users. */
export function createPeople(people: readonly Person[]): (upn: string) => Person | undefined {
  const byUpn = new Map(people.map((p) => [p.upn.toLowerCase(), p]));
  return (upn) => byUpn.get(upn.toLowerCase());
}
