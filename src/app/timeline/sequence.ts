import type { TimelineEntry } from './timeline.ts';

/**
 * The timeline read as a sequence diagram: which lanes each recorded step goes between, in words a
 * presenter can say, with the facts its details show. Pure functions; the view draws the result.
 */

export const LANES = [
  { id: 'app', name: 'This browser app' },
  { id: 'entra', name: 'Microsoft Entra ID' },
  { id: 'proxy', name: "The app's server and proxy" },
  { id: 'workspace', name: 'The Databricks workspace' },
] as const;
export type LaneId = (typeof LANES)[number]['id'];

/** What a recorded step was, in protocol terms. */
export type StepKind =
  | 'authorize'
  | 'sign-out'
  | 'code-returned'
  | 'idp-error'
  | 'code-redeemed'
  | 'response-timing'
  | 'token-cache'
  | 'token-request'
  | 'token-refreshed'
  | 'token-failed'
  | 'renewal-timing'
  | 'renew-redirect'
  | 'api'
  | 'api-retry'
  | 'note'
  | 'failure';

export interface StepFacts {
  /** Host and path, or method and path: never a query value that matters. */
  endpoint?: string;
  parameters: Array<[string, string]>;
  /** HTTP status or outcome in words. */
  status?: string;
  durationMs?: number;
  /** Anything else the entry recorded, already redacted. */
  notes: string[];
}

export interface SequenceStep {
  entry: TimelineEntry;
  kind: StepKind;
  /** Plain words for the arrow and the list. */
  label: string;
  from: LaneId;
  to: LaneId;
  /** A lane the message passes through (API calls go through the proxy). */
  via?: LaneId;
  /** For a request and its answer drawn as a pair: the answer's words ("200 · 48 ms"). */
  reply?: string;
  failed: boolean;
  /** Milliseconds since the first recorded step. */
  offsetMs: number;
  facts: StepFacts;
}

interface Reading {
  kind: StepKind;
  label: (entry: TimelineEntry) => string;
  from: LaneId;
  to: LaneId;
  /** Replaces the recorded detail where that was worded for developers. */
  note?: string;
}

/**
 * The auth service's step titles, read into lanes and plain words. A title not listed here is read
 * by its `kind` alone (auth and token steps between the app and Entra ID, API calls to the
 * workspace, errors as a note on the app), so a renamed step still lands in a sensible lane.
 */
const BY_TITLE: ReadonlyArray<[RegExp, Reading]> = [
  [
    /^Redirect to authorize$/,
    { kind: 'authorize', label: () => 'Redirect to sign in (authorize, with PKCE)', from: 'app', to: 'entra' },
  ],
  [/^Redirect to sign out$/, { kind: 'sign-out', label: () => 'Redirect to sign out', from: 'app', to: 'entra' }],
  [
    /^Authorization code returned to the app$/,
    {
      kind: 'code-returned',
      label: () => 'Authorization code sent back to the app',
      from: 'entra',
      to: 'app',
      note: 'The app checks the state value, then redeems the code with its PKCE verifier.',
    },
  ],
  [
    /^Identity provider returned error=/,
    {
      kind: 'idp-error',
      label: (e) => `Sign-in failed: Entra ID answered ${e.title.replace(/^Identity provider returned /, '')}`,
      from: 'entra',
      to: 'app',
    },
  ],
  [
    /^Code redeemed at the token endpoint$/,
    {
      kind: 'code-redeemed',
      label: () => 'Code redeemed for tokens (with the PKCE verifier)',
      from: 'app',
      to: 'entra',
    },
  ],
  [
    /^MSAL measured the sign-in response$/,
    {
      kind: 'response-timing',
      label: () => 'Sign-in response handled',
      from: 'app',
      to: 'app',
      note: 'Time from the sign-in response reaching the app to having its tokens: state check and code redemption.',
    },
  ],
  [
    /^Access token from cache$/,
    { kind: 'token-cache', label: () => 'Access token taken from the cache (no request)', from: 'app', to: 'app' },
  ],
  [
    /^Token request to the token endpoint$/,
    { kind: 'token-request', label: () => 'Token request to Entra ID', from: 'app', to: 'entra' },
  ],
  [
    /^Access token refreshed$/,
    { kind: 'token-refreshed', label: () => 'New access token (silent renewal)', from: 'entra', to: 'app' },
  ],
  [
    /^MSAL measured the silent renewal$/,
    {
      kind: 'renewal-timing',
      label: () => 'Silent renewal done',
      from: 'app',
      to: 'app',
      note: 'The refresh token was exchanged for a new access token without leaving the page.',
    },
  ],
  [/^Could not get a token$/, { kind: 'token-failed', label: () => 'Token request failed', from: 'entra', to: 'app' }],
  [
    /^Signing in again to renew the session$/,
    { kind: 'renew-redirect', label: () => 'Redirect to sign in again (session renewal)', from: 'app', to: 'entra' },
  ],
  [
    /^Stopped signing in again automatically$/,
    { kind: 'failure', label: () => 'Stopped signing in again, to avoid a loop', from: 'app', to: 'app' },
  ],
  [
    /^Sign-in response rejected$/,
    { kind: 'failure', label: () => 'Sign-in could not be completed', from: 'app', to: 'app' },
  ],
  [
    /^Unexpected sign-in response ignored$/,
    { kind: 'failure', label: () => 'Ignored a sign-in response this tab did not ask for', from: 'app', to: 'app' },
  ],
];

