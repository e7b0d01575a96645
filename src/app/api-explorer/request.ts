/**
 * The API Explorer's request model: what the builder edits, how `{name}` parameters are filled
 * in, the shareable link, the next page of a paged answer, and the IDs an answer offers to later
 * requests. Pure functions; nothing here ever holds a token.
 */
import { type JsonNode, member, parseLossless, scalarText, stringifyLossless } from '../json/lossless-json.ts';

/** A request as the builder shows it; `{name}` parameters may still be in path, query values and body. */
export interface ExplorerRequest {
  method: string;
  /** Under `/api/`, without a query. */
  path: string;
  query: [string, string][];
  /** JSON text, for methods with a body; '' for none. */
  body: string;
  /** Extra headers (only those the proxy forwards). */
  headers: [string, string][];
}

/** Methods that carry a JSON body. */
export function hasBody(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'DELETE';
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The `{name}` parameters of a request, in order of first appearance. */
export function parametersOf(request: ExplorerRequest): string[] {
  const text = [request.path, ...request.query.map(([, value]) => value), request.body].join('\n');
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** The request with its parameters filled in (path values percent-encoded, body values as written). */
export function fillParameters(request: ExplorerRequest, values: Readonly<Record<string, string>>): ExplorerRequest {
  const fill = (text: string, encode: (v: string) => string) =>
    text.replace(PLACEHOLDER, (whole, name: string) => (values[name] ? encode(values[name]) : whole));
  return {
    ...request,
    path: fill(request.path, (v) => v.split('/').map(encodeURIComponent).join('/')),
    query: request.query.map(([name, value]) => [name, fill(value, (v) => v)]),
    body: fill(request.body, (v) => JSON.stringify(v).slice(1, -1)),
  };
}

/** Why a request cannot be sent yet, or undefined when it can. */
export function problemOf(request: ExplorerRequest, methods: readonly string[]): string | undefined {
  if (!methods.includes(request.method))
    return `This server's proxy forwards ${methods.join(' and ')} only; start it with EXPLORER_PROXY_ALLOW_POST=1 to send ${request.method}.`;
  const missing = parametersOf(request);
  if (missing.length > 0) return `Fill in ${missing.map((m) => `{${m}}`).join(', ')}.`;
  if (
    !/^\/api\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]+$/.test(request.path) ||
    /(^|\/)\.{0,2}(\/|$)/.test(request.path.slice(1))
  )
    return 'The path must start with /api/ and be a plain path (no spaces, "?", "#", empty, "." or ".." segments).';
  if (hasBody(request.method) && request.body.trim() !== '') {
    try {
      parseLossless(request.body);
    } catch (error) {
      return `The body is not valid JSON: ${(error as Error).message}`;
    }
  }
  return undefined;
}

/** `path?query` as sent, below the workspace origin. */
export function targetOf(request: ExplorerRequest): string {
  const pairs = request.query.filter(([name]) => name !== '');
  return pairs.length ? `${request.path}?${new URLSearchParams(pairs)}` : request.path;
}

const SHARE_PREFIX = '#/explorer?r=';

/** The link that opens the explorer with this request filled in (method, path, query, body; never a token). */
export function shareLink(request: ExplorerRequest, base: string): string {
  const wire = { m: request.method, p: request.path, q: request.query, b: request.body };
  const bytes = new TextEncoder().encode(JSON.stringify(wire));
  const b64 = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return `${base.split('#')[0]}${SHARE_PREFIX}${b64}`;
}

/** The request a shared link carries, or undefined when the hash holds none or a malformed one. */
export function readShareLink(hash: string): ExplorerRequest | undefined {
  if (!hash.startsWith(SHARE_PREFIX)) return undefined;
  try {
    const b64 = hash.slice(SHARE_PREFIX.length).replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const wire = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const query = Array.isArray(wire.q)
      ? wire.q.filter(
          (pair): pair is [string, string] =>
            Array.isArray(pair) && pair.length === 2 && pair.every((v) => typeof v === 'string'),
        )
      : [];
    if (typeof wire.m !== 'string' || typeof wire.p !== 'string') return undefined;
    return { method: wire.m, path: wire.p, query, body: typeof wire.b === 'string' ? wire.b : '', headers: [] };
  } catch {
    return undefined;
  }
}

function withQuery(request: ExplorerRequest, name: string, value: string): ExplorerRequest {
  const query = request.query.filter(([n]) => n !== name);
  return { ...request, query: [...query, [name, value]] };
}

function withBodyField(request: ExplorerRequest, name: string, value: JsonNode): ExplorerRequest {
  let body: JsonNode = { kind: 'object', entries: [] };
  try {
    const parsed = request.body.trim() ? parseLossless(request.body) : body;
    if (parsed.kind === 'object') body = parsed;
  } catch {
    // An unreadable body cannot have produced a paged answer; start from an empty one.
  }
  const entries = body.kind === 'object' ? body.entries.filter(([key]) => key !== name) : [];
  return { ...request, body: stringifyLossless({ kind: 'object', entries: [...entries, [name, value]] }, 2) };
}

function firstArrayLength(node: JsonNode): number {
  if (node.kind !== 'object') return 0;
  const array = node.entries.find(([, child]) => child.kind === 'array')?.[1];
  return array?.kind === 'array' ? array.items.length : 0;
}

/**
 * The request for the next page of a paged answer, or undefined on the last page. Reads the
 * styles Databricks uses: `next_page_token` (sent back as `page_token`; the Repos API takes it
 * back as `next_page_token`; POST listings in the body), `has_more` with `offset`, the cluster
 * events' `next_page` request, and SCIM's `startIndex`/`itemsPerPage`/`totalResults`.
 * @see https://docs.databricks.com/api/azure/workspace/clusters/events
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.4
 */
export function nextPageOf(request: ExplorerRequest, answer: JsonNode): ExplorerRequest | undefined {
  if (answer.kind !== 'object') return undefined;
  const inBody = request.method === 'POST';
  const token = scalarText(member(answer, 'next_page_token'));
  if (token) {
    const name = /^\/api\/2\.0\/repos\/?$/.test(request.path) ? 'next_page_token' : 'page_token';
    return inBody ? withBodyField(request, name, { kind: 'string', value: token }) : withQuery(request, name, token);
  }
  const nextPage = member(answer, 'next_page');
  if (nextPage?.kind === 'object' && inBody) return { ...request, body: stringifyLossless(nextPage, 2) };
  if (member(answer, 'has_more')?.kind === 'boolean' && scalarText(member(answer, 'has_more')) === 'true') {
    const offset = Number(request.query.find(([n]) => n === 'offset')?.[1] ?? '0') || 0;
    return withQuery(request, 'offset', String(offset + firstArrayLength(answer)));
  }
  const total = Number(scalarText(member(answer, 'totalResults')));
  const start = Number(scalarText(member(answer, 'startIndex')));
  const perPage = Number(scalarText(member(answer, 'itemsPerPage')));
  if (Number.isFinite(total) && Number.isFinite(start) && perPage > 0 && start + perPage <= total) {
    return withQuery(request, 'startIndex', String(start + perPage));
  }
  return undefined;
}

/** Which answer fields hold IDs worth offering later: [parameter, key, the array it sits in (optional)]. */
const ID_RULES: [string, string, string?][] = [
  ['cluster_id', 'cluster_id'],
  ['job_id', 'job_id'],
  ['run_id', 'run_id'],
  ['warehouse_id', 'id', 'warehouses'],
  ['warehouse_id', 'warehouse_id'],
  ['instance_pool_id', 'instance_pool_id'],
  ['policy_id', 'policy_id'],
  ['catalog_name', 'name', 'catalogs'],
  ['catalog_name', 'catalog_name'],
  ['schema_name', 'name', 'schemas'],
  ['full_name', 'full_name', 'tables'],
  ['path', 'path', 'objects'],
  ['path', 'path', 'repos'],
  ['user_name', 'userName'],
];

/** IDs found in an answer, by parameter name, in order of appearance. */
export function idsIn(answer: JsonNode): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (name: string, value: string) => {
    const list = found.get(name) ?? [];
    if (!list.includes(value)) list.push(value);
    found.set(name, list);
  };
  const walk = (node: JsonNode, arrayKey: string | undefined, depth: number) => {
    if (depth > 8) return;
    if (node.kind === 'array') for (const item of node.items) walk(item, arrayKey, depth + 1);
    if (node.kind !== 'object') return;
    for (const [key, child] of node.entries) {
      const text = scalarText(child);
      if (text !== undefined && text !== 'null') {
        for (const [name, field, inArray] of ID_RULES) {
          if (field === key && (inArray === undefined || inArray === arrayKey)) add(name, text);
        }
      }
      walk(child, child.kind === 'array' ? key : arrayKey, depth + 1);
    }
  };
  walk(answer, undefined, 0);
  return found;
}
