/**
 * When to retry a workspace call and how long to wait: pure functions, so the policy is tested
 * with a frozen clock and the client only sleeps for what they return.
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 * @see https://learn.microsoft.com/azure/databricks/resources/limits
 */

export interface RetryPolicy {
  /** Statuses retried with backoff. Databricks throttles with 429 and sheds load with 503. */
  retryStatuses: readonly number[];
  /** Total attempts including the first (so 4 = up to 3 retries). */
  maxAttempts: number;
  /** Backoff when the answer has no usable Retry-After: base × 2^(retry-1), plus jitter. */
  baseDelayMs: number;
  /** Never wait longer than this for one retry; a longer Retry-After ends the retries. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retryStatuses: [429, 503],
  maxAttempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
};

/**
 * Reads `Retry-After` as delay seconds or an HTTP-date, relative to `nowMs`.
 * Returns milliseconds, or undefined when the header is missing or unparsable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP-date only (RFC 9110 IMF-fixdate and friends): Date.parse would also accept "-3".
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

export type RetryDecision =
  | { retry: true; delayMs: number; source: 'retry-after' | 'backoff' }
  | { retry: false; reason: string };

/**
 * Decides whether attempt number `attempt` (1-based) that ended with `status` is retried.
 * @param jitter a number in [0, 1) added as a fraction of the base delay (Math.random in use).
 */
export function decideRetry(
  policy: RetryPolicy,
  attempt: number,
  status: number,
  retryAfter: string | null | undefined,
  nowMs: number,
  jitter = 0,
): RetryDecision {
  if (!policy.retryStatuses.includes(status)) return { retry: false, reason: `HTTP ${status} is not retried` };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: `gave up after ${attempt} attempts` };
  const told = parseRetryAfter(retryAfter, nowMs);
  if (told !== undefined) {
    if (told > policy.maxDelayMs) {
      return {
        retry: false,
        reason: `the workspace asked to wait ${Math.ceil(told / 1000)} s, longer than the ${Math.round(policy.maxDelayMs / 1000)} s the app waits`,
      };
    }
    return { retry: true, delayMs: told, source: 'retry-after' };
  }
  const backoff = policy.baseDelayMs * 2 ** (attempt - 1) + Math.floor(jitter * policy.baseDelayMs);
  return { retry: true, delayMs: Math.min(backoff, policy.maxDelayMs), source: 'backoff' };
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
