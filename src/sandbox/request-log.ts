/** One served request, as `GET /_sandbox/requests` lists it. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The HTTP status, or 0 for a dropped connection. */
  status: number;
  at: string;
}

/** How many requests a log keeps; the oldest go first. */
export const REQUEST_LOG_LIMIT = 10_000;

/** The bounded record of served requests behind `/_sandbox/requests`. */
export class RequestLog {
  #entries: RecordedRequest[] = [];

  /** Records a request; the path is copied (and cut to 512 characters) so it does not keep the whole URL alive. */
  add(method: string, path: string, status: number): void {
    if (this.#entries.length >= REQUEST_LOG_LIMIT) this.#entries.shift();
    this.#entries.push({
      method,
      path: Buffer.from(path.slice(0, 512)).toString(),
      status,
      at: new Date().toISOString(),
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
