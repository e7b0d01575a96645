/**
 * What happened, in order: sign-in redirects, code redemption, tokens from cache or refreshed,
 * each workspace call with status and duration. Kept in sessionStorage so the steps before a
 * redirect are still shown after it. Never holds a token, code or header value: every text goes
 * through {@link redactSecrets} on the way in.
 */

import { redactSecrets } from '../errors/redact.ts';

export type TimelineKind = 'auth' | 'token' | 'api' | 'error';
export type TimelineStatus = 'ok' | 'fail' | 'info' | 'wait';

export interface TimelineEntry {
  id: number;
  /** Epoch milliseconds. */
  at: number;
  kind: TimelineKind;
  status: TimelineStatus;
  title: string;
  detail?: string;
  durationMs?: number;
  /** How many identical consecutive entries this one stands for. */
  count: number;
  /** For an HTTP call: method, path with its query (redacted) and status, for the diagram's details. */
  http?: TimelineHttp;
}

export interface TimelineHttp {
  method: string;
  path: string;
  status?: number;
}

export type TimelineInput = Omit<TimelineEntry, 'id' | 'at' | 'count'> & { at?: number };

export interface Timeline {
  add(entry: TimelineInput): void;
  entries(): readonly TimelineEntry[];
  subscribe(listener: () => void): () => void;
  clear(): void;
}

export interface TimelineOptions {
  storage?: Storage | undefined;
  key?: string;
  now?: () => number;
  /** Oldest entries are dropped beyond this. */
  limit?: number;
}

export function createTimeline(options: TimelineOptions = {}): Timeline {
  const key = options.key ?? 'explorer.timeline';
  const now = options.now ?? Date.now;
  const limit = options.limit ?? 300;
  const storage = options.storage;
  const listeners = new Set<() => void>();
  let list: TimelineEntry[] = [];
  try {
    const raw = storage?.getItem(key);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (Array.isArray(parsed))
      list = parsed.filter((e) => e && typeof e.title === 'string' && typeof e.id === 'number');
  } catch {
    list = [];
  }
  let nextId = list.reduce((max, e) => Math.max(max, e.id), 0) + 1;

  function persist() {
    try {
      storage?.setItem(key, JSON.stringify(list));
    } catch {
      // Storage full or blocked: the timeline still works for this page.
    }
    for (const listener of listeners) listener();
  }

  return {
    add(input) {
      const entry: TimelineEntry = {
        id: nextId++,
        at: input.at ?? now(),
        kind: input.kind,
        status: input.status,
        title: redactSecrets(input.title),
        ...(input.detail !== undefined ? { detail: redactSecrets(input.detail) } : {}),
        ...(input.durationMs !== undefined ? { durationMs: Math.round(input.durationMs) } : {}),
        count: 1,
        ...(input.http
          ? {
              http: {
                method: input.http.method,
                path: redactSecrets(input.http.path),
                ...(input.http.status !== undefined ? { status: input.http.status } : {}),
              },
            }
          : {}),
      };
      const last = list[list.length - 1];
      if (
        last &&
        input.durationMs === undefined &&
        last.durationMs === undefined &&
        last.title === entry.title &&
        last.detail === entry.detail &&
        last.status === entry.status
      ) {
        list = [...list.slice(0, -1), { ...last, count: last.count + 1, at: entry.at }];
      } else {
        list = [...list, entry].slice(-limit);
      }
      persist();
    },
    entries: () => list,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear() {
      list = [];
      persist();
    },
  };
}
