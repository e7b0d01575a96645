/**
 * `npm run sandbox -- [--host H] [--port N] [--workspace-port N] [--public-url URL] [--cert F --key F] [--config F]`:
 * runs the sandbox Entra ID and the sandbox workspace standalone and prints what a client needs to use them.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { loadSandboxConfig, SandboxConfigError, sandboxConfigJsonSchema } from './config.ts';
import type { SandboxConfig } from './config-schema.ts';
import type { RunningWorkspace } from './databricks/index.ts';
import type { RunningEntra } from './entra/index.ts';
import { startSandbox } from './start.ts';
import { CONSOLE_PATH } from './well-known.ts';
import { printable } from './printable.ts';
import { ensureLocalTls, issueLocalCertificate, LOCAL_TLS_NAMES } from './tls.ts';

/**
 * The flags. To add one (say `--workspace-port` for the sandbox workspace), add it here, to
 * {@link CliOptions} and {@link toCliOptions}, then use it in {@link startServices}.
 */
const FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'workspace-port': { type: 'string' },
  'public-url': { type: 'string' },
  'workspace-public-url': { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  config: { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  quiet: { type: 'boolean' },
  'print-schema': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

const USAGE = `Usage: npm run sandbox -- [options]

Runs the sandbox Entra ID (a local stand-in for the Microsoft Entra ID v2.0 endpoint) and the
sandbox Databricks workspace over HTTPS, each on its own port.

Options:
  --host H            interface and host name to serve on (default localhost)
  --port N            Entra ID port (default PORT+1 when PORT is set, else 5174; 0 picks a free port)
  --workspace-port N  workspace port (default PORT+2 when PORT is set, else 5175; 0 picks a free port)
  --public-url URL    the origin clients use for Entra ID, if not https://H:N (e.g. on 443 behind DNS)
  --workspace-public-url URL  the same for the workspace
  --cert F --key F    PEM certificate and key to serve with (default: a certificate from the local CA for
                      localhost and the public URLs' host names)
  --config F          sandbox configuration file (JSON with comments; default: the built-in demo)
  --redirect-uri URI  add a single-page-app redirect URI to the demo app (repeatable)
  --quiet             do not log each request
  --print-schema      print the configuration file's JSON Schema and exit
  -h, --help          show this help
`;

/** A bad command line; the message says which flag and what to do. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
  readonly code = 'SANDBOX_CLI_USAGE';
}

export interface CliOptions {
  host: string;
  port: number;
  workspacePort: number;
  publicUrl: string | undefined;
  workspacePublicUrl: string | undefined;
  certPath: string | undefined;
  keyPath: string | undefined;
  configPath: string | undefined;
  redirectUris: string[];
  quiet: boolean;
  printSchema: boolean;
  help: boolean;
}

/**
 * Parses the command line.
 * @throws {CliUsageError} for unknown flags, a bad port or URL, or --cert without --key.
 */
export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let values: ReturnType<
    typeof parseArgs<{ options: typeof FLAGS; args: string[]; allowPositionals: false; strict: true }>
  >['values'];
  try {
    values = parseArgs({ args: argv, options: FLAGS, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}\n\n${USAGE}`, { cause: error });
  }
  return toCliOptions(values, env);
}

function toCliOptions(
  values: Partial<Record<keyof typeof FLAGS, string | boolean | string[]>>,
  env: NodeJS.ProcessEnv,
): CliOptions {
  const defaultPort = env.PORT !== undefined && /^\d+$/.test(env.PORT) ? Number(env.PORT) + 1 : 5174;
  const port = readPort('--port', values.port, defaultPort);
  const workspacePort = readPort('--workspace-port', values['workspace-port'], port === 0 ? 0 : defaultPort + 1);
  if (port !== 0 && port === workspacePort) {
    throw new CliUsageError(`--port and --workspace-port are both ${port}; the two servers need their own ports.`);
  }
  const publicUrl = values['public-url'] as string | undefined;
  if (publicUrl !== undefined && !/^https:\/\/[^/?#]+\/?$/.test(publicUrl)) {
    throw new CliUsageError(
      `--public-url must be an https origin such as https://login.sandbox.example, got '${publicUrl}'. MSAL accepts only https authorities.`,
    );
  }
  const workspacePublicUrl = values['workspace-public-url'] as string | undefined;
  if (workspacePublicUrl !== undefined && !/^https:\/\/[^/?#]+\/?$/.test(workspacePublicUrl)) {
    throw new CliUsageError(
      `--workspace-public-url must be an https origin such as https://adb-5555555555555555.19.azuredatabricks.net, got '${workspacePublicUrl}'.`,
    );
  }
  const certPath = values.cert as string | undefined;
  const keyPath = values.key as string | undefined;
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new CliUsageError('--cert and --key go together: pass both (PEM files), or neither to use the local CA.');
  }
  const redirectUris = (values['redirect-uri'] as string[] | undefined) ?? [];
  for (const uri of redirectUris) {
    if (!URL.canParse(uri)) throw new CliUsageError(`--redirect-uri must be an absolute URI, got '${uri}'.`);
  }
  const appPort = env.PORT !== undefined && /^\d+$/.test(env.PORT) ? env.PORT : undefined;
  if (appPort !== undefined && appPort !== '5173') redirectUris.push(`https://localhost:${appPort}/`);
  return {
    host: (values.host as string | undefined) ?? 'localhost',
    port,
    workspacePort,
    publicUrl,
    workspacePublicUrl,
    certPath,
    keyPath,
    configPath: values.config as string | undefined,
    redirectUris,
    quiet: values.quiet === true,
    printSchema: values['print-schema'] === true,
    help: values.help === true,
  };
}

function readPort(flag: string, value: unknown, fallback: number): number {
  const port = value === undefined ? fallback : Number(value);
  if (typeof value === 'string' && !/^\d+$/.test(value))
    throw new CliUsageError(`${flag} must be a whole number from 0 to 65535, got '${value}'.`);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliUsageError(`${flag} must be a whole number from 0 to 65535, got '${String(value)}'.`);
  }
  return port;
}

