/**
 * The app as `npm start` serves it, for benchmarks: a production build (into a temporary folder,
 * never `dist/`) served in-process by `vite preview` on BENCH_PORT (5473 unless the environment
 * says otherwise), with the sandbox Entra ID on BENCH_PORT+1 and the sandbox workspace on
 * BENCH_PORT+2, and loopback helpers for the sandbox control APIs. BENCH_PORT+3 and +4 are the
 * bare page's and the sample-style peer's (support/pages.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { build, preview, type PreviewServer, type Rolldown } from 'vite';
import { DEFAULT_SANDBOX_CONFIG_INPUT } from '../../../src/sandbox/config.ts';
import { CONTROL_HEADER } from '../../../src/sandbox/control-guard.ts';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
const CONFIG_FILE = join(ROOT, 'vite.config.ts');

/**
 * The first of the five ports the benchmarks use: `BENCH_PORT=6600 npm run bench` when 5473–5477
 * are taken (another checkout's benchmarks, say). The default is clear of the tests' (5273–5310)
 * and a developer's 5173–5175.
 */
export const BENCH_PORT = benchPort(process.env.BENCH_PORT);

function benchPort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 5473;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1024 || port > 65530)
    throw new Error(
      `BENCH_PORT must be a whole number from 1024 to 65530 (the benchmarks use it and the next four ports); received ${JSON.stringify(raw)}.`,
    );
  return port;
}

/** Where the bare page and the sample-style peer are served (support/pages.ts). */
export const BARE_PORT = BENCH_PORT + 3;
export const PEER_PORT = BENCH_PORT + 4;

/** The sandbox's fixed identities (see the common brief). */
export const SANDBOX_TENANT_ID = 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de';
export const SANDBOX_CLIENT_ID = '12a34b56-789c-0d12-e3fa-b456789c0123';

let stateDir: string | undefined;

/**
 * Points the server settings at the benchmark ports and the sandbox (whatever a developer's .env
 * says), and keeps generated state (CA, signing key) in a temporary folder removed at exit.
 */
