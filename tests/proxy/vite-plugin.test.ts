import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Agent, request } from 'undici';
import { createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explorerServerPlugin, type RuntimeConfig } from '../../src/proxy/index.ts';
import { closedAfter, slowClients } from '../support/slow-clients.ts';
import { createClient, removeTestTls, startUpstream, testTls, type Upstream } from './helpers.ts';

const RUNTIME_CONFIG: RuntimeConfig = {
  tenantId: 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de',
  cloud: 'sandbox',
  sandbox: true,
};
/** Short limits, so slow clients are closed within the test (vite.config.ts sets the real ones). */
const LIMITS = { handshake: 500, headers: 500, idle: 1000 };
/** A chunk named as `vite build` names them: `assets/{name}-{8-character hash}.js`. */
const HASHED_CHUNK = 'app-DnHGCiqp.js';
const CHUNK = 'export const app = 1;\n';
const INDEX =
  '<!doctype html><html><head><title>Explorer</title>\n    <link rel="preload" href="/explorer-config.json" as="fetch" crossorigin />\n</head><body><div id="app"></div></body></html>';

/** The runtime configuration the page carries, parsed; `undefined` when it carries none. */
function configInPage(html: string): unknown {
  const json = /<script type="application\/json" id="explorer-runtime-config">([^<]*)<\/script>/.exec(html)?.[1];
  return json === undefined ? undefined : JSON.parse(json);
}

let root: string;
let upstream: Upstream;
let client: Agent;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'explorer-vite-'));
  writeFileSync(join(root, 'index.html'), INDEX);
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist', 'index.html'), INDEX);
  mkdirSync(join(root, 'dist', 'assets'));
  writeFileSync(join(root, 'dist', 'assets', HASHED_CHUNK), CHUNK);
  writeFileSync(join(root, 'dist', 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  // The dev server serves the project's own files: the same name must not be cached there.
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets', HASHED_CHUNK), CHUNK);
  upstream = await startUpstream((_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end('{"clusters":[]}');
  });
  client = await createClient({ allowH2: true });
});

afterAll(async () => {
  await client.close();
  await upstream.close();
  rmSync(root, { recursive: true, force: true });
  removeTestTls();
});

async function pluginOptions(logs: string[]) {
  const tls = await testTls();
  return {
    identityOrigins: ['https://localhost:5174'],
    runtimeConfig: RUNTIME_CONFIG,
    proxy: { extraHosts: [upstream.host], extraCa: tls.ca },
    warnings: ['the LAN is on'],
    log: (line: string) => logs.push(line),
    connectionLimits: { headers: LIMITS.headers, idle: LIMITS.idle },
  };
}

