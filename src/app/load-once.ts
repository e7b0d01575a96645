/**
 * A chunk loaded on first use: `load()` starts the import once and shares it; `current()` is the
 * loaded value from then on (undefined before). A failed load is forgotten, so the next call tries
 * again (a connection that came back).
 */
export function loadOnce<T>(load: () => Promise<T>): { load(): Promise<T>; current(): T | undefined } {
  let value: T | undefined;
  let pending: Promise<T> | undefined;
  return {
    load() {
      pending ??= load().then(
        (loaded) => {
          value = loaded;
          return loaded;
        },
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      );
      return pending;
    },
    current: () => value,
  };
}
