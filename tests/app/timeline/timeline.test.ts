import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../src/app/errors/redact.ts';
import { createTimeline } from '../../../src/app/timeline/timeline.ts';

describe('timeline', () => {
  it('records entries in order with their time and duration', () => {
    const timeline = createTimeline({ now: () => 42 });
    timeline.add({ kind: 'auth', status: 'info', title: 'Redirect to authorize', detail: 'PKCE S256' });
    timeline.add({ kind: 'api', status: 'ok', title: 'GET /api/2.1/clusters/list → 200', durationMs: 12.6 });
    expect(timeline.entries()).toEqual([
      { id: 1, at: 42, kind: 'auth', status: 'info', title: 'Redirect to authorize', detail: 'PKCE S256', count: 1 },
      { id: 2, at: 42, kind: 'api', status: 'ok', title: 'GET /api/2.1/clusters/list → 200', durationMs: 13, count: 1 },
    ]);
  });

  it('folds repeated identical steps into one entry with a count', () => {
    const timeline = createTimeline();
    timeline.add({ kind: 'token', status: 'ok', title: 'Access token from cache' });
    timeline.add({ kind: 'token', status: 'ok', title: 'Access token from cache' });
    expect(timeline.entries()).toHaveLength(1);
    expect(timeline.entries()[0]!.count).toBe(2);
  });

  it('keeps its entries across a redirect in sessionStorage', () => {
    const first = createTimeline({ storage: sessionStorage, key: 'test.timeline' });
    first.add({ kind: 'auth', status: 'info', title: 'Redirect to authorize' });
    const second = createTimeline({ storage: sessionStorage, key: 'test.timeline' });
    second.add({ kind: 'auth', status: 'ok', title: 'Authorization code returned to the app' });
    expect(second.entries().map((e) => [e.id, e.title])).toEqual([
      [1, 'Redirect to authorize'],
      [2, 'Authorization code returned to the app'],
    ]);
  });

  it('drops the oldest entries beyond its limit and notifies subscribers', () => {
    const timeline = createTimeline({ limit: 2 });
    let notified = 0;
    timeline.subscribe(() => notified++);
    for (const title of ['a', 'b', 'c']) timeline.add({ kind: 'api', status: 'ok', title });
    expect(timeline.entries().map((e) => e.title)).toEqual(['b', 'c']);
    expect(notified).toBe(3);
  });

  it('never stores a token, code or bearer value', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJlLXZhbHVl';
    const timeline = createTimeline({ storage: sessionStorage, key: 'test.timeline.secrets' });
    timeline.add({
      kind: 'auth',
      status: 'info',
      title: `got ${jwt}`,
      detail: 'https://x/#code=abc123&state=s Authorization: Bearer abc.def',
    });
    const stored = sessionStorage.getItem('test.timeline.secrets') ?? '';
    expect(stored).not.toContain('eyJ');
    expect(stored).not.toContain('abc123');
    expect(stored).not.toContain('abc.def');
    expect(timeline.entries()[0]).toMatchObject({
      title: 'got [token]',
      detail: 'https://x/#code=[redacted]&state=s Authorization: Bearer [redacted]',
    });
  });

  it('redacts refresh tokens and verifiers in text', () => {
    expect(redactSecrets('refresh_token=1.AXYZ&code_verifier=abc')).toBe(
      'refresh_token=[redacted]&code_verifier=[redacted]',
    );
  });
});
