import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { removeTestTls, startTestWorkspace, type TestWorkspace, testTls } from './helpers.ts';

/** Shared set-up of the test files that run the app's snippets as pasted against the sandbox workspace. */

export const run = promisify(execFile);

/** Whether `command args` runs and exits 0 on this machine (a tool or module being installed). */
export async function has(command: string, args: string[]): Promise<boolean> {
  try {
    await run(command, args, { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

export interface SnippetSandbox {
  t: TestWorkspace;
  /** The sandbox CA's PEM file, what the snippets name for TLS. */
  caPath: string;
  /** The environment a person would have: `DATABRICKS_TOKEN` exported, no proxy for loopback. */
  env: NodeJS.ProcessEnv;
}

/**
 * Starts one sandbox workspace for the calling test file before its tests and closes it after;
 * the returned object is filled in by the time the tests run.
 */
export function startSnippetSandbox(): SnippetSandbox {
  const sandbox = {} as SnippetSandbox;
  beforeAll(async () => {
    sandbox.t = await startTestWorkspace();
    sandbox.caPath = (await testTls()).tls.caPath;
    // The token the person would export; no proxy between the snippet and the loopback workspace.
    sandbox.env = { ...process.env, DATABRICKS_TOKEN: await sandbox.t.token('ben'), NO_PROXY: '*', no_proxy: '*' };
  }, 30_000);
  afterAll(async () => {
    await sandbox.t?.close();
    await removeTestTls();
  });
  return sandbox;
}
