import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { controlRefusal } from '../control-guard.ts';
import { AZURE_DATABRICKS_RESOURCE_ID } from '../well-known.ts';
import { baseUrl, listenWithLan } from '../http-server.ts';
import { readBodyText, sendJsonText, sendNoContent } from '../json-response.ts';
import { RequestLog } from '../request-log.ts';
import { type ConnectionLimits, limitSlowClients } from '../slow-clients.ts';
import { readApiBody } from './api.ts';
import { authenticate, type Caller, rejectToken, tokenExpired } from './auth.ts';
import { createCatalogue } from './catalogue.ts';
import { toWireJson } from './json.ts';
import { SPARK_VERSIONS, NODE_TYPES } from './catalog.ts';
import { ClusterStore, type ListFilter, type ListSort, type Visibility } from './cluster-store.ts';
import { CLUSTER_SOURCES, CLUSTER_STATES, type ClusterSource, type ClusterState, specOf } from './clusters.ts';
import {
  clusterSetSchema,
  rateLimitSchema,
  type WorkspaceConfig,
  type WorkspaceMember,
  workspaceFaultsSchema,
  workspaceMemberSchema,
} from './config.ts';
import { invalidParameter, isWorkspaceApiError, WorkspaceApiError } from './errors.ts';
import { FaultState, RateLimiter } from './faults.ts';
import { createPeople, type Person } from './people.ts';
import type { WorkspaceControls } from './controls.ts';
import { scimMe } from './scim.ts';
import { noteRequest, observeRequest, type ServedRequestListener } from '../request-events.ts';

export interface StartWorkspaceOptions {
  config: WorkspaceConfig;
  tls: { key: string; cert: string };
  /** Interface to listen on; default 'localhost'. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** The URL clients use, when it differs from https://{publicHost}:{port}. */
  publicUrl?: string;
  /** The host name in the default public URL; default `host`. */
  publicHost?: string;
  /**
   * A team demo's LAN address: the server listens there too (unless it is `host`), and a request
   * arriving there is another machine's, refused by the control API.
   */
  lanAddress?: string;
  /** The sandbox Entra ID's keys: jose's createRemoteJWKSet(jwks URL) or createLocalJWKSet(jwks). */
  tokenKeys: JWTVerifyGetKey;
  /** Only tokens with `iss` https://sts.windows.net/{tenantId}/ are accepted. */
  tenantId: string;
  /** The tenant's authorize endpoint, the target of GET /aad/auth. */
  authorizeUrl: string;
  /** One line per request (method, path, status); never tokens or query strings. */
  log?: (line: string) => void;
  /**
   * The workspace clock in epoch milliseconds (default Date.now). State changes (a cluster
   * starting, a run finishing) follow it, so a test can move time on instead of waiting.
   */
  clock?: () => number;
  /** Names for SCIM and permissions, by UPN (the sandbox passes its Entra directory's users). */
  people?: readonly Person[];
  /** Limits for slow or idle clients; default `DEFAULT_CONNECTION_LIMITS` (slow-clients.ts). */
  connectionLimits?: ConnectionLimits;
}

export interface RunningWorkspace {
  url: string;
  port: number;
  /** The control API's operations, in-process (for the presenter console). */
  controls: WorkspaceControls;
  close(): Promise<void>;
}

/** Waits `ms`, or less if the client closes the connection first; whether the client is still there. */
function holdBack(res: ServerResponse, ms: number): Promise<boolean> {
  if (res.closed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.off('close', gone);
      resolve(true);
    }, ms);
    const gone = () => {
      clearTimeout(timer);
      resolve(false);
    };
    res.once('close', gone);
  });
}

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;
const RESOURCE_ID_HEADER = 'x-databricks-azure-workspace-resource-id';

type Handler = (ctx: RequestContext) => Promise<unknown> | unknown;
interface RequestContext {
  query: URLSearchParams;
  caller: Caller;
  member: WorkspaceMember;
}

