import type { AccountSummary, AuthService, StartResult, TokenSet } from '../../../src/app/auth/types.ts';
import type { RequestOptions, WorkspaceClient } from '../../../src/app/databricks/client.ts';
import type { ClusterDetails } from '../../../src/app/databricks/types.ts';
import type { AppConfig } from '../../../src/app/config/types.ts';

export const SANDBOX_CONFIG: AppConfig = {
  tenantId: 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de',
  clientId: '12a34b56-789c-0d12-e3fa-b456789c0123',
  cloud: 'sandbox',
  authority: 'https://localhost:5174/a1bc2d34-5e67-8f89-01ab-c2345d6c78de/',
  authorityHost: 'localhost:5174',
  workspaceUrl: 'https://localhost:5175',
  workspaceHost: 'localhost:5175',
  workspaceResourceId: undefined,
  sandbox: true,
  cacheLocation: 'sessionStorage',
};

export const ANA: AccountSummary = {
  homeAccountId: 'ana.home',
  username: 'ana@contoso.example',
  name: 'Ana Analyst',
  tenantId: SANDBOX_CONFIG.tenantId,
};
export const BEN: AccountSummary = {
  homeAccountId: 'ben.home',
  username: 'ben@contoso.example',
  name: 'Ben Admin',
  tenantId: SANDBOX_CONFIG.tenantId,
};

export const TOKENS: TokenSet = {
  accessToken: 'fake-access-token',
  idToken: 'fake-id-token',
  expiresOn: null,
  fromCache: true,
};

/** A small AuthService for component tests: MSAL's redirects cannot run in a DOM emulator. */
export class FakeAuthService implements AuthService {
  config: AppConfig;
  active: AccountSummary | null;
  cached: AccountSummary[];
  startResult: Promise<StartResult> | undefined;
  startError: unknown;
  tokenError: unknown;
  signIns: { view: string; switchAccount?: boolean }[] = [];
  signOuts: { scope?: 'account' | 'all' }[] = [];
  tokenCalls: { forceRefresh?: boolean; view?: string }[] = [];
  private listeners = new Set<(notice?: string) => void>();

  constructor(
    options: {
      config?: AppConfig;
      active?: AccountSummary | null;
      accounts?: AccountSummary[];
      startError?: unknown;
    } = {},
  ) {
    this.config = options.config ?? SANDBOX_CONFIG;
    this.active = options.active === undefined ? ANA : options.active;
    this.cached = options.accounts ?? (this.active ? [this.active] : []);
    this.startError = options.startError;
  }

  start(): Promise<StartResult> {
    if (this.startResult) return this.startResult;
    if (this.startError !== undefined) return Promise.reject(this.startError);
    return Promise.resolve({ account: this.active, accounts: this.cached, returnView: null });
  }
  accounts() {
    return this.cached;
  }
  activeAccount() {
    return this.active;
  }
  selectAccount(id: string) {
    this.active = this.cached.find((a) => a.homeAccountId === id) ?? null;
  }
  async signIn(options: { view: string; switchAccount?: boolean }) {
    this.signIns.push(options);
    // A real service navigates away here; the page would unload.
    return new Promise<void>(() => {});
  }
  async signOut(options: { scope?: 'account' | 'all' } = {}) {
    this.signOuts.push(options);
    return new Promise<void>(() => {});
  }
  async getTokens(options: { forceRefresh?: boolean; view?: string } = {}) {
    this.tokenCalls.push(options);
    if (this.tokenError !== undefined) throw this.tokenError;
    return TOKENS;
  }
  onAccountsChanged(listener: (notice?: string) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emitAccountsChanged(notice?: string) {
    for (const l of this.listeners) l(notice);
  }
}

export function makeCluster(i: number, overrides: Partial<ClusterDetails> = {}): ClusterDetails {
  const states = ['RUNNING', 'TERMINATED', 'PENDING'];
  const sources = ['UI', 'JOB', 'API'];
  return {
    cluster_id: `0612-081530-c${String(i).padStart(5, '0')}`,
    cluster_name: `cluster-${String(i).padStart(5, '0')}`,
    spark_version: '15.4.x-scala2.12',
    node_type_id: 'Standard_DS3_v2',
    num_workers: i % 5,
    state: states[i % 3],
    cluster_source: sources[i % 3],
    creator_user_name: 'ana@contoso.example',
    start_time: 1718180130123 + i,
    ...overrides,
  };
}

/** A WorkspaceClient answering from functions keyed by path; records every call. */
export function fakeClient(routes: Record<string, (options: RequestOptions) => unknown>) {
  const calls: { path: string; options: RequestOptions }[] = [];
  const client: WorkspaceClient = {
    async getJson<T>(path: string, options: RequestOptions = {}) {
      calls.push({ path, options });
      const route = routes[path];
      if (!route) throw new Error(`fake client: no route for ${path}`);
      return (await route(options)) as T;
    },
  };
  return { client, calls };
}

/** Pages of `size` clusters out of `total`, served by page_token. */
export function pagedClusters(total: number, size = 100, make: (i: number) => ClusterDetails = makeCluster) {
  return (options: RequestOptions) => {
    const start = Number(options.query?.page_token ?? 0);
    const end = Math.min(total, start + size);
    const clusters = [];
    for (let i = start; i < end; i++) clusters.push(make(i));
    return end < total ? { clusters, next_page_token: String(end) } : { clusters };
  };
}
