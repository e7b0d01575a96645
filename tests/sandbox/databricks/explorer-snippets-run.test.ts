import { describe, expect, it } from 'vitest';
import { buildExplorerSnippet, type SnippetKind } from '../../../src/app/api-explorer/snippets.ts';
import { has, run, startSnippetSandbox } from './snippet-sandbox.ts';

/**
 * The API Explorer's snippets as pasted (issue 15): curl, Python requests and the Databricks SDK
 * for JavaScript run against the sandbox workspace on this machine, with the server's CA bundle;
 * the SDK for Python and the CLI too when they are installed.
 */

const available: Record<SnippetKind, boolean> = {
  curl: await has('curl', ['--version']),
  python: await has('python3', ['-c', 'import requests']),
  'sdk-python': await has('python3', ['-c', 'import databricks.sdk']),
  'sdk-js': true,
  cli: await has('databricks', ['--version']),
};
const ANA_SCRATCH = '1123-231500-ana5cr4t';

const sandbox = startSnippetSandbox();

async function runSnippet(kind: SnippetKind, text: string): Promise<string> {
  const { caPath, env } = sandbox;
  const options = { env, timeout: 60_000, cwd: process.cwd() };
  if (kind === 'python' || kind === 'sdk-python') return (await run('python3', ['-c', text], options)).stdout;
  if (kind === 'sdk-js') {
    // The snippet's first line says how to run it: NODE_EXTRA_CA_CERTS=<the CA> node explorer.mjs.
    const node = { ...options, env: { ...env, NODE_EXTRA_CA_CERTS: caPath } };
    return (await run('node', ['--input-type=module', '-e', text], node)).stdout;
  }
  return (await run('bash', ['-c', text], options)).stdout;
}

describe('API Explorer snippets, run on the machine that runs the sandbox', () => {
  const kinds = (['curl', 'python', 'sdk-js', 'sdk-python', 'cli'] as const).filter((kind) => available[kind]);

  it.each(kinds)(
    '%s: a GET with a query parameter',
    async (kind) => {
      const { t, caPath } = sandbox;
      const text = buildExplorerSnippet(
        kind,
        { method: 'GET', path: '/api/2.1/clusters/get', query: [['cluster_id', ANA_SCRATCH]], body: '', headers: [] },
        { workspaceUrl: t.url, caBundlePath: caPath },
      );
      expect(await runSnippet(kind, text)).toMatch(/"cluster_name":\s*"ana-scratch"/);
    },
    90_000,
  );

  it.each(kinds)(
    '%s: a POST with a JSON body starts a cluster',
    async (kind) => {
      const { t, caPath } = sandbox;
      const stateOf = async () =>
        ((await (await t.get(`/api/2.1/clusters/get?cluster_id=${ANA_SCRATCH}`)).json()) as { state: string }).state;
      expect((await t.call('/_sandbox/reset', { method: 'POST' })).status).toBeLessThan(300);
      expect(await stateOf()).toBe('TERMINATED');
      const text = buildExplorerSnippet(
        kind,
        {
          method: 'POST',
          path: '/api/2.1/clusters/start',
          query: [],
          body: `{"cluster_id": "${ANA_SCRATCH}"}`,
          headers: [],
        },
        { workspaceUrl: t.url, caBundlePath: caPath },
      );
      await runSnippet(kind, text);
      expect(await stateOf()).toBe('PENDING');
    },
    90_000,
  );
});
