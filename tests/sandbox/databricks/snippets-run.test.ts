import { describe, expect, it } from 'vitest';
import { buildCurlSnippet, buildPythonSnippet, CLASSIC_CALL } from '../../../src/app/snippets/snippets.ts';
import { has, run, startSnippetSandbox } from './snippet-sandbox.ts';

/**
 * "Show me how" as pasted: the app's curl and Python snippets, run with bash and python3 against
 * the sandbox workspace on this machine. With the server's CA bundle they work; without it they
 * fail as issue 11 reported ("unable to get local issuer certificate").
 */

const curlAvailable = await has('curl', ['--version']);
const pythonRequestsAvailable = await has('python3', ['-c', 'import requests']);
const sandbox = startSnippetSandbox();

describe('the snippets, run on the machine that runs the sandbox', () => {
  it.skipIf(!curlAvailable)('lists the clusters with curl as pasted, trusting the named CA bundle', async () => {
    const { t, caPath, env } = sandbox;
    const snippet = buildCurlSnippet(CLASSIC_CALL, { workspaceUrl: t.url, caBundlePath: caPath });
    expect(snippet).toContain(`--cacert '${caPath}'`);
    const { stdout } = await run('bash', ['-c', snippet], { env, timeout: 30_000 });
    expect((JSON.parse(stdout) as { clusters: unknown[] }).clusters).toHaveLength(13);
  });

  it.skipIf(!curlAvailable)('fails with curl without the CA bundle, as the issue reported', async () => {
    const { t, env } = sandbox;
    const snippet = buildCurlSnippet(CLASSIC_CALL, { workspaceUrl: t.url });
    const error = await run('bash', ['-c', snippet], { env, timeout: 30_000 }).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect(error).toMatchObject({ code: 60 });
    expect((error as { stderr: string }).stderr).toMatch(/certificate/i);
  });

  it.skipIf(!pythonRequestsAvailable)(
    'lists the clusters with Python requests as pasted, verify= naming the CA',
    async () => {
      const { t, caPath, env } = sandbox;
      const snippet = buildPythonSnippet(CLASSIC_CALL, { workspaceUrl: t.url, caBundlePath: caPath });
      expect(snippet).toContain(`verify="${caPath}",`);
      const { stdout } = await run('python3', ['-c', snippet], { env, timeout: 30_000 });
      expect((JSON.parse(stdout) as { clusters: unknown[] }).clusters).toHaveLength(13);
    },
  );

  it.skipIf(!pythonRequestsAvailable)('fails with Python without the CA bundle', async () => {
    const { t, env } = sandbox;
    const snippet = buildPythonSnippet(CLASSIC_CALL, { workspaceUrl: t.url });
    const error = await run('python3', ['-c', snippet], { env, timeout: 30_000 }).catch((e: { stderr: string }) => e);
    expect((error as { stderr: string }).stderr).toMatch(/SSLError|CERTIFICATE_VERIFY_FAILED/);
  });
});