const API_TITLE = /^([A-Z]+) (\S+) → (.+)$/;

function readReading(entry: TimelineEntry): Reading {
  for (const [pattern, reading] of BY_TITLE) if (pattern.test(entry.title)) return reading;
  if (entry.kind === 'api') {
    if (entry.status === 'wait') return { kind: 'api-retry', label: (e) => e.title, from: 'app', to: 'app' };
    return { kind: 'api', label: (e) => e.title, from: 'app', to: 'workspace' };
  }
  if (entry.kind === 'error') return { kind: 'failure', label: (e) => e.title, from: 'app', to: 'app' };
  // Other sign-in events (another tab, a switched account) happen inside the app.
  return { kind: 'note', label: (e) => e.title, from: 'app', to: 'app' };
}

/** "host/path · response_type=code · PKCE S256" → endpoint and parameters. */
function splitDetail(detail: string | undefined): { endpoint?: string; parameters: Array<[string, string]> } {
  if (!detail) return { parameters: [] };
  const [first = '', ...rest] = detail.split(' · ');
  const parameters: Array<[string, string]> = [];
  for (const part of rest) {
    const eq = part.indexOf('=');
    const space = part.indexOf(' ');
    if (eq > 0) parameters.push([part.slice(0, eq), part.slice(eq + 1)]);
    else if (space > 0) parameters.push([part.slice(0, space), part.slice(space + 1)]);
    else parameters.push([part, '']);
  }
  return { endpoint: first, parameters };
}

function queryParameters(path: string): Array<[string, string]> {
  const q = path.indexOf('?');
  if (q < 0) return [];
  return [...new URLSearchParams(path.slice(q + 1)).entries()];
}

/**
 * What a token request carries, by the protocol (RFC 6749 §4.1.3 and §6, RFC 7636 §4.5): the
 * timeline records that the request happened, not its body, and secret values are never shown.
 */
const TOKEN_REQUEST_PARAMETERS: Partial<Record<StepKind, Array<[string, string]>>> = {
  'code-redeemed': [
    ['grant_type', 'authorization_code'],
    ['code', '(not shown)'],
    ['code_verifier', '(not shown)'],
  ],
  'token-request': [
    ['grant_type', 'refresh_token'],
    ['refresh_token', '(not shown)'],
  ],
};

