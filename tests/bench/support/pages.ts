/**
 * The two pages the app is compared with, each served like the app: an in-process `vite preview`
 * (HTTP/2 over TLS with the local certificate, sirv's `no-cache` + ETag for static files, the
 * build's hashed `/assets/*` files `immutable` as the app's server sends them) that sends the app's
 * own security headers (`buildSecurityHeaders`: the same CSP and `Cross-Origin-Opener-Policy`),
 * on its own loopback port:
 *
 * - the bare page (BARE_PORT): the floor. A page that does nothing but fetch every page of
 *   `clusters/list` with a known access token through the app's proxy middleware
 *   (`createProxyMiddleware`) and print the clusters;
 * - the sample-style peer (PEER_PORT, tests/bench/peer/): React + `@azure/msal-react` as
 *   Microsoft's samples build it, built here with Vite and calling the workspace through Vite's
 *   own `preview.proxy`.
 *
 * Both print "N clusters" in `#status` when done and their rows in `#clusters`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Connect, type Plugin, type PreviewServer, preview, type Rolldown } from 'vite';
import { buildSecurityHeaders, createAssetCachingMiddleware, createProxyMiddleware } from '../../../src/proxy/index.ts';
import {
  BARE_PORT,
  PEER_PORT,
  SANDBOX_CLIENT_ID,
  SANDBOX_TENANT_ID,
  type ServedApp,
  temporaryDir,
} from './app-server.ts';

export interface ServedPage {
  url: string;
  /** The static files served (the build's output folder). */
  outDir: string;
  close(): Promise<void>;
}

const PEER_DIR = join(import.meta.dirname, '..', 'peer');

/**
 * The app's security headers on every response, and its caching of the build's hashed files, as
 * `explorerServerPlugin` sends them in `vite preview`.
 */
function appHeaders(identityOrigins: readonly string[], outDir: string): Plugin {
  const headers = Object.entries(buildSecurityHeaders({ identityOrigins, dev: false }));
  return {
    name: 'bench:app-security-headers',
    configurePreviewServer(server) {
      server.middlewares.use((_req, res, next) => {
        for (const [name, value] of headers) res.setHeader(name, value);
        next();
      });
      server.middlewares.use(createAssetCachingMiddleware(outDir));
    },
  };
}

async function servePreview(options: {
  outDir: string;
  port: number;
  app: ServedApp;
  plugins?: Plugin[];
  proxy?: Record<string, object>;
}): Promise<PreviewServer> {
  return preview({
    configFile: false,
    // Not the folder itself: Vite warns when the output folder is the root.
    root: join(options.outDir, '..'),
    logLevel: 'warn',
    appType: 'spa',
    plugins: [appHeaders([new URL(options.app.entraUrl).origin], options.outDir), ...(options.plugins ?? [])],
    build: { outDir: options.outDir },
    preview: {
      host: 'localhost',
      port: options.port,
      strictPort: true,
      https: options.app.tls,
      cors: false,
      ...(options.proxy ? { proxy: options.proxy } : {}),
    },
  });
}

const BARE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Bare clusters page</title>
<script type="module" crossorigin src="/bare.js"></script></head>
<body><p id="status">Loading…</p></body></html>
`;

/** The bare page's script: the same requests the app makes for the list (page size 100, sequential). */
function bareScript(workspaceHost: string, token: string): string {
  return `const TOKEN = ${JSON.stringify(token)};
const LIST = ${JSON.stringify(`/databricks/${workspaceHost}/api/2.1/clusters/list`)};
const status = document.getElementById('status');
const pre = document.createElement('pre');
pre.id = 'clusters';
const lines = [];
let pageToken = '';
do {
  const query = new URLSearchParams({ page_size: '100' });
  if (pageToken) query.set('page_token', pageToken);
  const response = await fetch(LIST + '?' + query, { headers: { Authorization: 'Bearer ' + TOKEN } });
  if (!response.ok) throw new Error('clusters/list answered ' + response.status);
  const body = await response.json();
  for (const c of body.clusters ?? []) lines.push(c.cluster_name + '\\t' + c.state + '\\t' + c.cluster_id);
  pre.textContent = lines.join('\\n');
  if (!pre.isConnected) document.body.append(pre);
  pageToken = body.next_page_token ?? '';
} while (pageToken);
status.textContent = lines.length + ' clusters';
`;
}

/**
 * Serves the bare page with `token` (the app's, taken after its sign-in). The token is written
 * only into the script file in a temporary folder removed at exit, never into a URL or a log.
 */
export async function startBarePage(app: ServedApp, token: string): Promise<ServedPage> {
  const outDir = temporaryDir('explorer-bench-bare-');
  writeFileSync(join(outDir, 'index.html'), BARE_HTML);
  writeFileSync(join(outDir, 'bare.js'), bareScript(app.workspaceHost, token));
  const proxy = createProxyMiddleware({ extraHosts: [app.workspaceHost], extraCa: app.ca, log: () => {} });
  const server = await servePreview({
    outDir,
    port: BARE_PORT,
    app,
    plugins: [
      {
        name: 'bench:databricks-proxy',
        configurePreviewServer(s) {
          s.middlewares.use(proxy as Connect.NextHandleFunction);
        },
      },
    ],
  });
  return {
    url: `https://localhost:${BARE_PORT}`,
    outDir,
    async close() {
      await server.close();
      await proxy.close();
    },
  };
}

/** `vite build` of tests/bench/peer/ with the sandbox's settings compiled in. */
export async function buildPeer(app: ServedApp, outDir: string): Promise<Rolldown.RolldownOutput> {
  mkdirSync(outDir, { recursive: true });
  const entra = new URL(app.entraUrl);
  const result = await build({
    configFile: false,
    root: PEER_DIR,
    mode: 'production',
    logLevel: 'warn',
    define: {
      PEER_SETTINGS: JSON.stringify({
        clientId: SANDBOX_CLIENT_ID,
        authority: `${entra.origin}/${SANDBOX_TENANT_ID}`,
        knownAuthority: entra.host,
      }),
    },
    oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
    // One bundle as the sample's `vite build` makes it; React and MSAL are over Vite's 500 kB warning.
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  });
  const output = (Array.isArray(result) ? result : [result])[0];
  if (!output || !('output' in output)) throw new Error('vite build of the peer returned no bundle.');
  return output;
}

/** Builds the peer and serves it, `/api` proxied by Vite to the sandbox workspace. */
export async function startPeer(app: ServedApp): Promise<ServedPage> {
  const outDir = temporaryDir('explorer-bench-peer-');
  await buildPeer(app, outDir);
  const server = await servePreview({
    outDir,
    port: PEER_PORT,
    app,
    proxy: { '/api': { target: app.workspaceUrl, changeOrigin: true, secure: true, ca: app.ca } },
  });
  return {
    url: `https://localhost:${PEER_PORT}`,
    outDir,
    close: () => server.close(),
  };
}
