import { createWorkspaceClient, type RequestOptions, type WorkspaceClientOptions } from './client.ts';

/** Reads a JSON answer as the text the workspace sent, so large integers can be shown exactly. */
export interface TextReader {
  /**
   * The body of a successful JSON answer, unchanged.
   * @throws the workspace client's typed errors, exactly as `getJson` does.
   */
  getJsonText(path: string, options?: RequestOptions): Promise<string>;
}

/**
 * A {@link TextReader} on the same options as the app's workspace client: the same proxy, token
 * source, retries, timeline and typed errors. Each read runs through its own client whose fetch
 * keeps a copy of the successful body; the client still parses it, so text that is not JSON fails
 * as it would anywhere else.
 *
 * (The workspace client exposes only parsed JSON today; this wraps it from outside rather than
 * changing it.)
 */
export function createTextReader(options: WorkspaceClientOptions): TextReader {
  const baseFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return {
    async getJsonText(path, request = {}) {
      let body: string | undefined;
      const client = createWorkspaceClient({
        ...options,
        async fetch(input, init) {
          const response = await baseFetch(input, init);
          // A retried call ends with its last successful answer, the one the client parses.
          if (response.ok) body = await response.clone().text();
          return response;
        },
      });
      await client.getJson(path, request);
      if (body === undefined) throw new TypeError('The workspace client returned without a successful response.');
      return body;
    },
  };
}
