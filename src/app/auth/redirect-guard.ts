/**
 * Stops automatic sign-in redirects from looping: if the identity provider keeps sending the
 * person back needing to sign in again, the app stops after a few tries and explains instead.
 * A click on "Sign in" is a person's decision and resets the count.
 */
export interface RedirectGuard {
  /** True when one more automatic redirect is allowed now. */
  allows(): boolean;
  record(): void;
  reset(): void;
}

export function createRedirectGuard(
  storage: Storage | undefined,
  options: { key?: string; max?: number; windowMs?: number; now?: () => number } = {},
): RedirectGuard {
  const key = options.key ?? 'explorer.autoRedirects';
  const max = options.max ?? 2;
  const windowMs = options.windowMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  function recent(): number[] {
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(key) ?? '[]');
      return Array.isArray(parsed)
        ? parsed.filter((t): t is number => typeof t === 'number' && now() - t < windowMs)
        : [];
    } catch {
      return [];
    }
  }
  return {
    allows: () => recent().length < max,
    record() {
      storage?.setItem(key, JSON.stringify([...recent(), now()]));
    },
    reset() {
      storage?.removeItem(key);
    },
  };
}

const RETURN_VIEW_KEY = 'explorer.returnView';

/** Remembers which view to show after a sign-in redirect (a view name, never a token). */
export function saveReturnView(storage: Storage | undefined, view: string): void {
  storage?.setItem(RETURN_VIEW_KEY, view);
}

export function takeReturnView(storage: Storage | undefined): string | null {
  const view = storage?.getItem(RETURN_VIEW_KEY) ?? null;
  storage?.removeItem(RETURN_VIEW_KEY);
  return view;
}