/** What {@link startServices} started, to print and to stop. */
export interface RunningServices {
  entra: RunningEntra;
  workspace: RunningWorkspace;
  config: SandboxConfig;
  caPath: string | undefined;
  close(): Promise<void>;
}

/** Loads the configuration and TLS material and starts the servers. */
export async function startServices(options: CliOptions, log: (line: string) => void): Promise<RunningServices> {
  const config = await loadSandboxConfig(options.configPath);
  let tls: { key: string; cert: string };
  let caPath: string | undefined;
  if (options.certPath !== undefined && options.keyPath !== undefined) {
    tls = { cert: await readFile(options.certPath, 'utf8'), key: await readFile(options.keyPath, 'utf8') };
  } else {
    // A public URL under another name (say https://login.microsoftonline.com, reached through a
    // hosts entry or a browser's resolver rules) gets a certificate for that name from the local CA.
    const names = publicHostNames(options);
    const local =
      names.length > 0 ? await issueLocalCertificate([...LOCAL_TLS_NAMES, ...names]) : await ensureLocalTls();
    tls = local;
    caPath = local.caPath;
  }
  const sandbox = await startSandbox({
    config,
    tls,
    host: options.host,
    entraPort: options.port,
    workspacePort: options.workspacePort,
    ...(options.publicUrl ? { entraPublicUrl: options.publicUrl } : {}),
    ...(options.workspacePublicUrl ? { workspacePublicUrl: options.workspacePublicUrl } : {}),
    extraSpaRedirectUris: options.redirectUris,
    ...(options.quiet ? {} : { log }),
  });
  return { entra: sandbox.entra, workspace: sandbox.workspace, config, caPath, close: () => sandbox.close() };
}

/** Host names of the public URLs that the local localhost certificate does not cover. */
export function publicHostNames(options: Pick<CliOptions, 'publicUrl' | 'workspacePublicUrl'>): string[] {
  const names = [options.publicUrl, options.workspacePublicUrl]
    .filter((url): url is string => url !== undefined)
    .map((url) => new URL(url).hostname.replace(/^\[|\]$/g, ''));
  return [...new Set(names)].filter((name) => !(LOCAL_TLS_NAMES as readonly string[]).includes(name));
}

