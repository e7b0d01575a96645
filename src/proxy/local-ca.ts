import type { IncomingMessage, ServerResponse } from 'node:http';

/** Where the app serves the local CA's certificate, for colleagues in a team demo to download and trust. */
export const LOCAL_CA_PATH = '/local-ca.pem';

/**
 * Connect-style middleware answering `GET /local-ca.pem` with the local CA's certificate: public
 * material only (the caller passes the certificate, never a key; anything but certificate blocks
 * is refused at creation). Other paths go to `next()`.
 * @throws TypeError when `caPem` holds anything but PEM certificates
 */
export function createLocalCaMiddleware(caPem: string) {
  const body = `${caPem.trim()}\n`;
  const outside = body.replace(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g, '').trim();
  if (!body.includes('-----BEGIN CERTIFICATE-----') || outside !== '')
    throw new TypeError('createLocalCaMiddleware takes PEM certificates only (never a key).');
  return function localCaMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== LOCAL_CA_PATH) {
      next();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.setHeader('Allow', 'GET, HEAD');
      res.end();
      return;
    }
    res.statusCode = 200;
    // Served as a download: browsers then offer to save (or, some, to install) the certificate.
    res.setHeader('Content-Type', 'application/x-pem-file');
    res.setHeader('Content-Disposition', 'attachment; filename="local-ca.pem"');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
