import type { EndpointFault, EntraFaults } from '../config.ts';

export type FaultEndpoint = 'tokenEndpoint' | 'authorizeEndpoint' | 'discovery';

/**
 * The faults in force: from the configuration file at start, replaced by `PUT /_sandbox/faults`,
 * cleared by `DELETE /_sandbox/faults`. Counted endpoint faults clear themselves when used up.
 */
export class FaultState {
  private current: EntraFaults = {};
  private readonly revoke: (upns: string[]) => void;

  constructor(initial: EntraFaults, revoke: (upns: string[]) => void) {
    this.revoke = revoke;
    this.set(initial);
  }

  /** Replaces the faults; `revokeRefreshTokensFor` takes effect at once (see the README). */
  set(faults: EntraFaults): void {
    this.current = structuredClone(faults);
    const revoked = faults.revokeRefreshTokensFor;
    if (revoked !== undefined) this.revoke(typeof revoked === 'string' ? [revoked] : revoked);
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