export function prepareBenchEnvironment(): { stateDir: string } {
  if (!stateDir) {
    // Ctrl-C and kill still run the 'exit' handlers that remove the temporary folders.
    process.once('SIGINT', () => process.exit(130));
    process.once('SIGTERM', () => process.exit(143));
    stateDir = mkdtempSync(join(tmpdir(), 'explorer-bench-state-'));
    const dir = stateDir;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  process.env.EXPLORER_STATE_DIR = stateDir;
  process.env.PORT = String(BENCH_PORT);
  process.env.EXPLORER_TENANT_ID = '';
  process.env.EXPLORER_CLIENT_ID = '';
  process.env.EXPLORER_WORKSPACE_URL = '';
  process.env.EXPLORER_LAN = '';
  process.env.NODE_ENV = 'production';
  process.env.EXPLORER_SANDBOX_CONFIG = sandboxConfigWithPeer(stateDir);
  return { stateDir };
}

/**
 * The built-in sandbox directory with the sample-style peer's origin registered as a second
 * single-page-app redirect URI of the same app registration, so both sign in as the same client.
 */
function sandboxConfigWithPeer(dir: string): string {
  const file = join(dir, 'sandbox.bench.json');
  const apps = (DEFAULT_SANDBOX_CONFIG_INPUT.apps ?? []).map((app) =>
    app.redirectUris?.spa
      ? {
          ...app,
          redirectUris: { ...app.redirectUris, spa: [...app.redirectUris.spa, `https://localhost:${PEER_PORT}/`] },
        }
      : app,
  );
  writeFileSync(file, JSON.stringify({ apps }, null, 2));
  return file;
}

/** A temporary folder removed when the process exits. */
export function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * `vite build` of the app into `outDir`, through the project's own vite.config.ts.
 * @returns the bundle (chunks with their module lists) as the build produced it.
 */
export async function buildApp(outDir: string): Promise<Rolldown.RolldownOutput> {
  prepareBenchEnvironment();
  const result = await build({
    root: ROOT,
    configFile: CONFIG_FILE,
    mode: 'production',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  const outputs = Array.isArray(result) ? result : [result];
  const output = outputs[0];
  if (!output || !('output' in output))
    throw new Error('vite build returned no bundle (watch mode?); run it without --watch.');
  return output;
}

/** The served app and its sandbox. */
export interface ServedApp {
  /** `https://localhost:${BENCH_PORT}` */
  url: string;
  /** The build's output folder, as served. */
  outDir: string;
  entraUrl: string;
  workspaceUrl: string;
  /** The workspace as the app's proxy path names it: `localhost:${BENCH_PORT + 2}`. */
  workspaceHost: string;
  /** The local CA's PEM (everything here is signed by it). */
  ca: string;
  /** The localhost certificate and key the servers use, for a benchmark's own servers. */
  tls: { key: string; cert: string };
  /** Calls a sandbox control endpoint over loopback and returns its JSON body (or null for 204). */
  control(
    service: 'entra' | 'workspace',
    method: 'GET' | 'PUT' | 'DELETE' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<unknown>;
  close(): Promise<void>;
}

/** A request the sandbox recorded (both services list the same fields). */
export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  at: string;
}

/**
 * Builds the app and serves it with `vite preview`, which also starts the sandbox; resolves once
 * the app and both sandbox services answer.
 */
export async function startServedApp(): Promise<ServedApp> {
  const { stateDir: dir } = prepareBenchEnvironment();
  const outDir = temporaryDir('explorer-bench-dist-');
  await buildApp(outDir);
  const server: PreviewServer = await preview({
    root: ROOT,
    configFile: CONFIG_FILE,
    mode: 'production',
    logLevel: 'warn',
    build: { outDir },
  });
  const ca = readFileSync(join(dir, 'tls', 'ca.pem'), 'utf8');
  const tls = {
    key: readFileSync(join(dir, 'tls', 'localhost-key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'tls', 'localhost.pem'), 'utf8'),
  };
  const url = `https://localhost:${BENCH_PORT}`;
  const entraUrl = `https://localhost:${BENCH_PORT + 1}`;
  const workspaceUrl = `https://localhost:${BENCH_PORT + 2}`;
  const { control, agent } = sandboxControl(entraUrl, workspaceUrl, ca);

  const close = async () => {
    await server.close();
    await agent.close();
    // The sandbox plugin stops the sandbox when the preview server closes, without waiting.
    await Promise.all([waitUntilClosed(BENCH_PORT + 1), waitUntilClosed(BENCH_PORT + 2)]);
  };

  try {
    // The sandbox starts alongside the server; wait (bounded) until both control APIs answer.
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await control('entra', 'GET', '/_sandbox/requests');
        await control('workspace', 'GET', '/_sandbox/requests');
        break;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`The sandbox did not start on ports ${BENCH_PORT + 1} and ${BENCH_PORT + 2} within 30 s.`, {
            cause: error,
          });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }

  return { url, outDir, entraUrl, workspaceUrl, workspaceHost: `localhost:${BENCH_PORT + 2}`, ca, tls, control, close };
}

/** Calls to the sandbox control APIs over loopback, trusting the local CA. */
export function sandboxControl(
  entraUrl: string,
  workspaceUrl: string,
  ca: string,
): { control: ServedApp['control']; agent: Agent } {
  const agent = new Agent({ connect: { ca }, keepAliveTimeout: 1000 });
  async function control(
    service: 'entra' | 'workspace',
    method: string,
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    const base = service === 'entra' ? entraUrl : workspaceUrl;
    const response = await undiciFetch(`${base}${path}`, {
      method,
      dispatcher: agent,
      headers: { [CONTROL_HEADER]: '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(
        `Sandbox ${service} control ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`,
      );
    return text === '' ? null : JSON.parse(text);
  }
  return { control, agent };
}

/** Resolves when nothing accepts connections on the port any more (at most 5 s). */
async function waitUntilClosed(port: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: 'localhost', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (!open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Requests the sandbox recorded, grouped as "METHOD path" → count. */
export function countByEndpoint(requests: readonly RecordedRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const key = `${r.method} ${r.path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
