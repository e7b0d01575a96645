/**
 * The sandbox: a local stand-in for the Microsoft Entra ID v2.0 endpoint and for an Azure
 * Databricks workspace, each on its own HTTPS origin. Used in-process by the Vite plugin below
 * (for `npm start` / `npm run dev` with nothing configured) and standalone by `npm run sandbox`.
 */
import type { Server } from 'node:http';
import type { Http2SecureServer } from 'node:http2';
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import type { Plugin } from 'vite';
import { loadSandboxConfig, type SandboxConfig } from './config.ts';
import { createConsole, type SandboxConsole } from './console/index.ts';
import { type RunningWorkspace, startWorkspace } from './databricks/index.ts';
import { type RunningEntra, startEntra } from './entra/index.ts';
import { printable } from './printable.ts';
import { ensureLocalTls, type TlsPair } from './tls.ts';

export {
  DEFAULT_SANDBOX_CONFIG,
  loadSandboxConfig,
  parseSandboxConfig,
  type SandboxConfig,
  SandboxConfigError,
  sandboxConfigJsonSchema,
} from './config.ts';
export { CONTROL_HEADER } from './control-guard.ts';
export { generateClusters, type RunningWorkspace, startWorkspace } from './databricks/index.ts';
export { type RunningEntra, startEntra } from './entra/index.ts';
export { printable } from './printable.ts';
export { CONSOLE_PATH, createConsole, type SandboxConsole } from './console/index.ts';
export { ensureLocalTls, LOCAL_TLS_NAMES, type LocalTls, localStateDir, type TlsPair } from './tls.ts';

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
  const host = options.host ?? 'localhost';
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

  const presenter = createConsole({ entra, workspace, config: served, tenantId, clientId: spa.clientId });
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

/** Options for {@link sandboxPlugin}. */
export interface SandboxPluginOptions extends Omit<SandboxOptions, 'extraSpaRedirectUris' | 'log'> {
  /** The app's own origin, registered as the demo SPA's redirect URI. */
  appOrigin: string;
}

/**
 * Runs the sandbox inside `vite` and `vite preview` (never during `vite build`), and stops it with
 * the server. Prints where it is and how to sign in.
 */
export function sandboxPlugin(options: SandboxPluginOptions): Plugin {
  let running: Promise<RunningSandbox> | undefined;

  function install(server: {
    httpServer: Server | Http2SecureServer | null;
    config: { logger: { info(m: string): void; error(m: string): void } };
  }) {
    const { logger } = server.config;
    running ??= startSandbox({ ...options, extraSpaRedirectUris: [`${options.appOrigin}/`] });
    running.then(
      (sandbox) => {
        logger.info(
          [
            '',
            `  Sandbox Entra ID:  ${sandbox.entra.url}/${sandbox.tenantId}/ (client ${sandbox.clientId})`,
            `  Sandbox workspace: ${sandbox.workspace.url}`,
            `  Presenter console: ${sandbox.entra.url}/_sandbox/console (this machine only)`,
            `  Open ${options.appOrigin}/ and sign in as one of the demo users:`,
            ...describeUsers(sandbox.config, sandbox.clientId),
          ].join('\n'),
        );
      },
      (error: unknown) => {
        logger.error(`  The sandbox did not start: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    server.httpServer?.once('close', () => {
      void running?.then((sandbox) => sandbox.close()).catch(() => {});
    });
  }

  return {
    name: 'databricks-entra-explorer:sandbox',
    configureServer: install,
    configurePreviewServer: install,
  };
}

/** One line per configured user: UPN, password, and what is special about them. */
export function describeUsers(config: SandboxConfig, clientId: string): string[] {
  const app = config.apps.find((candidate) => candidate.clientId === clientId);
  const members = new Map(config.workspace.members.map((member) => [member.upn.toLowerCase(), member]));
  const roles = new Map(config.workspace.resourceRoles.map((role) => [role.upn.toLowerCase(), role.role]));
  return config.users.map((user) => {
    const member = members.get(user.upn.toLowerCase());
    const notes = [
      member ? (member.admin ? 'workspace admin' : 'workspace user') : 'not in the workspace',
      ...(roles.has(user.upn.toLowerCase()) ? [`${roles.get(user.upn.toLowerCase())} on the workspace resource`] : []),
      ...(user.mfa ? [`MFA (code ${config.signIn.mfaCode})`] : []),
      ...(app && !app.adminConsent && !app.consentedUsers.some((upn) => upn.toLowerCase() === user.upn.toLowerCase())
        ? ['asked to consent at first sign-in']
        : []),
    ];
    return `    ${printable(user.upn).padEnd(24)} ${printable(user.password).padEnd(16)} ${printable(notes.join(', '))}`;
  });
}
