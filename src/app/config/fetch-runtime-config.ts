import { ConfigError } from './errors.ts';
import { RUNTIME_CONFIG_PATH, requestRuntimeConfig } from './runtime-config-path.ts';
import type { RuntimeConfigWire } from './types.ts';

/**
 * Fetches the server's runtime configuration (`/explorer-config.json`) and checks it is a JSON object.
 * @throws {ConfigError} (field `runtimeConfig`) when it cannot be had, saying what to do next.
 */
export async function fetchRuntimeConfig(
  options: { fetch?: typeof fetch | undefined; signal?: AbortSignal | undefined } = {},
): Promise<RuntimeConfigWire> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const where = `the runtime configuration at ${RUNTIME_CONFIG_PATH}`;
  let response: Response;
  try {
    response = await requestRuntimeConfig(doFetch, options.signal);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError(
      'runtimeConfig',
      `Could not load ${where} (${reason}). Check that the server is running (npm start), then reload the page.`,
      { cause },
    );
  }
  if (!response.ok) {
    throw new ConfigError(
      'runtimeConfig',
      `Could not load ${where}: the server answered HTTP ${response.status}. Serve the app with npm start or npm run dev, whose server provides it, then reload the page.`,
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw new ConfigError(
      'runtimeConfig',
      `The server's answer for ${where} is not JSON. Serve the app with npm start or npm run dev, then reload the page.`,
      { cause },
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConfigError(
      'runtimeConfig',
      `The server's answer for ${where} is not a JSON object. Serve the app with npm start or npm run dev, then reload the page.`,
    );
  }
  return body as RuntimeConfigWire;
}