function behavesLikeTheAppServer(
  start: (logs: string[]) => Promise<{ origin: string; close: () => Promise<void> }>,
  { preview }: { preview: boolean },
) {
  let server: { origin: string; close: () => Promise<void> };
  const logs: string[] = [];

  beforeAll(async () => {
    server = await start(logs);
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves the runtime configuration as JSON that is never cached', async () => {
    const response = await request(`${server.origin}/explorer-config.json`, { dispatcher: client });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(await response.body.json()).toEqual(RUNTIME_CONFIG);
  });

  if (preview) {
    it("sends the build's hashed chunks immutable, so a reload takes them from the cache without a request", async () => {
      const response = await request(`${server.origin}/assets/${HASHED_CHUNK}`, { dispatcher: client });
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers['content-type']).toMatch(/javascript/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(await response.body.text()).toBe(CHUNK);
    });

    it('sends the page with its configuration under an ETag: a reload with it gets 304, no body', async () => {
      const first = await request(`${server.origin}/index.html`, { dispatcher: client });
      expect(configInPage(await first.body.text())).toEqual(RUNTIME_CONFIG);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await request(`${server.origin}/`, { dispatcher: client, headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(await again.body.text()).toBe('');
    });

    it('revalidates the page, public files and missing assets on every load (never immutable)', async () => {
      for (const path of ['/', '/index.html', '/clusters/0612', '/favicon.svg', '/assets/gone-AbCd1234.js']) {
        const response = await request(`${server.origin}${path}`, {
          dispatcher: client,
          headers: { accept: path === '/assets/gone-AbCd1234.js' ? '*/*' : 'text/html' },
        });
        await response.body.text();
        expect(response.headers['cache-control'], path).not.toMatch(/immutable|max-age/);
      }
    });
  } else {
    it('sends its own modules uncached even under a hashed-looking /assets/ name (they change as you edit)', async () => {
      const response = await request(`${server.origin}/assets/${HASHED_CHUNK}`, { dispatcher: client });
      await response.body.text();
      expect(response.headers['cache-control'] ?? '').not.toMatch(/immutable|max-age/);
    });
  }

  it('puts the runtime configuration into the page, so the page does not request it', async () => {
    const response = await request(`${server.origin}/`, { dispatcher: client, headers: { accept: 'text/html' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-cache');
    const html = await response.body.text();
    expect(configInPage(html)).toEqual(RUNTIME_CONFIG);
    expect(html).not.toContain('href="/explorer-config.json"');
    expect(html).toContain('<div id="app"></div>');
  });

  it('forwards /databricks/{host}/api/… to the workspace, over HTTP/2 from the browser side', async () => {
    const response = await request(`${server.origin}/databricks/${upstream.host}/api/2.0/clusters/list`, {
      dispatcher: client,
      headers: { authorization: 'Bearer t', origin: server.origin, 'sec-fetch-site': 'same-origin' },
    });
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe('{"clusters":[]}');
    // The proxy's inert policy replaces the app's page policy on its answers.
    expect(response.headers['content-security-policy']).toBe("sandbox; default-src 'none'; frame-ancestors 'none'");
  });

  it('refuses a page on another localhost port and grants it no CORS access', async () => {
    const response = await request(`${server.origin}/databricks/${upstream.host}/api/2.0/clusters/list`, {
      dispatcher: client,
      headers: { origin: 'https://localhost:5174', 'sec-fetch-site': 'same-site' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(((await response.body.json()) as { error: { code: string } }).error.code).toBe('PROXY_ORIGIN_REFUSED');
  });

  it("leaves other paths to Vite: the SPA fallback still answers with the app's page", async () => {
    const response = await request(`${server.origin}/clusters/0612-081530-k3v9x2ab`, {
      dispatcher: client,
      headers: { accept: 'text/html' },
    });
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toContain('<div id="app"></div>');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('closes connections that never finish their request, whatever protocol they speak', async () => {
    const { port } = new URL(server.origin);
    const sockets = slowClients(Number(port), (await testTls()).ca, 5);
    const closed = await Promise.all(sockets.map(({ kind, socket }) => closedAfter(kind, socket)));
    expect(closed.map(({ kind }) => kind).sort()).toEqual(sockets.map(({ kind }) => kind).sort());
    expect(closed.filter(({ handshook }) => !handshook)).toEqual([]);
    // The server still answers.
    const response = await request(`${server.origin}/explorer-config.json`, { dispatcher: client });
    expect(response.statusCode).toBe(200);
    await response.body.text();
  });

  it('closes an HTTP/2 connection that stays idle after its requests', async () => {
    const { connect } = await import('node:http2');
    const session = connect(server.origin, { ca: (await testTls()).ca });
    try {
      const stream = session.request({ ':path': '/explorer-config.json' });
      stream.resume();
      await new Promise((resolve) => stream.once('end', resolve));
      await new Promise((resolve) => session.once('close', resolve));
      expect(session.destroyed).toBe(true);
    } finally {
      session.destroy();
    }
  });

  it('prints the allowlist and the warnings once it listens', () => {
    expect(logs[0]).toBe(
      `[explorer proxy] /databricks/{host}/api/… → https://{host}/api/… for adb-<id>.<n>.azuredatabricks.net, adb-<id>.<n>.databricks.azure.us, adb-<id>.<n>.databricks.azure.cn, ${upstream.host} (GET)`,
    );
    expect(logs[1]).toBe('[explorer] WARNING: the LAN is on');
  });
}

describe('the plugin in the Vite dev server', () => {
  behavesLikeTheAppServer(
    async (logs) => {
      const tls = await testTls();
      const vite: ViteDevServer = await createServer({
        configFile: false,
        root,
        logLevel: 'silent',
        appType: 'spa',
        plugins: [explorerServerPlugin(await pluginOptions(logs))],
        optimizeDeps: { noDiscovery: true, include: [] },
        server: {
          host: '127.0.0.1',
          port: 0,
          https: { key: tls.key, cert: tls.cert, handshakeTimeout: LIMITS.handshake },
          hmr: false,
          watch: null,
        },
      });
      await vite.listen();
      const port = (vite.httpServer?.address() as AddressInfo | undefined)?.port;
      return { origin: `https://127.0.0.1:${port}`, close: () => vite.close() };
    },
    { preview: false },
  );
});

describe('the plugin in vite preview (npm start)', () => {
  behavesLikeTheAppServer(
    async (logs) => {
      const tls = await testTls();
      const server: PreviewServer = await preview({
        configFile: false,
        root,
        logLevel: 'silent',
        appType: 'spa',
        plugins: [explorerServerPlugin(await pluginOptions(logs))],
        build: { outDir: 'dist' },
        preview: {
          host: '127.0.0.1',
          port: 0,
          https: { key: tls.key, cert: tls.cert, handshakeTimeout: LIMITS.handshake },
        },
      });
      const port = (server.httpServer.address() as AddressInfo).port;
      return { origin: `https://127.0.0.1:${port}`, close: () => server.close() };
    },
    { preview: true },
  );
});
