import type { EndpointFault, EntraFaults } from '../config-schema.ts';

export type FaultEndpoint = 'tokenEndpoint' | 'authorizeEndpoint' | 'discovery';

/**
 * The faults in force: from the configuration file at start, replaced by `PUT /_sandbox/faults`,
 * cleared by `DELETE /_sandbox/faults`. Counted endpoint faults clear themselves when used up.
 */
export class FaultState {
  private current: EntraFaults = {};
  private readonly revoke: (upns: string[]) => void;
  private readonly forgetConsents: (upns: string[]) => void;

  constructor(
    initial: EntraFaults,
    revoke: (upns: string[]) => void,
    forgetConsents: (upns: string[]) => void = () => {},
  ) {
    this.revoke = revoke;
    this.forgetConsents = forgetConsents;
    this.set(initial);
  }

  /** Replaces the faults; `revokeRefreshTokensFor` takes effect at once (see the README). */
  set(faults: EntraFaults): void {
    const before = this.current.withdrawConsentFor;
    this.current = structuredClone(faults);
    const revoked = faults.revokeRefreshTokensFor;
    if (revoked !== undefined) this.revoke(typeof revoked === 'string' ? [revoked] : revoked);
    const withdrawn = faults.withdrawConsentFor;
    // Only newly named users lose the consents they gave; re-applying the same faults takes nothing more.
    if (withdrawn !== undefined) this.forgetConsents(listOf(withdrawn).filter((upn) => !includesUpn(before, upn)));
  }

  /** Whether the `requireMfaFor` fault names this user. */
  requiresMfa(upn: string): boolean {
    return includesUpn(this.current.requireMfaFor, upn);
  }

  /** Whether the `withdrawConsentFor` fault names this user. */
  consentWithdrawn(upn: string): boolean {
    return includesUpn(this.current.withdrawConsentFor, upn);
  }

  clear(): void {
    this.current = {};
  }

  get(): EntraFaults {
    return structuredClone(this.current);
  }

  get latencyMs(): number {
    return this.current.latencyMs ?? 0;
  }

  get accessTokenLifetimeSeconds(): number | undefined {
    return this.current.accessTokenLifetimeSeconds;
  }

  /** The fault to apply to this request, if any, counting it down. */
  take(endpoint: FaultEndpoint): EndpointFault | undefined {
    const fault = this.current[endpoint];
    if (fault === undefined) return undefined;
    if (fault.count !== undefined) {
      fault.count -= 1;
      if (fault.count <= 0) delete this.current[endpoint];
    }
    return fault;
  }
}

function listOf(value: string | string[]): string[] {
  return typeof value === 'string' ? [value] : value;
}

function includesUpn(value: string | string[] | undefined, upn: string): boolean {
  if (value === undefined) return false;
  const lower = upn.toLowerCase();
  return listOf(value).some((candidate) => candidate.toLowerCase() === lower);
}
