import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter, sleep } from '../../../src/app/databricks/retry.ts';

const NOW = Date.parse('2026-01-15T10:00:00Z');

describe('retry policy', () => {
  it.each([
    ['5', 5000],
    ['0', 0],
    [' 12 ', 12000],
    ['Thu, 15 Jan 2026 10:00:07 GMT', 7000],
    ['Thu, 15 Jan 2026 09:59:00 GMT', 0],
  ])('reads Retry-After %j as %d ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it.each([[null], [''], ['soon'], ['-3']])('ignores an unusable Retry-After %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  it('honours Retry-After on 429', () => {
    expect(decideRetry(DEFAULT_RETRY_POLICY, 1, 429, '4', NOW)).toEqual({
      retry: true,
      delayMs: 4000,
      source: 'retry-after',
    });
  });

  it('backs off exponentially with jitter when no Retry-After is sent', () => {
    expect(decideRetry(DEFAULT_RETRY_POLICY, 1, 503, null, NOW, 0.5)).toEqual({
      retry: true,
      delayMs: 1500,
      source: 'backoff',
    });
    expect(decideRetry(DEFAULT_RETRY_POLICY, 3, 503, null, NOW, 0)).toEqual({
      retry: true,
      delayMs: 4000,
      source: 'backoff',
    });
  });

  it('does not retry statuses outside the policy', () => {
    expect(decideRetry(DEFAULT_RETRY_POLICY, 1, 500, '1', NOW)).toEqual({
      retry: false,
      reason: 'HTTP 500 is not retried',
    });
  });

  it('stops after the last attempt', () => {
    expect(decideRetry(DEFAULT_RETRY_POLICY, 4, 429, '1', NOW)).toEqual({
      retry: false,
      reason: 'gave up after 4 attempts',
    });
  });

  it('refuses to wait longer than the cap when the server asks for it', () => {
    expect(decideRetry(DEFAULT_RETRY_POLICY, 1, 429, '120', NOW)).toEqual({
      retry: false,
      reason: 'the workspace asked to wait 120 s, longer than the 30 s the app waits',
    });
  });
});

describe('sleep', () => {
  afterEach(() => vi.useRealTimers());

  it('resolves after the delay with fake timers', async () => {
    vi.useFakeTimers();
    let done = false;
    const promise = sleep(3000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(2999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await promise;
    expect(done).toBe(true);
  });

  it('rejects as soon as the signal aborts', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const promise = sleep(10_000, controller.signal);
    controller.abort(new DOMException('left the view', 'AbortError'));
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
  });
});
