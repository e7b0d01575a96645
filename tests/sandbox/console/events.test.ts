import { describe, expect, it } from 'vitest';
import { EventLog, REDACTED, redactPath, redactQuery, toConsoleEvent } from '../../../src/sandbox/console/index.ts';
import type { ServedRequest } from '../../../src/sandbox/request-events.ts';

const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1cG4iOiJhbmFAY29udG9zby5leGFtcGxlIiwiZXhwIjoxfQ.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLXRva2Vu';
const REFRESH = '1.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQrSt';

function served(overrides: Partial<ServedRequest> = {}): ServedRequest {
  return {
    service: 'entra',
    method: 'GET',
    path: '/tenant/oauth2/v2.0/authorize',
    query: '',
    status: 200,
    durationMs: 3,
    at: Date.UTC(2026, 10, 29, 16, 0, 0),
    ...overrides,
  };
}

describe('what the console may show of a request', () => {
  it.each([
    ['a JWT in a path segment', `/api/2.0/x/${JWT}`, `/api/2.0/x/${REDACTED}`],
    ['a refresh-token-shaped run', `/t/${REFRESH}`, `/t/1.${REDACTED}`],
    ['a percent-encoded JWT', `/t/${encodeURIComponent(JWT).replace(/\./g, '%2E')}`, `/t/${REDACTED}`],
    ['a known password', '/common/userrealm/ana-sandbox', `/common/userrealm/${REDACTED}`],
  ])('redacts %s from the path', (_name, path, expected) => {
    expect(redactPath(path, ['ana-sandbox'])).toBe(expected);
  });

  it('keeps ordinary paths, tenant IDs and table names as they are', () => {
    for (const path of [
      '/a1bc2d34-5e67-8f89-01ab-c2345d6c78de/oauth2/v2.0/token',
      '/api/2.1/unity-catalog/tables/sales.gold.daily_revenue_by_region_and_product',
      '/api/2.0/preview/scim/v2/Me',
    ])
      expect(redactPath(path)).toBe(path);
  });

  it('shows the names of query parameters, and values only for harmless ones', () => {
    const query = [
      'client_id=12a34b56-789c-0d12-e3fa-b456789c0123',
      'scope=openid%202ff814a6-3304-4ab8-85cb-cd0e6f879c1d%2F.default',
      'code=0.AbC-secret-code',
      'state=eyJpZCI6InN0YXRlIn0',
      'nonce=n-123',
      'code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      'code_verifier=verifier',
      'client_secret=shh',
      'password=ana-sandbox',
      'refresh_token=1.abc',
      'login_hint=ana%40contoso.example',
      'page_token=opaque',
      `redirect_uri=${encodeURIComponent(`https://localhost/#${JWT}`)}`,
    ].join('&');
    expect(redactQuery(query, ['ana-sandbox']).split('&')).toEqual([
      'client_id=12a34b56-789c-0d12-e3fa-b456789c0123',
      'scope=openid 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default',
      `code=${REDACTED}`,
      `state=${REDACTED}`,
      `nonce=${REDACTED}`,
      `code_challenge=${REDACTED}`,
      `code_verifier=${REDACTED}`,
      `client_secret=${REDACTED}`,
      `password=${REDACTED}`,
      `refresh_token=${REDACTED}`,
      `login_hint=${REDACTED}`,
      `page_token=${REDACTED}`,
      `redirect_uri=https://localhost/#${REDACTED}`,
    ]);
  });

  it('never passes on a client ID that is not a GUID, nor an unknown grant type', () => {
    const event = toConsoleEvent(1, served({ clientId: JWT, detail: `grant ${JWT}`, user: `x ${JWT}` }));
    expect(JSON.stringify(event)).not.toContain('eyJ');
    expect(event).toMatchObject({ clientId: REDACTED, detail: 'other', user: `x ${REDACTED}` });
  });

  it('carries time, method, path, status, duration, user and client ID', () => {
    const event = toConsoleEvent(
      7,
      served({
        user: 'ana@contoso.example',
        clientId: '12A34B56-789C-0D12-E3FA-B456789C0123',
        detail: 'refresh_token',
      }),
    );
    expect(event).toEqual({
      id: 7,
      service: 'entra',
      time: '2026-11-29T16:00:00.000Z',
      method: 'GET',
      path: '/tenant/oauth2/v2.0/authorize',
      query: '',
      status: 200,
      durationMs: 3,
      user: 'ana@contoso.example',
      clientId: '12a34b56-789c-0d12-e3fa-b456789c0123',
      detail: 'refresh_token',
    });
  });
});

describe('the console event log', () => {
  it('numbers events from both services in one sequence, in the order they were published', () => {
    const log = new EventLog(10);
    const seen: number[] = [];
    log.subscribe((event) => seen.push(event.id));
    log.publish(served({ service: 'entra' }));
    log.publish(served({ service: 'workspace', path: '/api/2.1/clusters/list' }));
    log.publish(served({ service: 'entra', method: 'POST' }));
    expect(seen).toEqual([1, 2, 3]);
    expect(log.since(0).map((event) => `${event.id} ${event.service}`)).toEqual(['1 entra', '2 workspace', '3 entra']);
    expect(log.since(1).map((event) => event.id)).toEqual([2, 3]);
  });

  it('keeps only the latest events, and redacts the secrets it is given', () => {
    const log = new EventLog(2, () => ['ben-sandbox']);
    for (let i = 0; i < 5; i++) log.publish(served({ path: `/p/${i}/ben-sandbox` }));
    expect(log.since(0).map((event) => [event.id, event.path])).toEqual([
      [4, `/p/3/${REDACTED}`],
      [5, `/p/4/${REDACTED}`],
    ]);
  });

  it('forgets its events when cleared, tells its listeners, and goes on numbering', () => {
    const log = new EventLog();
    let cleared = 0;
    log.onClear(() => cleared++);
    log.publish(served());
    log.clear();
    expect([log.since(0), cleared]).toEqual([[], 1]);
    expect(log.publish(served()).id).toBe(2);
  });

  it('stops calling a listener once it unsubscribes', () => {
    const log = new EventLog();
    let calls = 0;
    const stop = log.subscribe(() => calls++);
    log.publish(served());
    stop();
    log.publish(served());
    expect(calls).toBe(1);
    expect(log.listenerCount).toBe(0);
  });
});
