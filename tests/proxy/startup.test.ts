/**
 * Starting the server with a bad setting, a port in use, LAN mode on the dev server or a bad
 * sandbox configuration file ends at once with one paragraph saying what to do, never a stack
 * trace, and never with a server left running half-configured.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ensurePortsFree, refuseLanOnDevServer, resolveServerSettings } from '../../src/proxy/index.ts';
import { removeTestTls, testTls } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let stateDir: string;

beforeAll(async () => {
  // The spawned servers keep their TLS material in the test's temporary folder.
  stateDir = join((await testTls()).caPath, '..', '..');
});
afterAll(() => removeTestTls());

/** Runs `vite` (dev) or `vite preview` with `env` until it exits; a server that keeps running fails the test by timeout. */
function startServer(
  command: 'dev' | 'preview',
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/vite/bin/vite.js'), ...(command === 'preview' ? ['preview'] : [])],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', EXPLORER_STATE_DIR: stateDir, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    // A server that starts anyway is stopped when the test gives up, never left running.
    const stop = () => {
      child.kill();
    };
    process.once('exit', stop);
    onTestFinished(stop);
    child.on('exit', (code) => {
      process.off('exit', stop);
      resolve({ code, output });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, 'localhost', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const NO_TRACE = /^\s+at /m;

describe('starting the server', { timeout: 60_000 }, () => {
  it('stops on a bad setting with the variable and what it expects', async () => {
    const { code, output } = await startServer('dev', {
      PORT: String(await freePort()),
      EXPLORER_CLIENT_ID: 'not-a-guid',
      EXPLORER_TENANT_ID: 'contoso.onmicrosoft.com',
      EXPLORER_WORKSPACE_URL: 'https://adb-1.2.azuredatabricks.net',
    });
    expect(code).toBe(1);
    expect(output).toContain('EXPLORER_CLIENT_ID is invalid: received "not-a-guid"');
    expect(output).not.toMatch(NO_TRACE);
  });

  it('refuses LAN mode on the dev server and says why', async () => {
    const { code, output } = await startServer('dev', { PORT: String(await freePort()), EXPLORER_LAN: '1' });
    expect(code).toBe(1);
    expect(output).toContain('EXPLORER_LAN=1 is refused for the dev server');
    expect(output).toContain('/__open-in-editor');
    expect(output).not.toMatch(NO_TRACE);
  });

  it('stops when EXPLORER_SANDBOX_CONFIG names a missing file, naming the variable and the file', async () => {
    const missing = join(stateDir, 'no-such-sandbox.jsonc');
    const { code, output } = await startServer('dev', {
      PORT: String(await freePort()),
      EXPLORER_SANDBOX_CONFIG: missing,
    });
    expect(code).toBe(1);
    expect(output).toContain(`Cannot read the sandbox configuration ${missing} (EXPLORER_SANDBOX_CONFIG).`);
    expect(output).toContain('no-such-sandbox.jsonc:1:1: (file): ENOENT');
    expect(output).not.toMatch(NO_TRACE);
  });

  it('stops when EXPLORER_SANDBOX_CONFIG is invalid JSON with comments, naming the line and column', async () => {
    const file = join(stateDir, 'broken-sandbox.jsonc');
    writeFileSync(file, '{\n  // the demo users\n  "users": [ { "upn": 5 } ]\n}\n');
    const { code, output } = await startServer('dev', {
      PORT: String(await freePort()),
      EXPLORER_SANDBOX_CONFIG: file,
    });
    expect(code).toBe(1);
    expect(output).toContain(`The sandbox configuration ${file} (EXPLORER_SANDBOX_CONFIG) is invalid:`);
    expect(output).toContain('broken-sandbox.jsonc:3:23: users[0].upn: expected string, received number');
    expect(output).toContain('unset EXPLORER_SANDBOX_CONFIG');
    expect(output).not.toMatch(NO_TRACE);
  });

  describe('with a port in use', () => {
    let held: Server;
    let port: number;
    beforeAll(async () => {
      port = await freePort();
      held = createServer().listen(port + 2, 'localhost');
      await new Promise((resolve) => held.once('listening', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => held.close(() => resolve())));

    it('stops before anything listens, naming the port and what needs it', async () => {
      const { code, output } = await startServer('preview', { PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(`Port ${port + 2} on localhost (the sandbox workspace) is in use.`);
      expect(output).toContain('PORT=<port>');
      expect(output).not.toMatch(NO_TRACE);
    });
  });
});

describe('the start-up checks', () => {
  it('says when the LAN address is not one of this machine', async () => {
    // 192.0.2.0/24 is reserved for documentation (RFC 5737): never a local address.
    await expect(ensurePortsFree('192.0.2.1', [{ port: 6199, what: 'the app' }])).rejects.toThrow(
      "Cannot listen on 192.0.2.1 (the app, port 6199): it is not an address of this machine. Set EXPLORER_LAN_ADDRESS to one of this machine's addresses, or unset it to listen on every interface.",
    );
  });

  it('allow LAN mode for the built app only', () => {
    const lan = resolveServerSettings({ EXPLORER_LAN: '1' });
    expect(() => refuseLanOnDevServer(lan, false)).not.toThrow();
    expect(() => refuseLanOnDevServer(lan, true)).toThrow(
      expect.objectContaining({ code: 'SERVER_LAN_ON_DEV_SERVER' }),
    );
    expect(() => refuseLanOnDevServer(resolveServerSettings({}), true)).not.toThrow();
  });

  it('name a port that is taken', async () => {
    const held = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => held.once('listening', resolve));
    const { port } = held.address() as { port: number };
    try {
      await expect(ensurePortsFree('127.0.0.1', [{ port, what: 'the app' }])).rejects.toMatchObject({
        code: 'SERVER_PORT_IN_USE',
        message: expect.stringContaining(`Port ${port} on 127.0.0.1 (the app) is in use.`),
      });
    } finally {
      held.close();
    }
  });
});
