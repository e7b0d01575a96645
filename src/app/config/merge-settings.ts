import { OVERRIDE_KEYS } from './saved-settings.ts';
import type { RuntimeConfigWire, SettingsOverrides } from './types.ts';

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