function readStep(entry: TimelineEntry, firstAt: number, tokenEndpoint: string | undefined): SequenceStep {
  const reading = readReading(entry);
  const offsetMs = entry.at - firstAt;
  const base = {
    entry,
    kind: reading.kind,
    label: reading.label(entry),
    from: reading.from,
    to: reading.to,
    failed: entry.status === 'fail',
    offsetMs,
  };
  const notes: string[] = [];
  if (entry.count > 1) notes.push(`Happened ${entry.count} times in a row; the time shown is the last.`);

  if (reading.kind === 'api') {
    const match = API_TITLE.exec(entry.title);
    const method = entry.http?.method ?? match?.[1] ?? '';
    const fullPath = entry.http?.path ?? entry.detail?.split(' · ')[0] ?? match?.[2] ?? '';
    const path = fullPath.split('?')[0] ?? fullPath;
    const status = entry.http?.status !== undefined ? String(entry.http.status) : (match?.[3] ?? 'no answer');
    for (const extra of (entry.detail ?? '').split(' · ').slice(1)) notes.push(extra);
    const answer = entry.status === 'fail' ? `✕ ${status}` : status;
    return {
      ...base,
      label: `${method} ${path}`,
      via: 'proxy',
      reply: entry.durationMs !== undefined ? `${answer} · ${entry.durationMs} ms` : answer,
      facts: {
        endpoint: `${method} ${path}`,
        parameters: queryParameters(fullPath),
        status,
        ...(entry.durationMs !== undefined ? { durationMs: entry.durationMs } : {}),
        notes,
      },
    };
  }

  const tokenParameters = TOKEN_REQUEST_PARAMETERS[reading.kind];
  const { endpoint, parameters } =
    reading.kind === 'authorize' || reading.kind === 'sign-out'
      ? splitDetail(entry.detail)
      : tokenParameters
        ? { endpoint: tokenEndpoint ?? "the tenant's token endpoint", parameters: tokenParameters }
        : { endpoint: undefined, parameters: [] as Array<[string, string]> };
  if (reading.note) notes.unshift(reading.note);
  else if (entry.detail && reading.kind !== 'authorize' && reading.kind !== 'sign-out') notes.unshift(entry.detail);
  const status = entry.status === 'fail' ? 'failed' : entry.status === 'wait' ? 'waiting' : 'done';
  const roundTrip = reading.kind === 'code-redeemed';
  return {
    ...base,
    ...(roundTrip
      ? {
          reply: `${entry.status === 'fail' ? '✕ failed' : 'ID and access tokens'}${entry.durationMs !== undefined ? ` · ${entry.durationMs} ms` : ''}`,
        }
      : {}),
    facts: {
      ...(endpoint !== undefined ? { endpoint } : {}),
      parameters,
      status,
      ...(entry.durationMs !== undefined ? { durationMs: entry.durationMs } : {}),
      notes,
    },
  };
}

/** Reads every entry; offsets count from the first one. */
export function readSequence(entries: readonly TimelineEntry[]): SequenceStep[] {
  const firstAt = entries[0]?.at ?? 0;
  let tokenEndpoint: string | undefined;
  return entries.map((entry) => {
    const step = readStep(entry, firstAt, tokenEndpoint);
    // The token endpoint sits beside the authorize endpoint: .../oauth2/v2.0/authorize → .../token.
    if (step.kind === 'authorize' && step.facts.endpoint?.endsWith('/authorize'))
      tokenEndpoint = step.facts.endpoint.replace(/\/authorize$/, '/token');
    return step;
  });
}

export function laneName(id: LaneId): string {
  return LANES.find((lane) => lane.id === id)?.name ?? id;
}

export function laneIndex(id: LaneId): number {
  return LANES.findIndex((lane) => lane.id === id);
}

/** "+1.234 s": milliseconds since the first step, to the millisecond. */
export function formatOffset(offsetMs: number): string {
  return `+${(Math.max(0, offsetMs) / 1000).toFixed(3)} s`;
}

const absoluteFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hour12: false,
});

/** The local date and time of an entry, to the millisecond. */
export function formatAbsolute(at: number): string {
  return absoluteFormat.format(at);
}
