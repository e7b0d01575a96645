import { statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve, sep } from 'node:path';

/** What the build's hashed files are sent with: they never change under their name. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * A file the build names after its content: `assets/{name}-{hash}.{ext}` (Vite's default
 * `assetFileNames` and `chunkFileNames`; the hash is 8 characters of base64url), source maps
 * included. Anything else (index.html, the favicon, `/explorer-config.json`) is not.
 */
const HASHED_ASSET = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.[A-Za-z0-9.]+$/;

/**
 * Connect-style middleware for `vite preview` (the production build): a `GET` or `HEAD` of a
 * hashed file under `/assets/` that exists in the build's output folder gets
 * `Cache-Control: public, max-age=31536000, immutable`, so a reload takes the app's chunks from
 * the browser's cache without a request. Vite's static handler (sirv) keeps a `Cache-Control` set
 * before it, and still sends the file, its ETag and its type. Every other response keeps Vite's
 * `no-cache` (revalidated on each load): the page, whose new version names new chunks, and the
 * public files. Never for the dev server, whose modules change under the same name.
 */
export function createAssetCachingMiddleware(outDir: string) {
  const root = resolve(outDir);
  return function assetCachingMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    if (req.method === 'GET' || req.method === 'HEAD') {
      const path = (req.url ?? '').split(/[?#]/, 1)[0] ?? '';
      if (HASHED_ASSET.test(path) && isFile(root, path)) res.setHeader('Cache-Control', IMMUTABLE_CACHE_CONTROL);
    }
    next();
  };
}

function isFile(root: string, urlPath: string): boolean {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath);
  } catch {
    return false;
  }
  const file = join(root, relative);
  if (!file.startsWith(root + sep)) return false;
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
