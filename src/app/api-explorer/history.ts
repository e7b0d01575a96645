/**
 * The API Explorer's history: the last {@link HISTORY_LIMIT} requests in this browser's
 * localStorage (method, path, query, body, status, time; never a token or a header).
 */
import type { ExplorerRequest } from './request.ts';

export const HISTORY_KEY = 'explorer.api-history.v1';
export const HISTORY_LIMIT = 50;

export interface HistoryEntry {
  method: string;
  path: string;
  query: [string, string][];
  body: string;
  /** HTTP status, or undefined when no answer came. */
  status: number | undefined;
  /** When it was sent (epoch ms). */
  at: number;
  durationMs: number;
}

function isEntry(value: unknown): value is HistoryEntry {
  const e = value as HistoryEntry;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.method === 'string' &&
    typeof e.path === 'string' &&
    Array.isArray(e.query) &&
    e.query.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'string')) &&
    typeof e.body === 'string' &&
    typeof e.at === 'number' &&
    typeof e.durationMs === 'number'
  );
}

/** The saved history, newest first; an unreadable entry (or store) is dropped rather than failing the view. */
export function loadHistory(storage: Storage | undefined): HistoryEntry[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isEntry).slice(0, HISTORY_LIMIT) : [];
  } catch {
    return [];
  }
}

/** Adds a request in front and keeps the newest {@link HISTORY_LIMIT}; returns the new list. */
export function addToHistory(
  storage: Storage | undefined,
  request: ExplorerRequest,
  outcome: { status: number | undefined; at: number; durationMs: number },
): HistoryEntry[] {
  const entry: HistoryEntry = {
    method: request.method,
    path: request.path,
    query: request.query,
    body: request.body,
    ...outcome,
  };
  const list = [entry, ...loadHistory(storage)].slice(0, HISTORY_LIMIT);
  try {
    storage?.setItem(HISTORY_KEY, JSON.stringify(list));
  } catch {
    // A full or blocked storage keeps the history for this page only.
  }
  return list;
}

export function clearHistory(storage: Storage | undefined): void {
  storage?.removeItem(HISTORY_KEY);
}
