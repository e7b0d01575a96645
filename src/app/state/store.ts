import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/** A value that changes over time, read by the few components that show it. */
export interface Store<T> {
  get(): T;
  set(value: T): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      value = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Re-renders the caller when the store changes. */
export function useStore<T>(store: Store<T>): T {
  const value = store.get();
  const rendered = useRef(value);
  rendered.current = value;
  const [, force] = useState(0);
  useLayoutEffect(() => {
    const unsubscribe = store.subscribe(() => force((n) => n + 1));
    // A change between render and subscribing (e.g. a page that arrived meanwhile) is not lost.
    if (store.get() !== rendered.current) force((n) => n + 1);
    return unsubscribe;
  }, [store]);
  return value;
}
