import { EventType, type PublicClientApplication } from '@azure/msal-browser';
import type { Timeline } from '../timeline/timeline.ts';

/** Describes an authorize or logout URL for the timeline: host, path and protocol facts, no values that matter. */
export function describeNavigation(url: string): { title: string; detail: string } {
  const parsed = new URL(url);
  const p = parsed.searchParams;
  if (parsed.pathname.endsWith('/logout')) {
    return { title: 'Redirect to sign out', detail: `${parsed.host}${parsed.pathname}` };
  }
  const parts = [
    `${parsed.host}${parsed.pathname}`,
    `response_type=${p.get('response_type') ?? '?'}`,
    `PKCE ${p.get('code_challenge_method') ?? 'missing'}`,
    `response_mode=${p.get('response_mode') ?? 'query'}`,
    `scope=${p.get('scope') ?? ''}`,
  ];
  if (p.get('prompt')) parts.push(`prompt=${p.get('prompt')}`);
  return { title: 'Redirect to authorize', detail: parts.join(' · ') };
}

/**
 * Shows MSAL's own view in the timeline: its measurements (silent renewals that went to the
 * network, redirect handling) and each token request it sends to the token endpoint.
 */
export function followMsalInTimeline(pca: PublicClientApplication, timeline: Timeline): void {
  // MSAL's own measurements: silent renewals that went to the network, and redirect handling.
  pca.addPerformanceCallback((events) => {
    for (const event of events) {
      if (event.name === 'acquireTokenSilent' && event.fromCache === false && event.durationMs !== undefined) {
        timeline.add({
          kind: 'token',
          status: 'info',
          title: 'MSAL measured the silent renewal',
          detail: 'refresh token grant, as timed by MSAL',
          durationMs: event.durationMs,
        });
      } else if (event.name === 'acquireTokenRedirect' && event.durationMs !== undefined) {
        timeline.add({
          kind: 'token',
          status: 'info',
          title: 'MSAL measured the sign-in response',
          detail: 'state check and code redemption, as timed by MSAL',
          durationMs: event.durationMs,
        });
      }
    }
  });

  pca.addEventCallback((message) => {
    if (message.eventType === EventType.ACQUIRE_TOKEN_NETWORK_START) {
      timeline.add({ kind: 'token', status: 'info', title: 'Token request to the token endpoint' });
    }
  });
}
