import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { RuntimeConfig } from './settings.ts';

/** Where the page reads its runtime configuration. */
export const RUNTIME_CONFIG_PATH = '/explorer-config.json';

/**
 * Connect-style middleware answering `GET /explorer-config.json` with the runtime configuration
 * (`Cache-Control: no-store`, so a changed environment takes effect on the next page load).
 * Other paths go to `next()`.
 */
export function createRuntimeConfigMiddleware(config: RuntimeConfig) {
  const body = JSON.stringify(config);
  return function runtimeConfigMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const url = req.url ?? '';
    if (url !== RUNTIME_CONFIG_PATH && !url.startsWith(`${RUNTIME_CONFIG_PATH}?`)) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.setHeader('Allow', 'GET, HEAD');
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(
        JSON.stringify({
          error: { code: 'CONFIG_METHOD_NOT_ALLOWED', message: `${RUNTIME_CONFIG_PATH} is read-only; use GET.` },
        }),
      );
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

/** The id of the `<script type="application/json">` element that carries the configuration in the page. */
export const RUNTIME_CONFIG_ELEMENT_ID = 'explorer-runtime-config';

/**
 * The page with its runtime configuration inside: a `<script type="application/json">` element
 * (data, never executed, so the CSP's `script-src 'self'` allows it) before `</head>`, and without
 * the `<link rel="preload">` of `/explorer-config.json`, which the page then does not request. The
 * JSON's `<` are written `\u003c`, so no value can end the element.
 */
export function injectRuntimeConfig(html: string, config: RuntimeConfig): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const element = `<script type="application/json" id="${RUNTIME_CONFIG_ELEMENT_ID}">${json}</script>`;
  const withoutPreload = html.replace(/[ \t]*<link\b[^>]*href=["']?\/explorer-config\.json["']?[^>]*>\s*\n?/gi, '');
  const end = withoutPreload.search(/<\/head>/i);
  return end === -1
    ? `${element}${withoutPreload}`
    : `${withoutPreload.slice(0, end)}  ${element}\n  ${withoutPreload.slice(end)}`;
}

/**
 * Connect-style middleware for `vite preview`: answers `GET /` and `GET /index.html` with the
 * built page and its runtime configuration inside ({@link injectRuntimeConfig}), so the page
 * needs no second request before it can start. `Cache-Control: no-cache` with an ETag of the
 * page as sent: a changed environment changes the page, which the next load gets. Other paths, or
 * a build without index.html, go to `next()` (Vite's own handling).
 */
export function createRuntimeConfigPageMiddleware(outDir: string, config: RuntimeConfig) {
  const file = join(resolve(outDir), 'index.html');
  let cached: { mtimeMs: number; body: string; etag: string } | undefined;
  const page = () => {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
    if (cached?.mtimeMs !== mtimeMs) {
      const body = injectRuntimeConfig(readFileSync(file, 'utf8'), config);
      cached = { mtimeMs, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    }
    return cached;
  };
  return function runtimeConfigPageMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const path = (req.url ?? '').split(/[?#]/, 1)[0];
    if ((req.method !== 'GET' && req.method !== 'HEAD') || (path !== '/' && path !== '/index.html')) {
      next();
      return;
    }
    const current = page();
    if (!current) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', current.etag);
    if (req.headers['if-none-match'] === current.etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(current.body));
    res.end(req.method === 'HEAD' ? undefined : current.body);
  };
}
