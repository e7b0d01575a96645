/**
 * The baseline for time-to-clusters: a bare page that does nothing but fetch every page of
 * `clusters/list` through the app's own proxy middleware (`createProxyMiddleware` from
 * src/proxy) with a known access token, and print the clusters. Served over HTTPS by an HTTP/2
 * server with HTTP/1.1 fallback, as Vite's is, on its own loopback port.
 */
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import { createProxyMiddleware } from '../../../src/proxy/index.ts';

export interface BarePage {
  url: string;
  close(): Promise<void>;
}

const HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bare clusters page</title></head>
<body><p id="status">Loading…</p><script type="module" src="/bare.js"></script></body></html>
`;

/** The page's script: the same requests the app makes for the list (page size 100, sequential). */
function script(workspaceHost: string, token: string): string {
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
 * Starts the bare page on `port` (127.0.0.1 and localhost), forwarding `/databricks/{workspaceHost}/…`
 * through the proxy middleware, which trusts `ca` for the workspace's certificate. The token is
 * only ever written into the page's script body, never into a URL or a log.
 */
export async function startBarePage(options: {
  port: number;
  tls: { key: string; cert: string };
  ca: string;
  workspaceHost: string;
  token: string;
}): Promise<BarePage> {
  const proxy = createProxyMiddleware({ extraHosts: [options.workspaceHost], extraCa: options.ca, log: () => {} });
  const js = script(options.workspaceHost, options.token);
  const server: Http2SecureServer = createSecureServer(
    { key: options.tls.key, cert: options.tls.cert, allowHTTP1: true },
    (req, res) => {
      const request = req as unknown as IncomingMessage;
      const response = res as unknown as ServerResponse;
      const path = (request.url ?? '/').split('?')[0];
      if (path === '/' || path === '/index.html') return send(response, 'text/html; charset=utf-8', HTML);
      if (path === '/bare.js') return send(response, 'text/javascript; charset=utf-8', js);
      proxy(request, response, () => {
        response
          .writeHead(404, { 'content-type': 'text/plain' })
          .end(`The bare page has no ${request.method} ${path}.`);
      });
    },
  );
  // Chromium keeps idle connections open; close them with the server.
  const sockets = new Set<import('node:tls').TLSSocket>();
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(options.port, 'localhost');
  await once(server, 'listening');
  return {
    url: `https://localhost:${options.port}`,
    async close() {
      await proxy.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function send(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache' });
  res.end(body);
}
