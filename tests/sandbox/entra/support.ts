import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { Agent, fetch as undiciFetch, type Response } from 'undici';
import type { SandboxConfig } from '../../../src/sandbox/config-schema.ts';
import { DEFAULT_SANDBOX_CONFIG, parseSandboxConfig } from '../../../src/sandbox/config.ts';
import { type EntraOptions, type RunningEntra, startEntra } from '../../../src/sandbox/entra/index.ts';
import { CONTROL_HEADER } from '../../../src/sandbox/control-guard.ts';
import { ensureLocalTls, type LocalTls } from '../../../src/sandbox/tls.ts';

export const TENANT = 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de';
export const SPA_CLIENT = '12a34b56-789c-0d12-e3fa-b456789c0123';
export const WEB_CLIENT = '98f7e6d5-4c3b-2a19-8d7e-6f5a4b3c2d1e';
export const DATABRICKS = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';
export const DATABRICKS_DEFAULT = `${DATABRICKS}/.default`;
export const SPA_REDIRECT = 'https://localhost:5173/';
export const APP_ORIGIN = 'https://localhost:5173';

/** A sandbox Entra ID on 127.0.0.1, with its own state folder, CA and an HTTPS client trusting it. */
export interface Harness {
  entra: RunningEntra;
  tls: LocalTls;
  /** fetch that trusts the sandbox CA and never follows redirects. */
  fetch: (url: string, init?: Parameters<typeof undiciFetch>[1]) => Promise<Response>;
  network: INetworkModule;
  authority: string;
  close(): Promise<void>;
}

let shared: { dir: string; tls: LocalTls } | undefined;

/** One state folder and CA per test file (key generation is slow). */
export async function sharedState(): Promise<{ dir: string; tls: LocalTls }> {
  if (shared === undefined) {
    const dir = await mkdtemp(join(tmpdir(), 'entra-test-'));
    shared = { dir, tls: await ensureLocalTls(join(dir, 'tls')) };
  }
  return shared;
}

export async function removeSharedState(): Promise<void> {
  if (shared !== undefined) await rm(shared.dir, { recursive: true, force: true });
  shared = undefined;
}

