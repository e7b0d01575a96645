import { fireEvent, render, screen, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createTimeline, type Timeline } from '../../../src/app/timeline/timeline.ts';
import { TimelineView } from '../../../src/app/timeline/timeline-view.tsx';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJlLXZhbHVl';
const START = Date.UTC(2026, 10, 29, 14, 3, 7, 250);

/** A whole session as the auth service and the workspace client record it, 1 ms apart unless told. */
function session(): Timeline {
  let now = START;
  const timeline = createTimeline({ now: () => now });
  const at = (ms: number) => {
    now = START + ms;
  };
  timeline.add({
    kind: 'auth',
    status: 'info',
    title: 'Redirect to authorize',
    detail:
      'login.microsoftonline.com/a1bc/oauth2/v2.0/authorize · response_type=code · PKCE S256 · response_mode=fragment · scope=2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default openid profile offline_access',
  });
  at(1234);
  timeline.add({
    kind: 'auth',
    status: 'ok',
    title: 'Authorization code returned to the app',
    detail: 'state checked by MSAL; the code is redeemed next, with the PKCE verifier',
  });
  at(1301);
  timeline.add({
    kind: 'token',
    status: 'ok',
    title: 'Code redeemed at the token endpoint',
    detail: 'ID token and access token for 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default',
    durationMs: 66.6,
  });
  timeline.add({
    kind: 'token',
    status: 'info',
    title: 'MSAL measured the sign-in response',
    detail: 'state check and code redemption, as timed by MSAL',
    durationMs: 57,
  });
  at(1350);
  timeline.add({ kind: 'token', status: 'ok', title: 'Access token from cache' });
  at(1420);
  timeline.add({
    kind: 'api',
    status: 'ok',
    title: 'GET /api/2.1/clusters/list → 200',
    detail: '/api/2.1/clusters/list?page_size=100',
    durationMs: 48,
    http: { method: 'GET', path: '/api/2.1/clusters/list?page_size=100', status: 200 },
  });
  at(60_000);
  timeline.add({ kind: 'token', status: 'info', title: 'Token request to the token endpoint' });
  at(60_090);
  timeline.add({ kind: 'token', status: 'ok', title: 'Access token refreshed', detail: 'refresh token grant' });
  timeline.add({
    kind: 'token',
    status: 'info',
    title: 'MSAL measured the silent renewal',
    detail: 'refresh token grant, as timed by MSAL',
    durationMs: 90,
  });
  at(60_200);
  timeline.add({
    kind: 'api',
    status: 'fail',
    title: 'GET /api/2.1/clusters/list → 503',
    detail: `/api/2.1/clusters/list?page_size=100&code=${JWT} · after a forced token refresh`,
    durationMs: 12,
    http: { method: 'GET', path: `/api/2.1/clusters/list?page_size=100&code=abc123secret`, status: 503 },
  });
  return timeline;
}

function arrows() {
  return within(screen.getByRole('list', { name: 'Steps' })).getAllByRole('button');
}

