import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { loadSandboxConfig } from './config.ts';
import type { SandboxConfig } from './config-schema.ts';
import { createConsole, type SandboxConsole } from './console/index.ts';
import { type RunningWorkspace, startWorkspace } from './databricks/index.ts';
import { type RunningEntra, startEntra } from './entra/index.ts';
import { ensureLocalTls, type TlsPair } from './tls.ts';

/** Options for {@link startSandbox}. */
export interface SandboxOptions {
  /** A checked configuration; default: the file at `configPath`, or the built-in default. */
  config?: SandboxConfig;
  configPath?: string;
  /** Interface both servers listen on; default `localhost`. */
  host?: string;
  /** Ports; 0 (the default) picks free ones. */
  entraPort?: number;
  workspacePort?: number;
  /** Public base URLs, when clients reach the servers under other names (e.g. behind DNS). */
  entraPublicUrl?: string;
  workspacePublicUrl?: string;
  /** Certificate and key for both servers; default the local CA's localhost certificate. */
  tls?: TlsPair & { ca?: string };
  /**
   * A team demo (`EXPLORER_LAN=1`): both servers listen on `address` as well as on `host` (only on
   * `address` when it is a wildcard, `0.0.0.0` or `::`), and their public URLs (issuer, endpoints,
   * workspace URL) use `host`, the name colleagues reach this machine by. The control API and the
   * console refuse every request that arrives at `address`.
   */
  lan?: { host: string; address: string };
  /** Redirect URIs to register for the demo SPA (the origin the app is served on, with `/`). */
  extraSpaRedirectUris?: string[];
  /** Where the signing key persists; default `.local/`. */
  stateDir?: string;
  log?: (line: string) => void;
}

/** Both servers, running. */
export interface RunningSandbox {
  entra: RunningEntra;
  workspace: RunningWorkspace;
  config: SandboxConfig;
  tenantId: string;
  /** The demo single-page app's client ID. */
  clientId: string;
  /** The presenter console, served at `{entra.url}/_sandbox/console`. */
  console: SandboxConsole;
  close(): Promise<void>;
}

/**
 * Starts the sandbox Entra ID, then the workspace that trusts its tokens (the identity provider's
 * published signing keys).
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const config = options.config ?? (await loadSandboxConfig(options.configPath));
  const local = options.tls ?? (await ensureLocalTls());
  const tls = { key: local.key, cert: local.cert };
  const lan = options.lan;
  // The same port cannot be bound on the wildcard and on loopback together (Linux): with a
  // wildcard LAN address that one listener serves this machine too.
  const host =
    lan !== undefined && (lan.address === '0.0.0.0' || lan.address === '::')
      ? lan.address
      : (options.host ?? 'localhost');
  const reach = lan ? { publicHost: lan.host, lanAddress: lan.address } : {};
  const tenantId = config.workspace.tenantId;
  const spa = config.apps.find((app) => app.tenant === tenantId && app.redirectUris.spa.length > 0) ?? config.apps[0];
  if (!spa) throw new TypeError('The sandbox configuration has no app registration.');

  // The demo origin follows PORT: register it wherever the defaults registered the default origin,
  // so the web-platform app still meets AADSTS9002326 (not a redirect mismatch) on another port.
  const extraUris = options.extraSpaRedirectUris ?? [];
  const served = {
    ...config,
    apps: config.apps.map((app) =>
      app.redirectUris.web.length === 0
        ? app
        : { ...app, redirectUris: { ...app.redirectUris, web: [...new Set([...app.redirectUris.web, ...extraUris])] } },
    ),
  };
  const entra = await startEntra({
    config: served,
    tls,
    host,
    port: options.entraPort ?? 0,
    ...reach,
    ...(options.entraPublicUrl ? { publicUrl: options.entraPublicUrl } : {}),
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    extraSpaRedirectUris: extraUris,
    ...(options.log ? { log: options.log } : {}),
  });

  // In-process, the workspace takes the identity provider's published key set directly rather than
  // over HTTPS: that works whatever --public-url names (which may not resolve from this process).
  const tokenKeys = createLocalJWKSet((await entra.jwks(tenantId)) as JSONWebKeySet);
  let workspace: RunningWorkspace;
  try {
    workspace = await startWorkspace({
      config: config.workspace,
      tls,
      host,
      port: options.workspacePort ?? 0,
      ...reach,
      ...(options.workspacePublicUrl ? { publicUrl: options.workspacePublicUrl } : {}),
      tokenKeys,
      tenantId,
      authorizeUrl: `${entra.authority(tenantId)}oauth2/v2.0/authorize`,
      ...(options.log ? { log: options.log } : {}),
      people: config.users.map((u) => ({
        upn: u.upn,
        displayName: u.name,
        ...(u.givenName ? { givenName: u.givenName } : {}),
        ...(u.familyName ? { familyName: u.familyName } : {}),
        oid: u.oid,
      })),
    });
  } catch (error) {
    await entra.close();
    throw error;
  }

  const presenter = createConsole(
    { entra, workspace, config: served, tenantId, clientId: spa.clientId },
    lan ? { lanAddress: lan.address } : {},
  );
  entra.mountConsole(presenter.handle);

  return {
    entra,
    workspace,
    config: served,
    tenantId,
    clientId: spa.clientId,
    console: presenter,
    async close() {
      presenter.close();
      await Promise.allSettled([workspace.close(), entra.close()]);
    },
  };
}
