import { ConfigError } from './errors.ts';
import { fetchRuntimeConfig } from './fetch-runtime-config.ts';
import { mergeWire } from './merge-settings.ts';
import { readOverrides } from './saved-settings.ts';
import type { AppConfigResult, FieldError, RuntimeConfigWire } from './types.ts';
import { validateConfig } from './validate.ts';

/** Test seams; the app passes nothing. */
export interface LoadConfigOptions {
  fetch?: typeof fetch;
  storage?: Storage;
  signal?: AbortSignal;
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
  const saved = readOverrides(options.storage);
  if (!saved.ok) errors.push(saved.error);
  const overrides = saved.ok ? saved.overrides : {};
  const wire = mergeWire(server, overrides);
  const result = validateConfig({ server, overrides });
  if (result.ok && saved.ok) return { ok: true, config: result.config, wire, server, overrides };
  return { ok: false, errors: [...errors, ...(result.ok ? [] : result.errors)], wire, server, overrides };
}
