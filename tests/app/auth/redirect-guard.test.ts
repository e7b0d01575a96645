import { describe, expect, it } from 'vitest';
import { createRedirectGuard, saveReturnView, takeReturnView } from '../../../src/app/auth/redirect-guard.ts';

describe('redirect-loop guard', () => {
  it('allows two automatic redirects, then stops', () => {
    let now = 1_000_000;
    const guard = createRedirectGuard(sessionStorage, { now: () => now, key: 'test.guard.1' });
    expect(guard.allows()).toBe(true);
    guard.record();
    now += 1000;
    expect(guard.allows()).toBe(true);
    guard.record();
    expect(guard.allows()).toBe(false);
  });

  it('survives a page load, since the redirect reloads the page', () => {
    const first = createRedirectGuard(sessionStorage, { key: 'test.guard.2' });
    first.record();
    first.record();
    expect(createRedirectGuard(sessionStorage, { key: 'test.guard.2' }).allows()).toBe(false);
  });

  it('forgets redirects older than its window', () => {
    let now = 0;
    const guard = createRedirectGuard(sessionStorage, { now: () => now, key: 'test.guard.3', windowMs: 60_000 });
    guard.record();
    guard.record();
    now = 60_001;
    expect(guard.allows()).toBe(true);
  });

  it('starts over when the person clicks Sign in', () => {
    const guard = createRedirectGuard(sessionStorage, { key: 'test.guard.4' });
    guard.record();
    guard.record();
    guard.reset();
    expect(guard.allows()).toBe(true);
  });

  it('treats unreadable stored state as no redirects', () => {
    sessionStorage.setItem('test.guard.5', '{not json');
    expect(createRedirectGuard(sessionStorage, { key: 'test.guard.5' }).allows()).toBe(true);
  });

  it('remembers the view to return to exactly once', () => {
    saveReturnView(sessionStorage, 'tokens');
    expect(takeReturnView(sessionStorage)).toBe('tokens');
    expect(takeReturnView(sessionStorage)).toBeNull();
  });
});
