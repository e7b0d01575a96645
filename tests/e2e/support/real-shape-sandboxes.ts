/**
 * The identity providers and workspaces of the real-shape journeys: one sandbox per Azure cloud,
 * serving under the cloud's real host names (`https://login.microsoftonline.com`,
 * `https://adb-….azuredatabricks.net`, …) with one certificate for all of them from the local CA.
 * Run by the Playwright config as a web server: `npx tsx tests/e2e/support/real-shape-sandboxes.ts`
 * with E2E_PORT set. Stops on SIGTERM or SIGINT.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadSandboxConfig, type RunningSandbox, startSandbox } from '../../../src/sandbox/index.ts';
import { issueLocalCertificate, LOCAL_TLS_NAMES } from '../../../src/sandbox/tls.ts';
import { appOrigins, CLOUDS, certificatePath, realShapePorts, SIGN_IN_HOST, WORKSPACE_HOST } from './real-shape.ts';

const root = resolve(import.meta.dirname, '..', '..', '..');
const ports = realShapePorts();
const names = CLOUDS.flatMap((cloud) => [SIGN_IN_HOST[cloud], WORKSPACE_HOST[cloud]]);
const tls = await issueLocalCertificate([...LOCAL_TLS_NAMES, ...names]);
const certFile = resolve(root, certificatePath());
await mkdir(dirname(certFile), { recursive: true });
await writeFile(certFile, tls.cert);

const base = await loadSandboxConfig(resolve(root, 'tests/e2e/fixtures/real-shape-sandbox.jsonc'));
const redirectUris = appOrigins().map((origin) => `${origin}/`);
const running: RunningSandbox[] = [];
for (const cloud of CLOUDS) {
  const workspaceId = /^adb-(\d+)\./.exec(WORKSPACE_HOST[cloud])?.[1] ?? '';
  running.push(
    await startSandbox({
      config: {
        ...base,
        apps: base.apps.map((app) => ({ ...app, redirectUris: { ...app.redirectUris, spa: redirectUris } })),
        workspace: { ...base.workspace, workspaceId, hostLabel: WORKSPACE_HOST[cloud] },
      },
      tls,
      host: '127.0.0.1',
      entraPort: ports.entra(cloud),
      workspacePort: ports.workspace(cloud),
      entraPublicUrl: `https://${SIGN_IN_HOST[cloud]}`,
      workspacePublicUrl: `https://${WORKSPACE_HOST[cloud]}`,
      log: (line) => console.log(`[${cloud}] ${line}`),
    }),
  );
  console.log(
    `[${cloud}] https://${SIGN_IN_HOST[cloud]} on 127.0.0.1:${ports.entra(cloud)}, https://${WORKSPACE_HOST[cloud]} on 127.0.0.1:${ports.workspace(cloud)}`,
  );
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void Promise.allSettled(running.map((sandbox) => sandbox.close())).then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
