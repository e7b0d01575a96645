/**
 * When an authorization code is burnt, as the README states it: at the first redemption attempt
 * by its own client from a browser (with an Origin), even a failed one (wrong verifier, wrong
 * redirect URI, expired). An attempt that names another client, or comes without an Origin, is
 * refused before the code is looked at further, and the code stays usable by its own client.
 */
import { describe, expect, it } from 'vitest';
import { setUpEntraSandbox } from './file-sandbox.ts';
import { browserRedeem, signInForCode, WEB_CLIENT } from './support.ts';

const sandbox = setUpEntraSandbox();

describe('burning an authorization code', () => {
  it.each([
    ['names another client', { client_id: WEB_CLIENT }, undefined, 70000],
    ['comes without an Origin (not from a browser)', {}, {}, 9002327],
  ] as const)('leaves the code usable when an attempt %s', async (_name, fields, headers, refusal) => {
    const harness = await sandbox.start();
    const { code, verifier } = await signInForCode(harness);
    const attempt = await browserRedeem(harness, { code, code_verifier: verifier, ...fields }, headers);
    expect(attempt.body).toMatchObject({ error_codes: [refusal] });
    const own = await browserRedeem(harness, { code, code_verifier: verifier });
    expect(own.status).toBe(200);
  });

  it.each([
    ['a wrong verifier', { code_verifier: 'A'.repeat(43) }, 501481],
    ['another redirect URI', { redirect_uri: 'https://localhost:5173/other' }, 500112],
  ] as const)('burns the code at a failed attempt by its own client with %s', async (_name, fields, refusal) => {
    const harness = await sandbox.start();
    const { code, verifier } = await signInForCode(harness);
    const attempt = await browserRedeem(harness, { code, code_verifier: verifier, ...fields });
    expect(attempt.body).toMatchObject({ error_codes: [refusal] });
    const own = await browserRedeem(harness, { code, code_verifier: verifier });
    expect(own.body).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
  });
});
