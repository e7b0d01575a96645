/**
 * Whatever a workspace (or anything on the allowlist) answers, the proxy's answer must never run
 * or render as part of the app's origin: loads that are not `fetch` are refused before any
 * connection, and every answer is marked inert.
 */
import { type Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INERT_RESPONSE_HEADERS } from '../../src/proxy/middleware.ts';
import { createClient, removeTestTls, startProxy, startUpstream, type ProxyServer, type Upstream } from './helpers.ts';

const HOSTILE_SCRIPT = "new BroadcastChannel('explorer').postMessage({ type: 'who-is-signed-in' });";

let upstream: Upstream;
let proxy: ProxyServer;
let client: Agent;

beforeAll(async () => {
  upstream = await startUpstream((req, res) => {
    if (req.url?.includes('page')) {
      res.writeHead(200, {
        'Content-Type': 'text/html',
        'Content-Security-Policy': "script-src 'unsafe-inline'",
        'Content-Disposition': 'inline',
      });
      res.end(`<script>${HOSTILE_SCRIPT}</script>`);
      return;
    }
    res.writeHead(200, { 'Content-Type': req.url?.includes('style') ? 'text/css' : 'text/javascript; charset=utf-8' });
    res.end(HOSTILE_SCRIPT);
  });
  proxy = await startProxy({ extraHosts: [upstream.host] });
  client = await createClient({ allowH2: true });
});
afterAll(async () => {
  await client.close();
  await proxy.close();
  await upstream.close();
  removeTestTls();
});

function get(path: string, headers: Record<string, string> = {}) {
  return request(`${proxy.origin}/databricks/${upstream.host}${path}`, {
    dispatcher: client,
    headers: { 'sec-fetch-site': 'same-origin', ...headers },
  });
}

describe('answers of the proxy are inert', () => {
  it.each([
    'script',
    'style',
    'document',
    'iframe',
    'frame',
    'worker',
    'sharedworker',
    'serviceworker',
    'object',
    'embed',
    'image',
    'audio',
    'font',
    'manifest',
    'xslt',
  ])('refuses a load made for a %s (Sec-Fetch-Dest) before contacting the workspace', async (dest) => {
    const before = upstream.seen.length;
    const response = await get('/api/2.0/evil.js', { 'sec-fetch-dest': dest, 'sec-fetch-mode': 'no-cors' });
    expect(response.statusCode).toBe(403);
    const body = (await response.body.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('PROXY_DESTINATION_REFUSED');
    expect(body.error.message).toContain(`"${dest}"`);
    expect(response.headers['content-security-policy']).toBe(INERT_RESPONSE_HEADERS['Content-Security-Policy']);
    expect(upstream.seen.length).toBe(before);
  });

  it.each([
    ['a fetch (Sec-Fetch-Dest: empty)', { 'sec-fetch-dest': 'empty' }],
    ['a client without fetch metadata', {}],
  ])('serves %s, with a script answer turned into inert text', async (_name, headers) => {
    const response = await get('/api/2.0/evil.js', headers);
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe(HOSTILE_SCRIPT);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe("sandbox; default-src 'none'; frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-disposition']).toBe('attachment');
    expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
  });

  it('turns a stylesheet into text too', async () => {
    const response = await get('/api/2.0/style.css', { 'sec-fetch-dest': 'empty' });
    await response.body.text();
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it("replaces an HTML answer's own policy and disposition with the sandbox", async () => {
    const response = await get('/api/2.0/page', { 'sec-fetch-dest': 'empty' });
    expect(await response.body.text()).toContain('<script>');
    expect(response.headers['content-type']).toBe('text/html');
    expect(response.headers['content-security-policy']).toBe(INERT_RESPONSE_HEADERS['Content-Security-Policy']);
    expect(response.headers['content-disposition']).toBe('attachment');
  });

  it("marks the proxy's own refusals inert as well", async () => {
    const response = await get('/api/2.0/x', { 'sec-fetch-site': 'cross-site' });
    await response.body.text();
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-security-policy']).toBe(INERT_RESPONSE_HEADERS['Content-Security-Policy']);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});
