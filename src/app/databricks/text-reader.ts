import type { RequestOptions, WorkspaceRequestClient } from './client.ts';
import { WorkspaceBadResponseError } from './errors.ts';

/** Reads a JSON answer as the text the workspace sent, so large integers can be shown exactly. */
export interface TextReader {
  /**
   * The body of a successful JSON answer, unchanged.
   * @throws the workspace client's typed errors; {@link WorkspaceBadResponseError} when the body is not JSON.
   */
  getJsonText(path: string, options?: RequestOptions): Promise<string>;
}

/**
 * A {@link TextReader} on the app's workspace client (the same proxy, token, retries, timeline and
 * typed errors): its `request` keeps the body as received, where `getJson` would parse it into
 * JavaScript numbers and round 19-digit integers.
 */
export function createTextReader(client: Pick<WorkspaceRequestClient, 'request'>): TextReader {
  return {
    async getJsonText(path, options = {}) {
      const response = await client.request({ method: 'GET', path, ...options });
      try {
        JSON.parse(response.text);
      } catch {
        throw new WorkspaceBadResponseError({ method: 'GET', path }, response.status, 'the body is not JSON');
      }
      return response.text;
    },
  };
}