export async function startHarness(
  config: SandboxConfig = DEFAULT_SANDBOX_CONFIG,
  options: Partial<EntraOptions> = {},
): Promise<Harness> {
  const { dir, tls } = await sharedState();
  const entra = await startEntra({ config, tls, host: '127.0.0.1', port: 0, stateDir: dir, ...options });
  const dispatcher = new Agent({ connect: { ca: tls.ca } });
  // Control API calls carry their header unless a test passes headers of its own.
  const fetch = (url: string, init: Parameters<typeof undiciFetch>[1] = {}) =>
    undiciFetch(url, {
      redirect: 'manual',
      ...(url.includes('/_sandbox/') ? { headers: { [CONTROL_HEADER]: '1' } } : {}),
      ...init,
      dispatcher,
    });
  return {
    entra,
    tls,
    fetch,
    network: trustingNetworkModule(tls.ca),
    authority: entra.authority(TENANT),
    // Once, however often it is called: a test may close a harness that its file's hooks close too.
    close: once(async () => {
      await entra.close();
      await dispatcher.close();
    }),
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}

/** Parses a configuration that overrides some top-level keys of the default. */
export function configWith(overrides: Record<string, unknown>): SandboxConfig {
  return parseSandboxConfig(JSON.stringify(overrides), 'test.json');
}

/** msal-node's network module, over undici with the sandbox CA trusted (TLS verification stays on). */
export function trustingNetworkModule(ca: string, extraHeaders: Record<string, string> = {}): INetworkModule {
  const dispatcher = new Agent({ connect: { ca } });
  async function send<T>(method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const response = await undiciFetch(url, {
      method,
      headers: { ...options?.headers, ...extraHeaders },
      body: options?.body,
      dispatcher,
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const text = await response.text();
    return { status: response.status, headers, body: JSON.parse(text) as T };
  }
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

/** A cookie jar for one simulated browser. */
export class Browser {
  readonly cookies = new Map<string, string>();
  private readonly harness: Harness;
  constructor(harness: Harness) {
    this.harness = harness;
  }

  async request(
    url: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await this.harness.fetch(url, {
      method: init.method ?? 'GET',
      body: init.body,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...init.headers,
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /**
   * Opens an authorize URL and drives the pages: credentials (or a one-click demo user), the MFA
   * step and the consent page, until the sandbox redirects. Returns the final redirect location,
   * or the HTML of the page it stopped on.
   */
  async signIn(
    authorizeUrl: string,
    steps: {
      username?: string;
      password?: string;
      demoUser?: string;
      mfaCode?: string;
      consent?: 'accept' | 'deny';
    } = {},
  ): Promise<{ location?: string; html?: string; status: number }> {
    let response = await this.request(authorizeUrl);
    for (let step = 0; step < 6; step++) {
      if (response.status === 302) return { location: response.headers.get('location')!, status: 302 };
      const html = await response.text();
      if (response.status !== 200) return { html, status: response.status };
      const ctx = /name="ctx" value="([^"]+)"/.exec(html)?.[1];
      const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
      if (ctx === undefined || action === undefined) return { html, status: response.status };
      const url = new URL(action.replaceAll('&#38;', '&'), this.harness.entra.url).toString();
      let form: Record<string, string>;
      if (html.includes('name="otc"')) {
        if (steps.mfaCode === undefined) return { html, status: 200 };
        form = { ctx, otc: steps.mfaCode };
        steps = { ...steps, mfaCode: undefined };
      } else if (html.includes('name="consent"')) {
        if (steps.consent === undefined) return { html, status: 200 };
        form = { ctx, consent: steps.consent };
        steps = { ...steps, consent: undefined };
      } else if (html.includes('name="password"')) {
        if (steps.demoUser !== undefined) form = { ctx, demo_user: steps.demoUser };
        else if (steps.username !== undefined) form = { ctx, username: steps.username, password: steps.password ?? '' };
        else return { html, status: 200 };
        // A second visit of the sign-in page means the credentials were refused.
        steps = { ...steps, username: undefined, demoUser: undefined };
      } else {
        return { html, status: 200 };
      }
      response = await this.request(url, { method: 'POST', body: new URLSearchParams(form).toString() });
    }
    throw new Error('too many sign-in steps');
  }
}

/** The parameters of a redirect location, from its query or its fragment. */
export function responseParams(location: string): URLSearchParams {
  const url = new URL(location);
  return new URLSearchParams(url.hash ? url.hash.slice(1) : url.search.slice(1));
}

/** Reads a JWT's payload without verifying it. */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** PKCE pair: a 43-character verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** msal-browser v5 state: standard base64 JSON, `|`, app state (with characters that need encoding). */
export function browserState(): string {
  const id = Buffer.from(JSON.stringify({ id: randomUUID(), meta: { interactionType: 'redirect' } })).toString(
    'base64',
  );
  return `${id}|app+state/=`;
}

/** An authorize URL with the parameters msal-browser v5 `loginRedirect` sends. */
export function browserAuthorizeUrl(
  h: Harness,
  overrides: Record<string, string | undefined> = {},
): { url: string; state: string; nonce: string; verifier: string } {
  const { verifier, challenge } = pkcePair();
  const state = browserState();
  const nonce = randomUUID();
  const params: Record<string, string | undefined> = {
    client_id: SPA_CLIENT,
    scope: `${DATABRICKS_DEFAULT} openid profile offline_access`,
    redirect_uri: SPA_REDIRECT,
    'client-request-id': randomUUID(),
    response_mode: 'fragment',
    response_type: 'code',
    'x-client-SKU': 'msal.js.browser',
    'x-client-VER': '5.30.0',
    client_info: '1',
    clidata: '1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    nonce,
    state,
    claims: JSON.stringify({ id_token: { signin_state: { essential: false }, login_hint: { essential: false } } }),
    pocd: '1',
    ...overrides,
  };
  const query = new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return { url: `${h.authority}oauth2/v2.0/authorize?${query}`, state: params.state ?? state, nonce, verifier };
}

/** Signs demo user Ana in through the pages, as msal-browser's redirect would; returns the code and its PKCE verifier. */
export async function signInForCode(h: Harness): Promise<{ code: string; verifier: string }> {
  const { url, verifier } = browserAuthorizeUrl(h);
  const result = await new Browser(h).signIn(url, { demoUser: 'ana@contoso.example' });
  if (result.location === undefined)
    throw new Error(`the sign-in stopped on a page (${result.status}): ${result.html}`);
  return { code: responseParams(result.location).get('code')!, verifier };
}

/** Redeems a code the way msal-browser does (form body, Origin header). */
export async function browserRedeem(
  h: Harness,
  fields: Record<string, string>,
  headers: Record<string, string> = { origin: APP_ORIGIN },
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const body = new URLSearchParams({
    client_id: SPA_CLIENT,
    redirect_uri: SPA_REDIRECT,
    scope: `${DATABRICKS_DEFAULT} openid profile offline_access`,
    grant_type: 'authorization_code',
    client_info: '1',
    'x-client-SKU': 'msal.js.browser',
    'x-client-VER': '5.30.0',
    'x-ms-lib-capability': 'retry-after, h429',
    ...fields,
  });
  const response = await h.fetch(`${h.authority}oauth2/v2.0/token?client-request-id=${randomUUID()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', ...headers },
    body: body.toString(),
  });
  return {
    status: response.status,
    headers: response.headers as unknown as Headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}
