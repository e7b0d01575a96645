/** One served request, as `GET /_sandbox/requests` lists it. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The `page_token` of a list request (absent for a first page): which page a repeat was for. */
  pageToken?: string;
  /** The HTTP status, or 0 when no answer was sent (a dropped-connection fault, or the client left first). */
  status: number;
  at: string;
  /** The client's port: which connection carried the request (a repeat on another one shows a retry). */
  remotePort?: number;
}

/** What a service may add to an entry: the workspace names the page and the connection. */
export interface RequestDetails {
  pageToken?: string | undefined;
  remotePort?: number | undefined;
}

/** How many requests a log keeps; the oldest go first. */
export const REQUEST_LOG_LIMIT = 10_000;

/** The bounded record of served requests behind `/_sandbox/requests`. */
export class RequestLog {
  #entries: RecordedRequest[] = [];

  /** Records a request; the path is copied (and cut to 512 characters) so it does not keep the whole URL alive. */
  add(method: string, path: string, status: number, details: RequestDetails = {}): void {
    if (this.#entries.length >= REQUEST_LOG_LIMIT) this.#entries.shift();
    this.#entries.push({
      method,
      path: Buffer.from(path.slice(0, 512)).toString(),
      ...(details.pageToken === undefined
        ? {}
        : { pageToken: Buffer.from(details.pageToken.slice(0, 512)).toString() }),
      status,
      at: new Date().toISOString(),
      ...(details.remotePort === undefined ? {} : { remotePort: details.remotePort }),
    });
  }

  /** A copy of the log, oldest first. */
  list(): RecordedRequest[] {
    return this.#entries.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.#entries = [];
  }
}
