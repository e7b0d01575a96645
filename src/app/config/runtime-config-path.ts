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

/** The id of the element the app's server puts the runtime configuration in (src/proxy/runtime-config.ts). */
export const RUNTIME_CONFIG_ELEMENT_ID = 'explorer-runtime-config';

/**
 * The runtime configuration as the page carries it (`<script type="application/json"
 * id="explorer-runtime-config">`, put there by the app's server), as the response
 * `/explorer-config.json` would give; `undefined` when the page has none (another server), and the
 * app then requests it.
 */
export function inlineRuntimeConfig(doc: Document | undefined = globalThis.document): Response | undefined {
  const element = doc?.getElementById(RUNTIME_CONFIG_ELEMENT_ID);
  if (element?.getAttribute('type') !== 'application/json') return undefined;
  return new Response(element.textContent ?? '', { status: 200, headers: { 'Content-Type': 'application/json' } });
}
