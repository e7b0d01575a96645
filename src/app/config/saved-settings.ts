import { ConfigError } from './errors.ts';
import type { SettingsOverrides } from './types.ts';
import { browserStorage } from '../state/browser-storage.ts';

/** The localStorage key holding this browser's {@link SettingsOverrides}. */
export const SETTINGS_STORAGE_KEY = 'explorer.settings.v1';

/** The settings a person may override in this browser. */
export const OVERRIDE_KEYS = [
  'tenantId',
  'clientId',
  'cloud',
  'workspaceUrl',
  'subscriptionId',
  'resourceGroup',
  'workspaceName',
  'cacheLocation',
] as const satisfies readonly (keyof SettingsOverrides)[];

function storageOrUndefined(storage: Storage | undefined): Storage | undefined {
  return storage ?? browserStorage('local');
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
