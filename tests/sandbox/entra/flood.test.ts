/**
 * A web page can make the browser send `/authorize` requests to the sandbox by the thousand
 * (`no-cors` fetches); the sandbox runs inside `npm start`, so what it keeps for each must stay
 * bounded: by count and by bytes, the oldest sign-in dropped first, and memory flat.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { MAX_PENDING_SIGN_IN_BYTES, MAX_PENDING_SIGN_INS } from '../../../src/sandbox/entra/store.ts';
import { setUpEntraSandbox } from './file-sandbox.ts';
import { browserAuthorizeUrl } from './support.ts';

const sandbox = setUpEntraSandbox();

/** Full-size values, as a hostile page would send them: state 4096, nonce and login_hint 1024 characters. */
function floodUrl(i: number): string {
  return browserAuthorizeUrl(sandbox.shared, {
    state: `${i}-${'s'.repeat(4090)}`,
    nonce: 'n'.repeat(1024),
    login_hint: `${'h'.repeat(1000)}@contoso.example`,
  }).url;
}

async function flood(count: number, from: number): Promise<void> {
  const concurrency = 25;
  let next = from;
  const worker = async () => {
    while (next < from + count) {
      const response = await sandbox.shared.fetch(floodUrl(next++));
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const gc = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('a flood of /authorize requests', { timeout: 180_000 }, () => {
  it('keeps at most the configured number and bytes of sign-ins in progress, and memory stays flat', async () => {
    const harness = sandbox.shared;
    // Fill the bound first, then measure the steady state across as many requests again and more.
    await flood(MAX_PENDING_SIGN_INS + 200, 0);
    const filled = harness.entra.pendingSignIns();
    expect(filled.count).toBeLessThanOrEqual(MAX_PENDING_SIGN_INS);
    expect(filled.bytes).toBeLessThanOrEqual(MAX_PENDING_SIGN_IN_BYTES);
    const before = heapUsed();
    await flood(2 * MAX_PENDING_SIGN_INS, 10_000);
    const after = heapUsed();
    const pending = harness.entra.pendingSignIns();
    expect(pending.count).toBeLessThanOrEqual(MAX_PENDING_SIGN_INS);
    expect(pending.bytes).toBeLessThanOrEqual(MAX_PENDING_SIGN_IN_BYTES);
    // 2,000 more sign-ins of ~12 KB each would be ~24 MB unbounded; allow a few MB of noise.
    expect((after - before) / 2 ** 20).toBeLessThan(6);
  });

  it('drops the oldest sign-in first: its page no longer continues, the newest one does', async () => {
    const harness = sandbox.shared;
    const oldest = await (await harness.fetch(floodUrl(1))).text();
    await flood(MAX_PENDING_SIGN_INS, 20_000);
    const newest = await (await harness.fetch(floodUrl(2))).text();
    const ctxOf = (html: string) => /name="ctx" value="([^"]+)"/.exec(html)?.[1];
    const post = (ctx: string | undefined) =>
      harness.fetch(`${harness.authority}login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          ctx: ctx ?? '',
          username: 'ana@contoso.example',
          password: 'ana-sandbox',
        }).toString(),
      });
    expect(ctxOf(oldest)).toBeDefined();
    const expired = 'the sign-in has expired or was already completed';
    expect(await (await post(ctxOf(oldest))).text()).toContain(expired);
    const fresh = await post(ctxOf(newest));
    expect(fresh.status).toBeLessThan(400);
    expect(await fresh.text()).not.toContain(expired);
  });
});
