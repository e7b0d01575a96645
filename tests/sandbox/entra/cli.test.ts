import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CliUsageError, parseCliArgs } from '../../../src/sandbox/cli.ts';
import { ensureLocalTls } from '../../../src/sandbox/tls.ts';

let stateDir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'entra-cli-'));
  await ensureLocalTls(join(stateDir, 'tls'));
});
afterEach(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});
afterAll(() => rm(stateDir, { recursive: true, force: true }));

function runCli(args: string[]): {
  output: () => string;
  exited: Promise<number | null>;
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
} {
  let output = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/cli.ts', ...args], {
    env: { ...process.env, EXPLORER_STATE_DIR: stateDir, PORT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    output: () => output,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            listeners.delete(check);
            resolve(match);
          }
        };
        listeners.add(check);
        exited.then(() => reject(new Error(`the CLI exited before printing ${pattern}:\n${output}`)));
        check();
      }),
  };
}

describe('npm run sandbox', { timeout: 60_000 }, () => {
  it('serves the sandbox, prints the base URL, IDs and demo users, and stops cleanly on SIGTERM', async () => {
    const run = runCli(['--host', '127.0.0.1', '--port', '0', '--workspace-port', '0']);
    const [, url] = await run.waitFor(/listening on (https:\/\/127\.0\.0\.1:\d+)/);
    await run.waitFor(/Stop with Ctrl\+C/);
    expect(run.output()).toContain('a1bc2d34-5e67-8f89-01ab-c2345d6c78de');
    expect(run.output()).toContain('12a34b56-789c-0d12-e3fa-b456789c0123');
    expect(run.output()).toMatch(/eve@contoso\.example\s+eve-sandbox/);
    const tls = await ensureLocalTls(join(stateDir, 'tls'));
    const dispatcher = new Agent({ connect: { ca: tls.ca } });
    const response = await fetch(`${url}/contoso.example/v2.0/.well-known/openid-configuration`, { dispatcher });
    expect(response.status).toBe(200);
    // The workspace runs beside it on its own port and, like a real one, wants a bearer token.
    const [, workspaceUrl] = run.output().match(/workspace listening on (https:\/\/127\.0\.0\.1:\d+)/) ?? [];
    expect(workspaceUrl).toBeDefined();
    expect(workspaceUrl).not.toBe(url);
    const clusters = await fetch(`${workspaceUrl}/api/2.0/clusters/list`, { dispatcher });
    expect(clusters.status).toBe(401);
    expect(await clusters.json()).toMatchObject({ error_code: 401 });
    await dispatcher.close();
    child!.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('Sandbox stopped.');
  });

  it('exits with a line-precise message for an invalid configuration file', async () => {
    const file = join(stateDir, 'bad.json');
    await writeFile(
      file,
      '{\n  "users": [\n    { "upn": "x@contoso.example", "name": "X", "oid": "nope", "password": "p" }\n  ]\n}\n',
    );
    const run = runCli(['--port', '0', '--config', file]);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('bad.json:3:55: users[0].oid: expected a GUID');
  });
});

describe('the command line', () => {
  it.each([
    [['--port', 'eighty'], '--port must be a whole number'],
    [['--cert', 'c.pem'], '--cert and --key go together'],
    [['--public-url', 'http://x.example'], '--public-url must be an https origin'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j with a message saying what to fix', (args, message) => {
    expect(() => parseCliArgs(args, {})).toThrow(CliUsageError);
    expect(() => parseCliArgs(args, {})).toThrow(message);
  });

  it('defaults to localhost on the port after PORT, and adds the demo origin for a changed PORT', () => {
    expect(parseCliArgs([], {})).toMatchObject({ host: 'localhost', port: 5174, redirectUris: [] });
    expect(parseCliArgs([], { PORT: '8080' })).toMatchObject({ port: 8081, redirectUris: ['https://localhost:8080/'] });
  });
});
