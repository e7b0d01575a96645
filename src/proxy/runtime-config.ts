import type { IncomingMessage, ServerResponse } from 'node:http';
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
