import type { IncomingMessage } from 'node:http';
import type { Caller } from './auth.ts';
import type { WorkspaceMember } from './config.ts';
import { invalidParameter, WorkspaceApiError } from './errors.ts';
import { readBodyText } from '../json-response.ts';

/**
 * The pieces every catalogued API area shares: one request as a handler sees it, a router that
 * matches `{name}` path segments and knows each path's methods, parameter readers that answer as
 * Databricks does, and the opaque offset tokens behind `page_token` paging.
 *
 * @see https://docs.databricks.com/api/azure/workspace/introduction
 */

export type ApiMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One authenticated request, with the workspace clock's reading when it arrived. */
export interface ApiRequest {
  method: string;
  path: string;
  /** `{name}` segments of the route, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body of a POST (`{}` when there is none). */
  body: Record<string, unknown>;
  caller: Caller;
  member: WorkspaceMember;
  /** Epoch milliseconds, from the workspace's clock. */
  now: number;
}

export interface ApiRoute {
  method: ApiMethod;
  /** A path with `{name}` segments, e.g. `/api/2.0/sql/warehouses/{id}/start`. */
  path: string;
  handle(req: ApiRequest): unknown;
}

type Match = { route: ApiRoute; params: Record<string, string> };

/** Routes by path, then method, so a known path with another method can answer 405 with `Allow`. */
export class ApiRouter {
  readonly #exact = new Map<string, ApiRoute[]>();
  readonly #patterns: { re: RegExp; names: string[]; route: ApiRoute }[] = [];

  add(routes: readonly ApiRoute[]): this {
    for (const route of routes) {
      if (!route.path.includes('{')) {
        const list = this.#exact.get(route.path) ?? [];
        list.push(route);
        this.#exact.set(route.path, list);
        continue;
      }
      const names: string[] = [];
      const source = route.path
        .split('/')
        .map((seg) => {
          const m = /^\{(\w+)\}$/.exec(seg);
          if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(m[1] as string);
          return '([^/]+)';
        })
        .join('/');
      this.#patterns.push({ re: new RegExp(`^${source}$`), names, route });
    }
    return this;
  }

  /** The route for this method and path; `{ allowed }` when only the method is wrong; undefined when no path matches. */
  match(method: string, path: string): Match | { allowed: ApiMethod[] } | undefined {
    const candidates: Match[] = (this.#exact.get(path) ?? []).map((route) => ({ route, params: {} }));
    for (const p of this.#patterns) {
      const m = p.re.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      try {
        p.names.forEach((name, i) => {
          params[name] = decodeURIComponent(m[i + 1] as string);
        });
      } catch {
        continue;
      }
      candidates.push({ route: p.route, params });
    }
    if (candidates.length === 0) return undefined;
    return (
      candidates.find((c) => c.route.method === method) ?? {
        allowed: [...new Set(candidates.map((c) => c.route.method))],
      }
    );
  }
}

/** Reads a POST body as Databricks does: empty means `{}`, anything but a JSON object is 400 MALFORMED_REQUEST. */
export async function readApiBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (
    await readBodyText(
      req,
      10_000_000,
      () => new WorkspaceApiError(400, 'MALFORMED_REQUEST', 'Request body is larger than 10 MB.'),
    )
  ).trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new WorkspaceApiError(
      400,
      'MALFORMED_REQUEST',
      'Invalid JSON given in the body of the request - expected a map',
    );
  }
  return parsed as Record<string, unknown>;
}

/** A value from the query (GET) or the body (POST), as a string. */
function raw(req: ApiRequest, name: string): unknown {
  if (req.method === 'GET' || req.method === 'DELETE') return req.query.get(name) ?? undefined;
  return req.body[name];
}

/** @throws 400 INVALID_PARAMETER_VALUE "Missing required field: <name>". */
export function requiredString(req: ApiRequest, name: string): string {
  const v = raw(req, name);
  if (v === undefined || v === null || v === '') throw invalidParameter(`Missing required field: ${name}`);
  if (typeof v !== 'string' && typeof v !== 'number')
    throw invalidParameter(`Invalid value for ${name}: expected a string.`);
  return String(v);
}

export function optionalString(req: ApiRequest, name: string): string | undefined {
  const v = raw(req, name);
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw invalidParameter(`Invalid value for ${name}: expected a string.`);
  return v;
}

/** An integer parameter (query string or JSON number). @throws 400 INVALID_PARAMETER_VALUE outside [min, max]. */
export function optionalInt(req: ApiRequest, name: string, min: number, max: number): number | undefined {
  const v = raw(req, name);
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d{1,16}$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalidParameter(
      `Invalid value '${String(v).slice(0, 40)}' for ${name}; expected a whole number from ${min} to ${max}.`,
    );
  }
  return n;
}

/** An int64 ID such as `job_id` or `run_id`. @throws 400 when missing or not a number. */
export function requiredId(req: ApiRequest, name: string): number {
  const n = optionalInt(req, name, 0, Number.MAX_SAFE_INTEGER);
  if (n === undefined) throw invalidParameter(`Missing required field: ${name}`);
  return n;
}

export function optionalBool(req: ApiRequest, name: string): boolean | undefined {
  const v = raw(req, name);
  if (v === undefined || v === null || v === '') return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw invalidParameter(`Invalid value '${String(v).slice(0, 40)}' for ${name}; expected true or false.`);
}

export const resourceNotFound = (message: string) => new WorkspaceApiError(404, 'RESOURCE_DOES_NOT_EXIST', message);
export const permissionDenied = (message: string) => new WorkspaceApiError(403, 'PERMISSION_DENIED', message);

export interface TokenPage<T> {
  items: T[];
  next?: string;
  prev?: string;
}

/**
 * One page of `items` behind an opaque token that binds the offset to `scope` (the listing's
 * parameters), so a token replayed against another listing is refused.
 * @throws 400 INVALID_PARAMETER_VALUE for a token that is malformed or belongs to another listing.
 */
export function tokenPage<T>(
  items: readonly T[],
  pageSize: number,
  token: string | undefined,
  scope: string,
): TokenPage<T> {
  const fp = fingerprint(scope);
  let start = 0;
  if (token) {
    const m = /^o(\d{1,9})\.([0-9a-f]{8})$/.exec(Buffer.from(token, 'base64url').toString('latin1'));
    if (!m || m[2] !== fp) {
      throw invalidParameter(
        'Invalid page_token: pass the next_page_token of an earlier answer unchanged, with the same other parameters, or leave it out for the first page.',
      );
    }
    start = Math.min(Number(m[1]), items.length);
  }
  const end = Math.min(start + pageSize, items.length);
  const page: TokenPage<T> = { items: items.slice(start, end) };
  const enc = (o: number) => Buffer.from(`o${o}.${fp}`).toString('base64url');
  if (end < items.length) page.next = enc(end);
  if (start > 0) page.prev = enc(Math.max(0, start - pageSize));
  return page;
}

function fingerprint(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** A stable positive int64-style number (below 2^53, so JSON.parse keeps it exact) for `key`. */
export function stableNumber(key: string, digits: number): number {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < key.length; i++) {
    a = Math.imul(a ^ key.charCodeAt(i), 0x01000193);
    b = Math.imul(b ^ key.charCodeAt(i), 0x5bd1e995);
  }
  const low = 10 ** (digits - 1);
  return low + (((a >>> 0) * 2_097_152 + ((b >>> 0) % 2_097_152)) % (9 * low));
}
