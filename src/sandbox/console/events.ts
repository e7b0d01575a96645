import type { ServedRequest } from '../request-events.ts';
import { GUID_PATTERN } from '../well-known.ts';

/**
 * One request as the console shows it: what the identity provider or the workspace saw, with
 * every secret taken out (see {@link redactPath}, {@link redactQuery}).
 */
export interface ConsoleEvent {
  /** Increases by one per event, across both services, in the order the exchanges ended. */
  id: number;
  service: 'entra' | 'workspace';
  /** When the answer ended, ISO 8601. */
  time: string;
  method: string;
  path: string;
  /** `name=value&…` with the value of every parameter not known to be harmless replaced by `[redacted]`. */
  query: string;
  /** HTTP status; 0 for a connection closed without an answer. */
  status: number;
  durationMs: number;
  user?: string;
  clientId?: string;
  /** A token request's grant type. */
  detail?: string;
}

export const REDACTED = '[redacted]';

/**
 * Query parameters whose values are shown. Anything else (state, nonce, code_challenge,
 * login_hint, page tokens, …) shows its name only: a value not on this list may be a secret.
 */
const SHOWN_QUERY_PARAMETERS = new Set([
  'client_id',
  'response_type',
  'response_mode',
  'scope',
  'prompt',
  'redirect_uri',
  'code_challenge_method',
  'post_logout_redirect_uri',
  'api-version',
  'client-request-id',
  'page_size',
  'cluster_id',
  'sort_by.field',
  'sort_by.direction',
  'filter_by.cluster_states',
  'filter_by.cluster_sources',
  'filter_by.is_pinned',
  'limit',
  'offset',
  'job_id',
  'run_id',
]);

const GRANT_TYPES = new Set(['authorization_code', 'refresh_token', 'password', 'client_credentials', 'device_code']);
/** A JWT (or JWE) anywhere: base64url JSON header `eyJ…` and at least one more part. */
const JWT_RE = /eyJ[A-Za-z0-9_-]{2,}(\.[A-Za-z0-9_-]*){1,4}/g;
/** A long random-looking run (codes, refresh tokens, session IDs): 32+ URL-safe characters with upper, lower and digit. */
const OPAQUE_RE = /[A-Za-z0-9_~+=-]{32,}/g;
const MAX_PATH = 300;
const MAX_VALUE = 160;

/** Redacts secrets from free text: JWTs, opaque token-like runs, and the given known secrets (passwords). */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(JWT_RE, REDACTED).replace(OPAQUE_RE, (run) => (looksRandom(run) ? REDACTED : run));
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out;
}

function looksRandom(run: string): boolean {
  if (GUID_PATTERN.test(run)) return false;
  return /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run);
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** A path for display: percent-decoded where possible, secrets redacted, at most 300 characters. */
export function redactPath(path: string, secrets: readonly string[] = []): string {
  const shown = redactText(decoded(path), secrets);
  return shown.length > MAX_PATH ? `${shown.slice(0, MAX_PATH)}…` : shown;
}

/**
 * A query for display: every parameter's name, and its value only when the parameter is on a
 * short list of harmless ones (client_id, scope, page_size, …), redacted like text even then.
 */
export function redactQuery(query: string, secrets: readonly string[] = []): string {
  if (query === '') return '';
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .slice(0, 40)
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = redactText(decoded(equals < 0 ? pair : pair.slice(0, equals)), secrets).slice(0, 60);
      if (equals < 0) return name;
      if (!SHOWN_QUERY_PARAMETERS.has(name)) return `${name}=${REDACTED}`;
      const value = redactText(decoded(pair.slice(equals + 1)), secrets);
      return `${name}=${value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE)}…` : value}`;
    })
    .join('&');
}

/** Turns what a server saw into what the console may show. */
export function toConsoleEvent(id: number, served: ServedRequest, secrets: readonly string[] = []): ConsoleEvent {
  const event: ConsoleEvent = {
    id,
    service: served.service,
    time: new Date(served.at).toISOString(),
    method: served.method.slice(0, 16).replace(/[^A-Z]/gi, '?'),
    path: redactPath(served.path, secrets),
    query: redactQuery(served.query, secrets),
    status: served.status,
    durationMs: served.durationMs,
  };
  if (served.user) event.user = redactText(served.user, secrets).slice(0, 120);
  if (served.clientId) event.clientId = GUID_PATTERN.test(served.clientId) ? served.clientId.toLowerCase() : REDACTED;
  if (served.detail) event.detail = GRANT_TYPES.has(served.detail) ? served.detail : 'other';
  return event;
}

export type ConsoleEventListener = (event: ConsoleEvent) => void;

/**
 * The console's live log: every request both services saw, numbered in one sequence, the last
 * `capacity` kept for a page that connects (or reconnects) later.
 */
export class EventLog {
  readonly #capacity: number;
  readonly #secrets: () => readonly string[];
  readonly #events: ConsoleEvent[] = [];
  readonly #listeners = new Set<ConsoleEventListener>();
  readonly #clearListeners = new Set<() => void>();
  #next = 1;

  /** @param secrets values that must never be shown (the directory's passwords), read on each event. */
  constructor(capacity = 500, secrets: () => readonly string[] = () => []) {
    this.#capacity = capacity;
    this.#secrets = secrets;
  }

  publish(served: ServedRequest): ConsoleEvent {
    const event = toConsoleEvent(this.#next++, served, this.#secrets());
    this.#events.push(event);
    if (this.#events.length > this.#capacity) this.#events.shift();
    for (const listener of this.#listeners) listener(event);
    return event;
  }

  /** Forgets the kept events (numbering goes on) and tells listeners, so pages clear their view. */
  clear(): void {
    this.#events.length = 0;
    for (const listener of this.#clearListeners) listener();
  }

  /** Called after {@link clear}; returns the unsubscribe. */
  onClear(listener: () => void): () => void {
    this.#clearListeners.add(listener);
    return () => this.#clearListeners.delete(listener);
  }

  /** Kept events with an ID above `afterId`, oldest first. */
  since(afterId = 0): ConsoleEvent[] {
    return this.#events.filter((event) => event.id > afterId);
  }

  subscribe(listener: ConsoleEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
