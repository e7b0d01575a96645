/** Formats a NumericDate (seconds since 1970) as a local date and time with the time zone. */
export function formatLocalTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'long',
  });
}

/** "1 h 5 min", "59 min 12 s", "12 s": a duration in whole seconds, at most two units. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return rest > 0 ? `${minutes} min ${rest} s` : `${minutes} min`;
  return `${rest} s`;
}

/** "in 5 min", "3 s ago", "now": a time relative to now, both in seconds. */
export function formatRelative(epochSeconds: number, nowSeconds: number): string {
  const delta = Math.round(epochSeconds - nowSeconds);
  if (delta === 0) return 'now';
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
}

/** A claim value as text: strings as they are, arrays joined, anything else as JSON. */
export function formatClaimValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number'))
    return value.join(', ');
  return JSON.stringify(value) ?? String(value);
}

/** Re-indents a JSON text for reading, keeping key order. */
export function prettyJson(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}
