import { afterEach, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../../src/app/config/load-config.ts';
import { inlineRuntimeConfig } from '../../../src/app/config/runtime-config-path.ts';

afterEach(() => document.getElementById('explorer-runtime-config')?.remove());

function putInPage(json: string, type = 'application/json') {
  const element = document.createElement('script');
  element.type = type;
  element.id = 'explorer-runtime-config';
  element.textContent = json;
  document.head.append(element);
}

describe('the runtime configuration carried by the page', () => {
  it('is read from the page as /explorer-config.json would answer, and validated the same way', async () => {
    putInPage('{"tenantId":"a1bc2d34-5e67-8f89-01ab-c2345d6c78de","cloud":"sandbox","sandbox":true}');
    const response = inlineRuntimeConfig();
    expect(response?.headers.get('content-type')).toBe('application/json');
    const result = await loadAppConfig({ fetch: async () => response as Response });
    expect(result.wire).toEqual({ tenantId: 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de', cloud: 'sandbox', sandbox: true });
  });

  it('is absent when another server sent the page (the app then requests it)', () => {
    expect(inlineRuntimeConfig()).toBeUndefined();
    putInPage('{}', 'text/javascript');
    expect(inlineRuntimeConfig()).toBeUndefined();
  });
});
