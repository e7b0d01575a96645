import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { Agent, fetch } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import {
  type RunningWorkspace,
  type StartWorkspaceOptions,
  startWorkspace,
  type WorkspaceConfigInput,
  workspaceConfigSchema,
  DEFAULT_WORKSPACE_CONFIG,
} from '../../../src/sandbox/databricks/index.ts';
import { CONTROL_HEADER } from '../../../src/sandbox/control-guard.ts';
import { ensureLocalTls, type LocalTls } from '../../../src/sandbox/tls.ts';

export const TENANT = 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de';
export const OTHER_TENANT = '00000000-1111-4222-8333-444444444444';
export const SPA_CLIENT = '12a34b56-789c-0d12-e3fa-b456789c0123';
export const DATABRICKS = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';
export const RESOURCE_ID =
  '/subscriptions/5f1d7c2e-0000-4000-8000-00000000cafe/resourceGroups/explorer-sandbox/providers/Microsoft.Databricks/workspaces/sandbox-workspace';

export const USERS = {
  ana: { upn: 'ana@contoso.example', name: 'Ana Analyst', oid: '0a11ce00-0000-4000-8000-000000000001' },
  ben: { upn: 'ben@contoso.example', name: 'Ben Admin', oid: '0b0b0000-0000-4000-8000-000000000002' },
  carl: { upn: 'carl@contoso.example', name: 'Carl Outsider', oid: '0c0c0000-0000-4000-8000-000000000003' },
  dana: { upn: 'dana@contoso.example', name: 'Dana Newcomer', oid: '0d0d0000-0000-4000-8000-000000000004' },
  eve: { upn: 'eve@contoso.example', name: 'Eve Secure', oid: '0e0e0000-0000-4000-8000-000000000005' },
  fay: { upn: 'fay@contoso.example', name: 'Fay Contributor', oid: '0fa40000-0000-4000-8000-000000000006' },
} as const;
export type DemoUser = keyof typeof USERS;

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** An RS256 signing key with its public JWKS, standing in for the sandbox Entra ID's keys. */
export interface TestIssuer {
  kid: string;
  privateKey: Key;
  jwks: { keys: JWK[] };
}

export async function createIssuer(kid = 'sandbox-test-key'): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  return { kid, privateKey, jwks: { keys: [jwk] } };
}

export interface MintOptions {
  /** Seconds from now until `exp` (default 3600). */
  expiresIn?: number;
  /** Seconds from now for `nbf` (default -300). */
  notBefore?: number;
  /** Claims to add or replace; `undefined` removes one. */
  claims?: Record<string, unknown>;
  issuer?: TestIssuer;
}

/** A v1.0 Azure Databricks access token shaped as Entra issues it (entra-v2-facts §5.2). */
export async function mintToken(base: TestIssuer, user: DemoUser | null, options: MintOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const u = user ? USERS[user] : undefined;
  const [given, family] = u ? u.name.split(' ') : [];
  const claims: Record<string, unknown> = {
    aud: DATABRICKS,
    iss: `https://sts.windows.net/${TENANT}/`,
    iat: now - 300,
    nbf: now + (options.notBefore ?? -300),
    exp: now + (options.expiresIn ?? 3600),
    acr: '1',
    aio: 'AVQAq/8TAAAA',
    amr: ['pwd'],
    appid: SPA_CLIENT,
    appidacr: '0',
    ipaddr: '127.0.0.1',
    scp: 'user_impersonation',
    tid: TENANT,
    uti: `uti-${Math.random().toString(36).slice(2)}`,
    ver: '1.0',
    ...(u
      ? {
          family_name: family,
          given_name: given,
          name: u.name,
          oid: u.oid,
          sub: `sub-${u.oid}`,
          unique_name: u.upn,
          upn: u.upn,
        }
      : { oid: '7a5e0000-0000-4000-8000-0000000000a9', sub: 'app-only' }),
    ...options.claims,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  const signer = options.issuer ?? base;
  return new SignJWT(claims as JWTPayload)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: signer.kid, x5t: signer.kid })
    .sign(signer.privateKey);
}

let tlsPromise: Promise<{ tls: LocalTls; dir: string }> | undefined;

/** One local CA and localhost certificate per test file, in a temporary folder. */
export function testTls(): Promise<{ tls: LocalTls; dir: string }> {
  tlsPromise ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'explorer-ws-tls-'));
    return { tls: await ensureLocalTls(dir), dir };
  })();
  return tlsPromise;
}

export async function removeTestTls(): Promise<void> {
  if (!tlsPromise) return;
  const { dir } = await tlsPromise;
  tlsPromise = undefined;
  await rm(dir, { recursive: true, force: true });
}

