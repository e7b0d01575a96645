import { describe, expect, it } from 'vitest';
import { PROXY_REFUSAL_CODES, type ProxyRefusalCode } from '../../src/app/databricks/proxy-codes.ts';
import { ProxyError, type ProxyErrorCode } from '../../src/proxy/index.ts';

// The proxy's codes and the app's closed list of them describe the same wire values (the parts do
// not import each other). The type-check fails when one side gains a code the other lacks.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameCodes: Same<ProxyErrorCode, ProxyRefusalCode> = true;

describe("the app's list of proxy codes", () => {
  it('names every code the proxy answers with, each once, with the status the proxy gives it', () => {
    expect(sameCodes).toBe(true);
    expect(new Set(PROXY_REFUSAL_CODES).size).toBe(PROXY_REFUSAL_CODES.length);
    for (const code of PROXY_REFUSAL_CODES) {
      const body = new ProxyError(code, 'x').toJSON();
      expect(body.error.code).toBe(code);
      expect(new ProxyError(code, 'x').status).toBeGreaterThanOrEqual(400);
    }
  });
});
