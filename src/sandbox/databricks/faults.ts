import type { TokenRejection } from './auth.ts';
import type { RateLimit, WorkspaceFaults } from './config.ts';

export type FaultKind = 'latency' | 'rateLimited' | 'unavailable' | 'dropConnection' | 'tokenExpired' | 'tokenRejected';

/** What to do to one request, decided before it is served. */
export interface FaultPlan {
  latencyMs: number;
  drop: boolean;
  unavailable?: 500 | 503;
  rateLimitedFor?: number;
  tokenExpired: boolean;
  /** Answer 401 with this rejection's message. */
  tokenRejected?: TokenRejection;
}

interface Trigger {
  count?: number | undefined;
  probability?: number | undefined;
  paths?: string[] | undefined;
}

/**
 * The active faults. Each fires on matching `/api/` requests: on the next `count` of them, with
 * `probability`, or (neither given) on every one. A spent count removes the fault.
 */
export class FaultState {
  #faults: WorkspaceFaults;
  readonly #random: () => number;

  constructor(faults: WorkspaceFaults, random: () => number = Math.random) {
    this.#faults = structuredClone(faults);
    this.#random = random;
  }

  set(faults: WorkspaceFaults): void {
    this.#faults = structuredClone(faults);
  }

  current(): WorkspaceFaults {
    return structuredClone(this.#faults);
  }

  plan(path: string): FaultPlan {
    // Read each fault before #fires: a spent count deletes it.
    const { latency, dropConnection, unavailable, rateLimited, tokenExpired, tokenRejected } = this.#faults;
    const plan: FaultPlan = { latencyMs: 0, drop: false, tokenExpired: false };
    if (latency && this.#fires('latency', latency, path)) plan.latencyMs = latency.ms;
    if (dropConnection && this.#fires('dropConnection', dropConnection, path)) {
      plan.drop = true;
      return plan;
    }
    if (unavailable && this.#fires('unavailable', unavailable, path)) {
      plan.unavailable = unavailable.status;
      return plan;
    }
    if (rateLimited && this.#fires('rateLimited', rateLimited, path)) {
      plan.rateLimitedFor = rateLimited.retryAfterSeconds;
      return plan;
    }
    if (tokenExpired && this.#fires('tokenExpired', tokenExpired, path)) plan.tokenExpired = true;
    else if (tokenRejected && this.#fires('tokenRejected', tokenRejected, path))
      plan.tokenRejected = tokenRejected.reason;
    return plan;
  }

  #fires(kind: FaultKind, t: Trigger, path: string): boolean {
    if (t.paths && !t.paths.some((p) => path.startsWith(p))) return false;
    if (t.probability !== undefined && this.#random() >= t.probability) return false;
    if (t.count !== undefined) {
      t.count -= 1;
      if (t.count <= 0) delete this.#faults[kind];
    }
    return true;
  }
}

/**
 * A token bucket per access token: `requestsPerSecond` sustained, up to `burst` at once.
 * Returns 0 when the request may proceed, otherwise the whole seconds to wait (Retry-After).
 */
export class RateLimiter {
  #limit: RateLimit;
  #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(limit: RateLimit) {
    this.#limit = limit;
  }

  get limit(): RateLimit {
    return this.#limit;
  }

  set(limit: RateLimit): void {
    this.#limit = limit;
    this.#buckets.clear();
  }

  take(key: string, now: number = Date.now()): number {
    const limit = this.#limit;
    if (limit === false) return 0;
    let b = this.#buckets.get(key);
    if (!b) {
      if (this.#buckets.size >= 10_000) this.#buckets.clear(); // bound memory; a reset only forgives
      b = { tokens: limit.burst, at: now };
      this.#buckets.set(key, b);
    }
    b.tokens = Math.min(limit.burst, b.tokens + ((now - b.at) / 1000) * limit.requestsPerSecond);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / limit.requestsPerSecond));
  }
}
