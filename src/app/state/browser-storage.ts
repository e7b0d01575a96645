/**
 * This browser's `localStorage` or `sessionStorage`, or undefined when the browser refuses it
 * (storage disabled by privacy settings: reading the property throws). Callers keep working
 * without it: nothing is remembered.
 */
export function browserStorage(kind: 'local' | 'session'): Storage | undefined {
  try {
    return kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}