/** The start-up summary: base URL, tenants, apps, users with passwords. */
export function describeServices(services: RunningServices, options: CliOptions): string {
  const { entra, config } = services;
  const lines = [
    `Sandbox Entra ID (local sandbox — not Microsoft) listening on ${entra.url}`,
    `Sandbox Databricks workspace listening on ${services.workspace.url} (tenant ${config.workspace.tenantId}; clusters: GET /api/2.0/clusters/list)`,
    `Presenter console: ${entra.url}${CONSOLE_PATH} (open it on this machine: scenarios, live request log, users)`,
    '',
    'Tenants:',
    ...config.tenants.map(
      (tenant) => `  ${tenant.id}  ${tenant.domain}  (${tenant.displayName})  authority ${entra.authority(tenant.id)}`,
    ),
    `MSAL: authority as above, knownAuthorities: ['${entra.authorityHost}']`,
    '',
    'Apps (client IDs):',
    ...config.apps.map((app) => {
      const platforms = Object.entries(app.redirectUris)
        .filter(([, uris]) => uris.length > 0)
        .map(([platform, uris]) => `${platform}: ${uris.join(', ')}`)
        .join('; ');
      return `  ${app.clientId}  ${app.displayName}  [${platforms || 'no redirect URIs'}]${app.allowPublicClientFlows ? ' public client flows allowed' : ''}`;
    }),
    '',
    'Users (UPN / password):',
    ...config.users.map(
      (user) =>
        `  ${user.upn.padEnd(28)} ${user.password.padEnd(18)} ${user.name.padEnd(18)} ${userNotes(config, user).join('; ')}`,
    ),
    '',
  ];
  if (services.caPath !== undefined) {
    lines.push(
      `TLS: certificate for ${[...LOCAL_TLS_NAMES, ...publicHostNames(options)].join(', ')} from the local CA ${services.caPath} (NODE_EXTRA_CA_CERTS=${services.caPath} for Node clients).`,
    );
    if (
      !(LOCAL_TLS_NAMES as readonly string[]).includes(options.host) &&
      options.host !== '0.0.0.0' &&
      options.host !== '::'
    ) {
      lines.push(
        `Warning: the local certificate does not cover '${options.host}'; pass --cert and --key for that name.`,
      );
    }
  }
  lines.push('Stop with Ctrl+C.');
  // Names, passwords and URIs come from the configuration file: never raw control characters.
  return lines.map(printable).join('\n');
}

/** What is special about a user in the demo, from the Entra and workspace sections. */
function userNotes(config: SandboxConfig, user: SandboxConfig['users'][number]): string[] {
  const notes: string[] = [];
  const member = config.workspace.members.find((candidate) => candidate.upn === user.upn);
  const role = config.workspace.resourceRoles.find((candidate) => candidate.upn === user.upn);
  if (member?.admin) notes.push('workspace admin');
  else if (member) notes.push('workspace user');
  else if (role) notes.push(`not a member; ${role.role} on the workspace resource`);
  else notes.push('not in the workspace');
  const mustConsent = config.apps.filter(
    (app) => app.permissions.length > 0 && !app.adminConsent && !app.consentedUsers.includes(user.upn),
  );
  if (mustConsent.length > 0) notes.push(`must consent to ${mustConsent.map((app) => app.displayName).join(', ')}`);
  if (user.mfa) notes.push(`MFA (code ${config.signIn.mfaCode})`);
  return notes;
}

async function main(): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof CliUsageError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.printSchema) {
    console.log(JSON.stringify(sandboxConfigJsonSchema(), null, 2));
    return 0;
  }
  let services: RunningServices;
  try {
    services = await startServices(options, (line) => console.log(line));
  } catch (error) {
    if (error instanceof SandboxConfigError) {
      console.error(error.message);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      console.error(
        `Cannot listen on ${options.host}:${options.port} (${code}). ${code === 'EACCES' ? 'Ports below 1024 need privileges; ' : 'Another process uses it; '}pass another --port.`,
      );
      return 1;
    }
    if (code === 'ENOENT') {
      console.error(`Cannot read ${(error as NodeJS.ErrnoException).path}: check --cert / --key / --config.`);
      return 2;
    }
    throw error;
  }
  console.log(describeServices(services, options));
  await new Promise<void>((resolvePromise) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(130);
      stopping = true;
      console.log(`\n${signal}: stopping the sandbox…`);
      services.close().then(resolvePromise, (error: unknown) => {
        console.error(error);
        resolvePromise();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('Sandbox stopped.');
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
