import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, buildConnector, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs, type RunningServices, startServices } from '../../src/sandbox/cli.ts';

describe('npm run sandbox under real host names', () => {
  const state = mkdtempSync(join(tmpdir(), 'explorer-cli-'));
  const previous = process.env.EXPLORER_STATE_DIR;
  let services: RunningServices;

  beforeAll(async () => {
    process.env.EXPLORER_STATE_DIR = state;
    const options = parseCliArgs(
      [
        '--port=0',
        '--workspace-port=0',
        '--public-url=https://login.microsoftonline.us',
        '--workspace-public-url=https://adb-1234567890123456.7.databricks.azure.us',
        '--quiet',
      ],
      {},
    );
    services = await startServices(options, () => undefined);
  }, 60_000);

  afterAll(async () => {
    await services?.close();
    if (previous === undefined) delete process.env.EXPLORER_STATE_DIR;
    else process.env.EXPLORER_STATE_DIR = previous;
    rmSync(state, { recursive: true, force: true });
  });

  /** A client that trusts only the local CA and connects to `port` on loopback whatever the name. */
  function clientFor(port: number, ca: string) {
    const connect = buildConnector({ ca });
    return new Agent({
      connect: (target, callback) =>
        connect({ ...target, hostname: '127.0.0.1', port: String(port), servername: target.hostname }, callback),
    });
  }

  it('serves a certificate for those names from the local CA, with the real issuer values', async () => {
    const { readFile } = await import('node:fs/promises');
    const ca = await readFile(join(state, 'tls', 'ca.pem'), 'utf8');
    expect(services.entra.url).toBe('https://login.microsoftonline.us');
    const entra = clientFor(services.entra.port, ca);
    const metadata = await request(
      `https://login.microsoftonline.us/${services.config.tenants[0]?.id}/v2.0/.well-known/openid-configuration`,
      { dispatcher: entra },
    );
    expect(metadata.statusCode).toBe(200);
    expect(((await metadata.body.json()) as { issuer: string }).issuer).toBe(
      `https://login.microsoftonline.us/${services.config.tenants[0]?.id}/v2.0`,
    );
    await entra.close();
    const workspace = clientFor(services.workspace.port, ca);
    const clusters = await request('https://adb-1234567890123456.7.databricks.azure.us/api/2.0/clusters/list', {
      dispatcher: workspace,
    });
    expect(clusters.statusCode).toBe(401); // TLS passed for the workspace's name; no token sent
    await clusters.body.dump();
    await workspace.close();
  });
});
