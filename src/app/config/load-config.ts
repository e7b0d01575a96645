import { ConfigError } from './errors.ts';
import { RUNTIME_CONFIG_PATH, requestRuntimeConfig } from './runtime-config-path.ts';
import type { AppConfigResult, FieldError, RuntimeConfigWire, SettingsOverrides } from './types.ts';
import { validateConfig } from './validate.ts';

export { ConfigError, isConfigError } from './errors.ts';
export type { AppConfigResult, FieldError, SettingsOverrides } from './types.ts';
export { buildWorkspaceResourceId, errorsFor, parseWorkspaceResourceId, validateConfig } from './validate.ts';

export { RUNTIME_CONFIG_PATH } from './runtime-config-path.ts';
/** The localStorage key holding this browser's {@link SettingsOverrides}. */
export const SETTINGS_STORAGE_KEY = 'explorer.settings.v1';

const OVERRIDE_KEYS = [
  'tenantId',
  'clientId',
  'cloud',
  'workspaceUrl',
  'subscriptionId',
  'resourceGroup',
  'workspaceName',
  'cacheLocation',
] as const satisfies readonly (keyof SettingsOverrides)[];

/** Test seams; the app passes nothing. */
export interface LoadConfigOptions {
  fetch?: typeof fetch;
  storage?: Storage;
  signal?: AbortSignal;
}

let lastServerConfig: RuntimeConfigWire | undefined;

/**
 * The server's runtime configuration as last received by {@link loadAppConfig}, for the settings
 * panel's "server default" and its validation before saving.
 */
export function loadedServerConfig(): RuntimeConfigWire | undefined {
  return lastServerConfig;
}

/**
 * Fetches `/explorer-config.json`, applies this browser's overrides and validates the result.
 * Never throws for configuration problems: a failed fetch, unreadable saved settings and every bad
 * field come back as {@link FieldError}s. When the server's configuration cannot be loaded but the
 * saved settings are complete on their own, they are used.
 */
export async function loadAppConfig(options: LoadConfigOptions = {}): Promise<AppConfigResult> {
  const errors: FieldError[] = [];
  const server = await fetchRuntimeConfig(options).catch((error: unknown) => {
    if (error instanceof ConfigError) errors.push(error);
    else throw error;
    return {} as RuntimeConfigWire;
  });
  lastServerConfig = server;
  const saved = readOverrides(options.storage);
  if (!saved.ok) errors.push(saved.error);
  const overrides = saved.ok ? saved.overrides : {};
  const wire = mergeWire(server, overrides);
  const result = validateConfig({ server, overrides });
  if (result.ok && saved.ok) return { ok: true, config: result.config, wire, server, overrides };
  return { ok: false, errors: [...errors, ...(result.ok ? [] : result.errors)], wire, server, overrides };
}

async function fetchRuntimeConfig(options: LoadConfigOptions): Promise<RuntimeConfigWire> {
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

function storageOrUndefined(storage: Storage | undefined): Storage | undefined {
  if (storage) return storage;
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage disabled by the browser's privacy settings
  }
}

/**
 * This browser's saved overrides; `ok: false` when the stored value is not what this app wrote
 * (the app keeps running on the server's values, and the settings panel offers a reset).
 */
export function readOverrides(
  storage?: Storage,
): { ok: true; overrides: SettingsOverrides } | { ok: false; error: ConfigError } {
  const store = storageOrUndefined(storage);
  const raw = store?.getItem(SETTINGS_STORAGE_KEY);
  if (raw === null || raw === undefined) return { ok: true, overrides: {} };
  const unreadable = (why: string, cause?: unknown) => ({
    ok: false as const,
    error: new ConfigError(
      'savedSettings',
      `The settings saved in this browser (localStorage "${SETTINGS_STORAGE_KEY}") ${why}. Reset the settings to go back to the server's values.`,
      { source: 'browser', cause },
    ),
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    return unreadable('are not valid JSON', cause);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return unreadable('are not a JSON object');
  const overrides: SettingsOverrides = {};
  for (const key of OVERRIDE_KEYS) {
    const value = (parsed as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') return unreadable(`hold a ${typeof value} for "${key}" instead of text`);
    overrides[key] = value;
  }
  return { ok: true, overrides };
}

/**
 * Saves overrides for this browser, keeping only the known keys.
 * @throws DOMException when localStorage is full or disabled.
 */
export function saveOverrides(overrides: SettingsOverrides, storage?: Storage): void {
  const kept: SettingsOverrides = {};
  for (const key of OVERRIDE_KEYS) {
    const value = overrides[key];
    if (typeof value === 'string') kept[key] = value;
  }
  const store = storageOrUndefined(storage);
  if (!store) throw new DOMException('localStorage is not available in this browser.', 'SecurityError');
  store.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(kept));
}

/** Forgets this browser's overrides, so the server's values apply again. */
export function resetOverrides(storage?: Storage): void {
  storageOrUndefined(storage)?.removeItem(SETTINGS_STORAGE_KEY);
}

/** The server's values with the overrides applied (for showing what is in effect). */
export function mergeWire(server: RuntimeConfigWire, overrides: SettingsOverrides): RuntimeConfigWire {
  const merged: RuntimeConfigWire = { ...server };
  for (const key of OVERRIDE_KEYS) {
    if (key === 'cacheLocation') continue;
    const value = overrides[key];
    if (typeof value === 'string') merged[key] = value;
  }
  return merged;
}
