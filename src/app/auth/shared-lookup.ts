/**
 * One lookup shared by everyone who asks while it is in flight; the next call after it settles
 * (resolved or rejected) starts a new one. The views ask for a token at the same moment (`Me` and
 * the first clusters page), and a renewal must not be sent twice or raced by a second request.
 */
export interface SharedLookup<T> {
  get(): Promise<T>;
  /** Forgets the lookup in flight (its callers still get its answer); the next get() starts anew. */
  forget(): void;
}

export function createSharedLookup<T>(run: () => Promise<T>): SharedLookup<T> {
  let pending: Promise<T> | undefined;
  return {
    get() {
      if (pending) return pending;
      const current = run();
      pending = current;
      const clear = () => {
        if (pending === current) pending = undefined;
      };
      current.then(clear, clear);
      return current;
    },
    forget() {
      pending = undefined;
    },
  };
}
