import type { IncomingMessage, ServerResponse } from 'node:http';

/** Writes JSON text that is already serialized, with its Content-Length; `headers` set the rest. */
export function sendJsonText(res: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** An empty 204 answer. */
export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204).end();
}

/**
 * Reads the request body as UTF-8 text, up to `maxBytes`.
 * @throws the error `tooLarge()` builds once the body is larger.
 */
export async function readBodyText(req: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