/**
 * Starts the sandbox Azure Databricks workspace: an HTTPS server answering the Clusters, SCIM Me
 * and /aad/auth endpoints as an Azure workspace does, with faults and a per-token rate limit, and
 * a loopback-only control API under /_sandbox/.
 * @throws the listen error (e.g. EADDRINUSE) when the port cannot be bound.
 * @see https://docs.databricks.com/api/azure/workspace/clusters
 */
export async function startWorkspace(options: StartWorkspaceOptions): Promise<RunningWorkspace> {
  const { config, tokenKeys, tenantId } = options;
  const log = options.log ?? (() => {});
  const clock = options.clock ?? Date.now;
  let clockOffset = 0;
  const now = () => clock() + clockOffset;
  const startedAt = now();
  const store = new ClusterStore(config.clusters, startedAt);
  const faults = new FaultState(config.faults);
  const limiter = new RateLimiter(config.rateLimit);
  const provisioned = new Map<string, WorkspaceMember>();
  const configured = new Map(config.members.map((m) => [m.upn, m]));
  const resourceRoles = new Map(config.resourceRoles.map((r) => [r.upn, r.role]));
  const requests = new RequestLog();
  const listeners = new Set<ServedRequestListener>();
  let publicUrl = options.publicUrl ?? '';
  const catalogue = createCatalogue({
    config,
    store,
    startedAt,
    people: createPeople(options.people ?? []),
    members: () => [...new Map([...configured, ...provisioned]).values()],
  });

  const memberOf = (upn: string | undefined) => (upn ? (provisioned.get(upn) ?? configured.get(upn)) : undefined);
  const visibilityOf = (m: WorkspaceMember): Visibility => {
    if (m.admin) return { kind: 'all' };
    const granted = config.clusterPermissions[m.upn];
    return { kind: 'user', upn: m.upn, granted: granted === '*' ? '*' : new Set(granted ?? []) };
  };

  const routes: Record<string, Handler> = {
    '/api/2.0/clusters/list': ({ query, member }) => {
      oneOf(query, 'can_use_client', ['NOTEBOOKS', 'JOBS']);
      return { clusters: store.all(visibilityOf(member)) };
    },
    '/api/2.1/clusters/list': ({ query, member }) => {
      const { filter, sort, pageSize, pageToken } = parseListQuery(query);
      return store.page(visibilityOf(member), filter, sort, pageSize, pageToken);
    },
    '/api/2.0/clusters/get': getCluster,
    '/api/2.1/clusters/get': getCluster,
    '/api/2.0/clusters/spark-versions': () => ({ versions: SPARK_VERSIONS }),
    '/api/2.1/clusters/spark-versions': () => ({ versions: SPARK_VERSIONS }),
    '/api/2.0/clusters/list-node-types': () => ({ node_types: NODE_TYPES }),
    '/api/2.1/clusters/list-node-types': () => ({ node_types: NODE_TYPES }),
    '/api/2.0/preview/scim/v2/Me': ({ caller, member }) => scimMe(member, caller.claims),
  };

  function getCluster({ query, member }: RequestContext) {
    const id = query.get('cluster_id');
    if (!id) throw invalidParameter('Missing required field: cluster_id');
    const c = store.get(id, visibilityOf(member));
    if (c === undefined) throw invalidParameter(`Cluster ${id} does not exist`);
    if (c === null) {
      throw new WorkspaceApiError(
        403,
        'PERMISSION_DENIED',
        `${member.upn} does not have Can Attach To permission on cluster ${id}. Ask a workspace admin or the cluster's owner for access.`,
      );
    }
    return { ...c, spec: specOf(c) };
  }

  async function serveApi(req: IncomingMessage, path: string, query: URLSearchParams): Promise<unknown> {
    const handler = routes[path];
    const method = req.method ?? 'GET';
    const match = handler ? undefined : catalogue.router.match(method, path);
    if (!handler && !match)
      throw new WorkspaceApiError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${path}'`);
    // The methods the path takes, when the request's is not among them.
    const allowed = handler ? (method === 'GET' ? [] : ['GET']) : match && 'allowed' in match ? match.allowed : [];
    if (allowed.length > 0) {
      throw new WorkspaceApiError(
        405,
        'BAD_REQUEST',
        `Method ${method} is not allowed for ${path}; use ${allowed.join(' or ')}.`,
        { headers: { Allow: allowed.join(', ') } },
      );
    }
    const caller = await authenticate(req.headers.authorization, tokenKeys, tenantId);
    noteRequest(req, {
      user: caller.upn,
      clientId: typeof caller.claims.appid === 'string' ? caller.claims.appid : undefined,
    });
    const member = admit(caller, req.headers[RESOURCE_ID_HEADER]);
    const wait = limiter.take(caller.tokenKey);
    if (wait > 0) {
      const limit = limiter.limit;
      const rate = limit === false ? 0 : limit.requestsPerSecond;
      throw new WorkspaceApiError(
        429,
        'REQUEST_LIMIT_EXCEEDED',
        `Too many requests: this token exceeded the workspace's limit of ${rate} requests per second. Retry after ${wait} s.`,
        { headers: { 'Retry-After': String(wait) } },
      );
    }
    const at = now();
    catalogue.advance(at);
    if (handler) return handler({ query, caller, member });
    const { route, params } = match as Exclude<typeof match, { allowed: unknown } | undefined>;
    const body = method === 'GET' ? {} : await readApiBody(req);
    return route.handle({ method, path, params, query, body, caller, member, now: at });
  }

  /** Membership, with just-in-time admin provisioning through the resource-ID header. */
  function admit(caller: Caller, resourceHeader: string | string[] | undefined): WorkspaceMember {
    const upn = caller.upn;
    const header = Array.isArray(resourceHeader) ? resourceHeader[0] : resourceHeader;
    if (header !== undefined) {
      if (header.trim().toLowerCase() !== config.azureResourceId.toLowerCase()) {
        throw new WorkspaceApiError(
          403,
          'PERMISSION_DENIED',
          `X-Databricks-Azure-Workspace-Resource-Id does not name this workspace (${header.slice(0, 300)}); send ${config.azureResourceId} or leave the header out.`,
        );
      }
      const role = upn ? resourceRoles.get(upn) : undefined;
      if (upn && role) {
        const existing = memberOf(upn);
        if (!existing?.admin) {
          provisioned.set(upn, { ...(existing ?? workspaceMemberSchema.parse({ upn })), admin: true });
          log(`workspace: provisioned ${upn} as workspace admin (${role} on the workspace resource)`);
        }
      }
    }
    const member = memberOf(upn);
    if (!member) {
      throw new WorkspaceApiError(
        403,
        'PERMISSION_DENIED',
        `User ${upn ?? '(no user name in token)'} is not a member of this workspace. A workspace admin can add the user; a user with Contributor or Owner on the workspace resource can send X-Databricks-Azure-Workspace-Resource-Id to be added as an admin.`,
      );
    }
    return member;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://workspace.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith('/_sandbox/')) return control(req, res, path);
    observeRequest('workspace', req, res, listeners);
    // The headers support asks for, on every answer the workspace itself gives (errors, redirects
    // and HTML pages included; writeHead merges them): a fresh request ID and the workspace ID.
    res.setHeader('x-request-id', randomUUID());
    res.setHeader('x-databricks-org-id', config.workspaceId);
    const record = (status: number) => {
      requests.add(method, path, status, {
        pageToken: url.searchParams.get('page_token') ?? undefined,
        remotePort: req.socket.remotePort,
      });
      log(`workspace ${method} ${path} ${status === 0 ? 'dropped' : status}`);
    };
    try {
      if (path === '/aad/auth') {
        if (method !== 'GET')
          throw new WorkspaceApiError(405, 'BAD_REQUEST', `Method ${method} is not allowed for ${path}; use GET.`);
        const target = new URL(options.authorizeUrl);
        target.searchParams.set('client_id', AZURE_DATABRICKS_RESOURCE_ID);
        target.searchParams.set('response_type', 'code');
        target.searchParams.set('redirect_uri', `${publicUrl}/aad/redirect`);
        res.writeHead(302, { Location: target.toString(), 'Content-Length': '0' }).end();
        record(302);
        return;
      }
      if (!path.startsWith('/api/'))
        throw new WorkspaceApiError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${path}'`);
      const plan = faults.plan(path);
      // A client that gave up during the latency (the app's timeout, a closed tab) gets no answer and
      // no 200 in the log: the request would otherwise be served and logged up to the latency later,
      // in whatever test or demo step runs by then.
      if (plan.latencyMs > 0 && !(await holdBack(res, plan.latencyMs))) {
        record(0);
        return;
      }
      if (plan.drop) {
        record(0);
        req.socket.destroy();
        return;
      }
      if (plan.unavailable === 503) {
        throw new WorkspaceApiError(
          503,
          'TEMPORARILY_UNAVAILABLE',
          'The service is temporarily unavailable; try again later.',
        );
      }
      if (plan.unavailable === 500)
        throw new WorkspaceApiError(500, 'INTERNAL_ERROR', 'Internal error: the request failed on the server.');
      if (plan.rateLimitedFor !== undefined) {
        throw new WorkspaceApiError(
          429,
          'REQUEST_LIMIT_EXCEEDED',
          `Too many requests: the workspace is throttling. Retry after ${plan.rateLimitedFor} s.`,
          { headers: { 'Retry-After': String(plan.rateLimitedFor) } },
        );
      }
      if (plan.tokenExpired) throw tokenExpired();
      if (plan.tokenRejected) throw rejectToken(plan.tokenRejected);
      const body = await serveApi(req, path, url.searchParams);
      sendJson(res, 200, body);
      record(200);
    } catch (e) {
      const err = isWorkspaceApiError(e)
        ? e
        : new WorkspaceApiError(500, 'INTERNAL_ERROR', 'Internal error in the sandbox workspace; see its log.', {
            cause: e,
          });
      if (!isWorkspaceApiError(e)) log(`workspace ${method} ${path} failed: ${(e as Error)?.stack ?? String(e)}`);
      const headers: Record<string, string> = { ...err.headers };
      if (err.reasonPhrase) headers['X-Databricks-Reason-Phrase'] = err.reasonPhrase;
      if (err.html) {
        const html = err.toHtml(path);
        res.writeHead(err.status, {
          ...headers,
          'Content-Type': 'text/html;charset=utf-8',
          'Content-Length': Buffer.byteLength(html),
        });
        res.end(html);
      } else {
        sendJson(res, err.status, err.toBody(), headers);
      }
      record(err.status);
    }
  }

  /** The control API: loopback callers only, never a web page (see {@link controlRefusal}); JSON in and out. */
  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const refusal = controlRefusal(req, options.lanAddress);
    if (refusal !== undefined) {
      sendJson(res, 403, { error: refusal });
      return;
    }
    const key = `${req.method} ${path}`;
    try {
      switch (key) {
        case 'GET /_sandbox/requests':
          return sendJson(res, 200, requests.list());
        case 'DELETE /_sandbox/requests':
          requests.clear();
          return sendNoContent(res);
        case 'GET /_sandbox/faults':
          return sendJson(res, 200, { faults: faults.current(), rateLimit: limiter.limit });
        case 'PUT /_sandbox/faults':
          faults.set(workspaceFaultsSchema.parse(await readJson(req)));
          return sendJson(res, 200, faults.current());
        case 'DELETE /_sandbox/faults':
          faults.set({});
          return sendNoContent(res);
        case 'PUT /_sandbox/rate-limit':
          limiter.set(rateLimitSchema.parse(await readJson(req)));
          return sendJson(res, 200, limiter.limit);
        case 'DELETE /_sandbox/rate-limit':
          limiter.set(config.rateLimit);
          return sendNoContent(res);
        case 'PUT /_sandbox/clusters': {
          const set = clusterSetSchema.parse(await readJson(req));
          store.replace(set, now());
          catalogue.reset(now());
          return sendJson(res, 200, { count: store.size });
        }
        case 'POST /_sandbox/reset':
          reset();
          return sendNoContent(res);
        case 'POST /_sandbox/clock': {
          // Moves the workspace clock on, so a person or a test can skip a transition's wait.
          const { advanceMs } = z
            .strictObject({ advanceMs: z.number().int().min(0).max(31_536_000_000) })
            .parse(await readJson(req));
          clockOffset += advanceMs;
          return sendJson(res, 200, { now: now() });
        }
        default:
          return sendJson(res, 404, {
            error: `No sandbox control endpoint for '${key}'. Known: GET|DELETE /_sandbox/requests, GET|PUT|DELETE /_sandbox/faults, PUT|DELETE /_sandbox/rate-limit, PUT /_sandbox/clusters, POST /_sandbox/reset, POST /_sandbox/clock.`,
          });
      }
    } catch (e) {
      const message = e instanceof z.ZodError ? z.prettifyError(e) : (e as Error).message;
      sendJson(res, 400, { error: `${key}: ${message}` });
    }
  }

  function reset(): void {
    requests.clear();
    faults.set(config.faults);
    limiter.set(config.rateLimit);
    provisioned.clear();
    store.replace(config.clusters, now());
    clockOffset = 0;
    catalogue.reset(now());
  }

  const controls: WorkspaceControls = {
    setFaults: (value) => faults.set(workspaceFaultsSchema.parse(value)),
    faults: () => faults.current(),
    setClusters: (value) => {
      store.replace(clusterSetSchema.parse(value), now());
      catalogue.reset(now());
      return store.size;
    },
    reset,
    advanceClock: (ms) => {
      clockOffset += z.number().int().min(0).max(31_536_000_000).parse(ms);
      return now();
    },
    clusterAction: async (clusterId, action) => {
      const at = now();
      catalogue.advance(at);
      const cluster = store.find(clusterId);
      if (cluster === undefined) throw new TypeError(`No cluster ${clusterId} in the sandbox workspace.`);
      const path = `/api/2.1/clusters/${action === 'start' ? 'start' : 'delete'}`;
      const match = catalogue.router.match('POST', path);
      if (match === undefined || 'allowed' in match) throw new TypeError(`The catalogue has no route POST ${path}.`);
      // As the cluster's creator, an admin: the same checks and transitions as a user's request.
      const member = workspaceMemberSchema.parse({ upn: cluster.creator_user_name ?? 'sandbox@console', admin: true });
      const caller: Caller = { upn: member.upn, claims: {}, tokenKey: 'sandbox-console' };
      await match.route.handle({
        method: 'POST',
        path,
        params: match.params,
        query: new URLSearchParams(),
        body: { cluster_id: clusterId },
        caller,
        member,
        now: at,
      });
    },
    findCluster: (idOrName) => {
      catalogue.advance(now());
      const cluster =
        store.find(idOrName) ?? store.all({ kind: 'all' }).find((candidate) => candidate.cluster_name === idOrName);
      return cluster && { cluster_id: cluster.cluster_id, cluster_name: cluster.cluster_name, state: cluster.state };
    },
    onRequest: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    inspect: () => ({
      url: publicUrl,
      workspaceId: config.workspaceId,
      azureResourceId: config.azureResourceId,
      members: [...new Map([...configured, ...provisioned]).values()].map((member) => ({
        upn: member.upn,
        admin: member.admin,
        provisioned: provisioned.has(member.upn),
      })),
      resourceRoles: config.resourceRoles.map((entry) => ({ upn: entry.upn, role: entry.role })),
      clusterCount: store.size,
      now: now(),
      clockOffsetMs: clockOffset,
    }),
  };

  const server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    handle(req, res).catch((e) => {
      log(`workspace: unexpected failure: ${(e as Error)?.stack ?? String(e)}`);
      if (!res.headersSent)
        sendJson(res, 500, { error_code: 'INTERNAL_ERROR', message: 'Internal error', details: [] });
      else res.destroy();
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  limitSlowClients(server, options.connectionLimits);
  const host = options.host ?? 'localhost';
  const { port, close } = await listenWithLan(server, options.port ?? 0, host, options.lanAddress);
  publicUrl = baseUrl(options.publicHost ?? host, port, options.publicUrl);
  return {
    url: publicUrl,
    port,
    controls,
    close,
  };
}

function parseListQuery(q: URLSearchParams): {
  filter: ListFilter;
  sort: ListSort;
  pageSize: number;
  pageToken: string | undefined;
} {
  const filter: ListFilter = {};
  const states = enumList(q, 'filter_by.cluster_states', CLUSTER_STATES);
  if (states) filter.states = new Set(states as ClusterState[]);
  const sources = enumList(q, 'filter_by.cluster_sources', CLUSTER_SOURCES);
  if (sources) filter.sources = new Set(sources as ClusterSource[]);
  const pinned = oneOf(q, 'filter_by.is_pinned', ['true', 'false']);
  if (pinned) filter.pinned = pinned === 'true';
  const policy = q.get('filter_by.policy_id');
  if (policy) filter.policyId = policy;
  const sort: ListSort = {
    field: (oneOf(q, 'sort_by.field', ['DEFAULT', 'CLUSTER_NAME']) ?? 'DEFAULT') as ListSort['field'],
    direction: (oneOf(q, 'sort_by.direction', ['ASC', 'DESC']) ?? 'ASC') as ListSort['direction'],
  };
  const rawSize = q.get('page_size');
  let pageSize = DEFAULT_PAGE_SIZE;
  if (rawSize !== null && rawSize !== '') {
    if (!/^\d{1,9}$/.test(rawSize)) {
      throw invalidParameter(
        `Invalid value '${rawSize.slice(0, 40)}' for page_size; expected a whole number from 0 to ${MAX_PAGE_SIZE}.`,
      );
    }
    // 0 means "the default"; larger sizes are capped, as the service caps them.
    pageSize = Number(rawSize) === 0 ? DEFAULT_PAGE_SIZE : Math.min(Number(rawSize), MAX_PAGE_SIZE);
  }
  return { filter, sort, pageSize, pageToken: q.get('page_token') || undefined };
}

function enumList(q: URLSearchParams, key: string, allowed: readonly string[]): string[] | undefined {
  const values = q.getAll(key);
  if (values.length === 0) return undefined;
  for (const v of values) {
    if (!allowed.includes(v)) {
      throw invalidParameter(`Invalid value '${v.slice(0, 40)}' for ${key}; expected one of ${allowed.join(', ')}.`);
    }
  }
  return values;
}

function oneOf(q: URLSearchParams, key: string, allowed: readonly string[]): string | undefined {
  const v = q.get(key);
  if (v === null) return undefined;
  if (!allowed.includes(v))
    throw invalidParameter(`Invalid value '${v.slice(0, 40)}' for ${key}; expected one of ${allowed.join(', ')}.`);
  return v;
}

/** JSON as Databricks writes it (64-bit integers exact, see {@link toWireJson}). */
function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(res, status, toWireJson(body), { ...headers, 'Content-Type': 'application/json' });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBodyText(req, 1_000_000, () => new Error('request body larger than 1 MB'));
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`expected a JSON body, got ${JSON.stringify(text.slice(0, 80))}`);
  }
}
