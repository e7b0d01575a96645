// The Vitest hooks around a file's sandbox Entra ID. Apart from ./support.ts, which the Playwright
// specs import too and which must therefore not import Vitest.
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { SandboxConfig } from '../../../src/sandbox/config-schema.ts';
import type { EntraOptions } from '../../../src/sandbox/entra/index.ts';
import { type Harness, removeSharedState, startHarness } from './support.ts';

/** A test file's sandbox Entra ID: one shared for the file, and fresh ones for tests that need their own. */
export interface EntraSandbox {
  /** Started in the file's `beforeAll`; for tests that leave no state behind that others would see. */
  readonly shared: Harness;
  /** Starts a harness of the test's own (fresh state, a clock, a configuration), closed after the test. */
  start(config?: SandboxConfig, options?: Partial<EntraOptions>): Promise<Harness>;
}

/**
 * Registers the file's hooks: `beforeAll` starts the shared harness, and with it generates the CA,
 * the TLS key and the signing key (seconds on a busy machine, so never inside a test);
 * `afterEach` closes what the test started; `afterAll` closes the shared harness and removes the
 * state folder. A harness of a test's own starts quickly once the keys exist.
 */
export function setUpEntraSandbox(): EntraSandbox {
  let shared: Harness | undefined;
  const started: Harness[] = [];
  beforeAll(async () => {
    shared = await startHarness();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((h) => h.close()));
  });
  afterAll(async () => {
    await shared?.close();
    await removeSharedState();
  });
  return {
    get shared() {
      if (shared === undefined) throw new Error('the shared sandbox starts in beforeAll; use it inside a test or hook');
      return shared;
    },
    async start(config, options) {
      const harness = await startHarness(config, options);
      started.push(harness);
      return harness;
    },
  };
}
