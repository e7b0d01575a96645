/** Where the server publishes the runtime configuration (tiny module: the entry chunk fetches it at once). */
export const RUNTIME_CONFIG_PATH = '/explorer-config.json';

/** The request the page makes for the runtime configuration; started by the entry chunk before any other code loads. */
export function requestRuntimeConfig(
  doFetch: typeof fetch = globalThis.fetch.bind(globalThis),
  signal?: AbortSignal,
): Promise<Response> {
  return doFetch(RUNTIME_CONFIG_PATH, {
    headers: { Accept: 'application/json' },
    cache: 'no-store',
    ...(signal ? { signal } : {}),
  });
}