describe('timeline view', () => {
  it('draws the session as arrows between four lanes, in plain words', () => {
    render(<TimelineView timeline={session()} />);
    const figure = screen.getByRole('figure', { name: 'Sequence diagram' });
    const lanes = within(figure).getByRole('list', { name: 'Lanes' });
    expect(
      within(lanes)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['This browser app', 'Microsoft Entra ID', "The app's server and proxy", 'The Databricks workspace']);
    expect(arrows().map((b) => b.textContent?.replace(/^Step \d+: /, ''))).toEqual([
      'Redirect to sign in (authorize, with PKCE), This browser app → Microsoft Entra ID',
      'Authorization code sent back to the app, Microsoft Entra ID → This browser app',
      'Code redeemed for tokens (with the PKCE verifier), This browser app → Microsoft Entra ID, answer ID and access tokens · 67 ms',
      'Sign-in response handled, in this browser app, took 57 ms',
      'Access token taken from the cache (no request), in this browser app',
      "GET /api/2.1/clusters/list, This browser app → The Databricks workspace through the app's server and proxy, answer 200 · 48 ms",
      'Token request to Entra ID, This browser app → Microsoft Entra ID',
      'New access token (silent renewal), Microsoft Entra ID → This browser app',
      'Silent renewal done, in this browser app, took 90 ms',
      "✕ GET /api/2.1/clusters/list, This browser app → The Databricks workspace through the app's server and proxy, failed, answer ✕ 503 · 12 ms",
    ]);
    expect(document.body.textContent).not.toContain('MSAL measured');
  });

  it('opens an arrow with its endpoint, parameters, status, duration and time, and never a secret', async () => {
    const user = userEvent.setup();
    render(<TimelineView timeline={session()} />);
    const authorize = screen.getByRole('button', { name: /^Step 1: Redirect to sign in/ });
    expect(authorize.getAttribute('aria-expanded')).toBe('false');
    await user.click(authorize);
    expect(authorize.getAttribute('aria-expanded')).toBe('true');
    const details = screen.getByRole('region', { name: 'Details of step 1' });
    expect(within(details).getByRole('heading').textContent).toBe('Step 1: Redirect to sign in (authorize, with PKCE)');
    expect(details.textContent).toContain('Endpointlogin.microsoftonline.com/a1bc/oauth2/v2.0/authorize');
    const parameters = within(details)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(parameters).toEqual([
      'response_type=code',
      'PKCE=S256',
      'response_mode=fragment',
      'scope=2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default openid profile offline_access',
    ]);
    expect(details.textContent).toContain(
      `+0.000 s after the first step · ${new Intl.DateTimeFormat(undefined, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        fractionalSecondDigits: 3,
        hour12: false,
      }).format(START)}`,
    );
    expect(details.textContent).toMatch(/:07[.,]250/);

    const failed = screen.getByRole('button', { name: /^Step 10: .*failed/ });
    await user.click(failed);
    expect(screen.queryByRole('region', { name: 'Details of step 1' })).toBeNull();
    const failure = screen.getByRole('region', { name: 'Details of step 10' });
    expect(failure.textContent).toContain('EndpointGET /api/2.1/clusters/list');
    expect(failure.textContent).toContain('Status503');
    expect(failure.textContent).toContain('Duration12 ms');
    expect(failure.textContent).toContain('+60.200 s after the first step');
    expect(failure.textContent).toContain('after a forced token refresh');
    expect(
      within(failure)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['page_size=100', 'code=[redacted]']);
    expect(document.body.innerHTML).not.toContain('abc123secret');
    expect(document.body.innerHTML).not.toContain(JWT);
  });

  it('names the token endpoint and the grant of a code redemption and a renewal, without their secrets', async () => {
    const user = userEvent.setup();
    render(<TimelineView timeline={session()} />);
    await user.click(screen.getByRole('button', { name: /^Step 3: Code redeemed/ }));
    const redeemed = screen.getByRole('region', { name: 'Details of step 3' });
    expect(redeemed.textContent).toContain('Endpointlogin.microsoftonline.com/a1bc/oauth2/v2.0/token');
    expect(
      within(redeemed)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['grant_type=authorization_code', 'code=(not shown)', 'code_verifier=(not shown)']);
    expect(redeemed.textContent).toContain(
      'ID token and access token for 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default',
    );
    await user.click(screen.getByRole('button', { name: /^Step 7: Token request/ }));
    const renewal = screen.getByRole('region', { name: 'Details of step 7' });
    expect(
      within(renewal)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['grant_type=refresh_token', 'refresh_token=(not shown)']);
  });

  it('closes the details with Escape, keeping the focus on the arrow', async () => {
    const user = userEvent.setup();
    render(<TimelineView timeline={session()} />);
    const arrow = screen.getByRole('button', { name: /^Step 6: GET/ });
    arrow.focus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('region', { name: 'Details of step 6' })).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Details of step 6' })).toBeNull();
    expect(document.activeElement).toBe(arrow);
  });

  it('reaches every arrow by keyboard', async () => {
    const user = userEvent.setup();
    render(<TimelineView timeline={session()} />);
    screen.getByRole('button', { name: 'Clear timeline' }).focus();
    await user.tab();
    for (const arrow of arrows()) {
      expect(document.activeElement).toBe(arrow);
      await user.tab();
    }
  });

  it('keeps the list beside the diagram, with times to the millisecond and entries that open', async () => {
    const user = userEvent.setup();
    render(<TimelineView timeline={session()} />);
    const list = screen.getByRole('list', { name: 'Events' });
    const items = within(list)
      .getAllByRole('listitem')
      .filter((li) => li.parentElement === list);
    expect(items.map((li) => li.querySelector('summary')?.textContent)).toEqual([
      '+0.000 sstepRedirect to sign in (authorize, with PKCE)',
      '+1.234 sdoneAuthorization code sent back to the app',
      '+1.301 sdoneCode redeemed for tokens (with the PKCE verifier)67 ms',
      '+1.301 sstepSign-in response handled57 ms',
      '+1.350 sdoneAccess token taken from the cache (no request)',
      '+1.420 sdoneGET /api/2.1/clusters/list48 ms',
      '+60.000 sstepToken request to Entra ID',
      '+60.090 sdoneNew access token (silent renewal)',
      '+60.090 sstepSilent renewal done90 ms',
      '+60.200 sfailedGET /api/2.1/clusters/list12 ms',
    ]);
    const entry = items[1]!.querySelector('details')!;
    expect(entry.open).toBe(false);
    await user.click(within(items[1]!).getByText('Authorization code sent back to the app'));
    expect(entry.open).toBe(true);
    expect(items[1]!.textContent).toContain(
      'The app checks the state value, then redeems the code with its PKCE verifier.',
    );

    await user.click(screen.getByRole('radio', { name: 'Diagram only' }));
    expect(screen.queryByRole('list', { name: 'Events' })).toBeNull();
    expect(screen.getByRole('figure', { name: 'Sequence diagram' })).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: 'List only' }));
    expect(screen.queryByRole('figure')).toBeNull();
    expect(screen.getByRole('list', { name: 'Events' })).toBeTruthy();
  });

  it('shows a failed sign-in in place, from Entra ID back to the app', () => {
    const timeline = createTimeline();
    timeline.add({ kind: 'auth', status: 'info', title: 'Redirect to authorize', detail: 'host/authorize' });
    timeline.add({
      kind: 'auth',
      status: 'fail',
      title: 'Identity provider returned error=access_denied',
      detail: 'AADSTS65004',
    });
    render(<TimelineView timeline={timeline} />);
    const arrow = screen.getByRole('button', { name: /^Step 2: / });
    expect(arrow.textContent).toBe(
      'Step 2: ✕ Sign-in failed: Entra ID answered error=access_denied, Microsoft Entra ID → This browser app, failed',
    );
    fireEvent.click(arrow);
    expect(screen.getByRole('region', { name: 'Details of step 2' }).textContent).toContain('AADSTS65004');
  });

  it('empties when cleared', async () => {
    const user = userEvent.setup();
    render(<TimelineView timeline={session()} />);
    await user.click(screen.getByRole('button', { name: 'Clear timeline' }));
    expect(screen.getByText('Nothing has happened yet. Sign-in steps and API calls appear here.')).toBeTruthy();
    expect(screen.queryByRole('figure')).toBeNull();
  });
});