export interface TestWorkspace {
  ws: RunningWorkspace;
  url: string;
  ca: string;
  issuer: TestIssuer;
  dispatcher: Agent;
  lines: string[];
  token(user: DemoUser | null, options?: MintOptions): Promise<string>;
  /** GET a workspace path with a bearer token for `user` (or the given headers). */
  get(path: string, user?: DemoUser | null, headers?: Record<string, string>): Promise<Response>;
  /** POST a JSON body to a workspace path with a bearer token for `user`. */
  post(path: string, user: DemoUser, body?: unknown): Promise<Response>;
  call(path: string, init?: { method?: string; headers?: Record<string, string>; body?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

// RSA key generation is slow; one issuer per test file is enough.
let issuerPromise: Promise<TestIssuer> | undefined;

/** A workspace clock that moves only when a test moves it. */
export class ManualClock {
  now: number;
  constructor(start = Date.UTC(2026, 10, 29, 12, 0, 0)) {
    this.now = start;
  }
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** Starts a workspace on 127.0.0.1:0 with `config` over the defaults, trusting keys of a fresh issuer. */
export async function startTestWorkspace(
  config: WorkspaceConfigInput = {},
  options: { clock?: ManualClock } & Pick<StartWorkspaceOptions, 'connectionLimits'> = {},
): Promise<TestWorkspace> {
  const { tls } = await testTls();
  issuerPromise ??= createIssuer();
  const issuer = await issuerPromise;
  const lines: string[] = [];
  const ws = await startWorkspace({
    config: workspaceConfigSchema.parse({ ...DEFAULT_WORKSPACE_CONFIG, ...config }),
    tls,
    host: '127.0.0.1',
    port: 0,
    tokenKeys: createLocalJWKSet(issuer.jwks),
    tenantId: TENANT,
    authorizeUrl: `https://localhost:1/${TENANT}/oauth2/authorize`,
    log: (line) => lines.push(line),
    ...(options.clock ? { clock: options.clock.read } : {}),
    people: Object.values(USERS).map((u) => ({ upn: u.upn, displayName: u.name, oid: u.oid })),
    ...(options.connectionLimits ? { connectionLimits: options.connectionLimits } : {}),
  });
  const dispatcher = new Agent({ connect: { ca: tls.ca } });
  const call: TestWorkspace['call'] = async (path, init = {}) =>
    (await fetch(`${ws.url}${path}`, {
      method: init.method ?? 'GET',
      // The control API wants its header; tests of its refusals pass their own headers.
      headers: init.headers ?? (path.startsWith('/_sandbox/') ? { [CONTROL_HEADER]: '1' } : {}),
      ...(init.body === undefined
        ? {}
        : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
      dispatcher,
      redirect: 'manual',
    })) as unknown as Response;
  return {
    ws,
    url: ws.url,
    ca: tls.ca,
    issuer,
    dispatcher,
    lines,
    token: (user, options) => mintToken(issuer, user, options),
    async get(path, user = 'ben', headers = {}) {
      const auth: Record<string, string> =
        user === null ? {} : { Authorization: `Bearer ${await mintToken(issuer, user)}` };
      return call(path, { headers: { ...auth, ...headers } });
    },
    async post(path, user, body = {}) {
      const headers = { Authorization: `Bearer ${await mintToken(issuer, user)}`, 'Content-Type': 'application/json' };
      return call(path, { method: 'POST', headers, body });
    },
    call,
    async close() {
      await ws.close();
      await dispatcher.close();
    },
  };
}

/**
 * Registers the file's hooks around one workspace shared by its tests: started in `beforeAll`
 * (with the file's CA and issuer key, generated once), reset to its configured state before each
 * test when `resetBeforeEach` is set, closed with the CA's folder after all. Returns the workspace;
 * its members are there from `beforeAll` on.
 */
export function setUpFileWorkspace(
  config: WorkspaceConfigInput = {},
  options: Parameters<typeof startTestWorkspace>[1] & { resetBeforeEach?: boolean } = {},
): TestWorkspace {
  const { resetBeforeEach = false, ...startOptions } = options;
  let started: TestWorkspace | undefined;
  beforeAll(async () => {
    started = await startTestWorkspace(config, startOptions);
  });
  if (resetBeforeEach)
    beforeEach(async () => {
      await started?.call('/_sandbox/reset', { method: 'POST' });
    });
  afterAll(async () => {
    await started?.close();
    await removeTestTls();
  });
  return forwardTo(() => started, 'the workspace starts in beforeAll; use it inside a test or hook');
}

/** A workspace each test gets fresh, with its own `restartWith` for a test that needs other settings. */
export interface PerTestWorkspace extends TestWorkspace {
  /** Closes this test's workspace and starts one with `config` over the defaults in its place. */
  restartWith(config: WorkspaceConfigInput): Promise<void>;
}

/**
 * Registers the file's hooks for a fresh workspace in every test: started in `beforeEach` (the
 * file's CA and issuer key are generated by the first start, in a hook with its own timeout),
 * closed in `afterEach`; the CA's folder is removed after all.
 */
export function setUpWorkspacePerTest(config: WorkspaceConfigInput = {}): PerTestWorkspace {
  let current: TestWorkspace | undefined;
  beforeEach(async () => {
    current = await startTestWorkspace(config);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  afterAll(() => removeTestTls());
  const workspace = forwardTo(() => current, 'the workspace starts in beforeEach; use it inside a test or hook');
  return Object.assign(Object.create(workspace) as TestWorkspace, {
    async restartWith(other: WorkspaceConfigInput) {
      await current?.close();
      current = await startTestWorkspace(other);
    },
  });
}

/** A stand-in whose members are those of the workspace `current()` returns when they are read. */
function forwardTo(current: () => TestWorkspace | undefined, notYet: string): TestWorkspace {
  return new Proxy({} as TestWorkspace, {
    get(_, key) {
      const workspace = current();
      if (workspace === undefined) throw new Error(notYet);
      const value: unknown = Reflect.get(workspace, key);
      return typeof value === 'function' ? value.bind(workspace) : value;
    },
  });
}

/** Walks the 2.1 list from the first page to the last, returning every page's clusters' IDs. */
export async function walkPages(
  t: TestWorkspace,
  user: DemoUser,
  query: string,
): Promise<{ ids: string[]; pages: number }> {
  const token = await t.token(user);
  const ids: string[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const q = `${query}${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ''}`;
    const res = await t.call(`/api/2.1/clusters/list?${q}`, { headers: { Authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`page ${pages} answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { clusters?: { cluster_id: string }[]; next_page_token?: string };
    ids.push(...(body.clusters ?? []).map((c) => c.cluster_id));
    pageToken = body.next_page_token;
    pages += 1;
  } while (pageToken);
  return { ids, pages };
}
