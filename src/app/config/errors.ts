import type { ConfigField, ConfigSource, FieldError } from './types.ts';

/** Server environment variable behind each field, named in messages so people know where to fix it. */
export const ENV_VAR_OF: Partial<Record<ConfigField, string>> = {
  tenantId: 'EXPLORER_TENANT_ID',
  clientId: 'EXPLORER_CLIENT_ID',
  cloud: 'EXPLORER_CLOUD',
  workspaceUrl: 'EXPLORER_WORKSPACE_URL',
  subscriptionId: 'EXPLORER_AZURE_SUBSCRIPTION_ID',
  resourceGroup: 'EXPLORER_AZURE_RESOURCE_GROUP',
  workspaceName: 'EXPLORER_AZURE_WORKSPACE_NAME',
};

/**
 * A configuration value that cannot be used. `code` is always `CONFIG_INVALID`; branch on `field`.
 * The message says what was received and where to fix it; it never contains a token.
 */
export class ConfigError extends Error implements FieldError {
  readonly code = 'CONFIG_INVALID' as const;
  readonly field: ConfigField;
  readonly received: string | undefined;
  readonly source: ConfigSource | undefined;

  constructor(
    field: ConfigField,
    message: string,
    details: { received?: string | undefined; source?: ConfigSource | undefined; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ConfigError';
    this.field = field;
    this.received = details.received;
    this.source = details.source;
  }
}

/** True for a {@link ConfigError} or anything shaped like a {@link FieldError}. */
export function isConfigError(value: unknown): value is FieldError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { code?: unknown }).code === 'CONFIG_INVALID' &&
    typeof (value as { field?: unknown }).field === 'string'
  );
}

const TOKEN_SHAPED = /^eyJ[\w-]*\.|^[01]\.A[\w-]{20,}/;
const MAX_SHOWN = 80;

/**
 * Quotes a received value for a message: shortened, and withheld entirely when it looks like a
 * JWT or a refresh token pasted into the wrong field.
 */
export function describeReceived(value: string): { shown: string; received: string | undefined } {
  if (TOKEN_SHAPED.test(value)) return { shown: 'what looks like a token (not shown)', received: undefined };
  const short = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
  const quoted = JSON.stringify(short);
  return { shown: quoted, received: quoted };
}

/** The "what to do next" sentence for a field, depending on where its value came from. */
export function fixHint(field: ConfigField, source: ConfigSource | undefined): string {
  const envVar = ENV_VAR_OF[field];
  if (source === 'browser') {
    return envVar
      ? "Correct it in Settings, or reset the settings to use the server's value."
      : 'Correct it in Settings.';
  }
  if (field === 'cacheLocation') return 'Choose one in Settings.';
  if (!envVar) return '';
  return source === 'server'
    ? `Enter a value in Settings, or fix ${envVar} on the server and restart it.`
    : `Enter it in Settings, or set ${envVar} on the server and restart it.`;
}
