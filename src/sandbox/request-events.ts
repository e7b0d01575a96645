import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Requests as the sandbox servers saw them, for listeners in the same process (the presenter
 * console). The path and query are passed as received: listeners must redact before showing
 * them anywhere (the console does, see `src/sandbox/console/events.ts`).
 */
export interface ServedRequest {
  service: 'entra' | 'workspace';
  method: string;
  /** The path as received, without the query. */
  path: string;
  /** The query string as received, without `?` (may hold secrets: redact before use). */
  query: string;
  /** The HTTP status, or 0 when the connection closed without an answer. */
  status: number;
  durationMs: number;
  /** When the answer ended (epoch ms). */
  at: number;
  user?: string | undefined;
  clientId?: string | undefined;
  detail?: string | undefined;
}

export type ServedRequestListener = (request: ServedRequest) => void;

/** What a handler learnt about a request that its path does not show: who asked, for which app. */
export interface RequestNote {
  /** The user's UPN, once known (never a password). */
  user?: string | undefined;
  /** The client (application) ID the request named. */
  clientId?: string | undefined;
  /** A short non-secret detail, e.g. the grant type of a token request. */
  detail?: string | undefined;
}

const notes = new WeakMap<IncomingMessage, RequestNote>();

/** Adds to what is known about `req`; {@link observeRequest} reads it when the exchange ends. */
export function noteRequest(req: IncomingMessage, note: RequestNote): void {
  notes.set(req, { ...notes.get(req), ...note });
}

/**
 * Tells every listener about the request once its exchange ends (answered, or the connection
 * closed first: status 0). Costs nothing while nobody listens.
 */
export function observeRequest(
  service: ServedRequest['service'],
  req: IncomingMessage,
  res: ServerResponse,
  listeners: ReadonlySet<ServedRequestListener>,
): void {
  if (listeners.size === 0) return;
  const started = performance.now();
  res.once('close', () => {
    const url = req.url ?? '/';
    const queryIndex = url.indexOf('?');
    const note = notes.get(req) ?? {};
    const served: ServedRequest = {
      service,
      method: req.method ?? 'GET',
      path: queryIndex < 0 ? url : url.slice(0, queryIndex),
      query: queryIndex < 0 ? '' : url.slice(queryIndex + 1),
      status: res.writableFinished ? res.statusCode : 0,
      durationMs: Math.round(performance.now() - started),
      at: Date.now(),
      user: note.user,
      clientId: note.clientId,
      detail: note.detail,
    };
    for (const listener of listeners) listener(served);
  });
}
