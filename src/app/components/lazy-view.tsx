import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorPanel } from '../errors/error-panel.tsx';
import { loadOnce } from '../load-once.ts';

/** A component whose code loads on first use; {@link LazyView.preload} loads it ahead. */
export interface LazyView<P> {
  (props: P): JSX.Element | null;
  /** Loads the code now without rendering it (a failed load may be tried again). */
  preload(): Promise<ComponentType<P>>;
  displayName?: string;
}

/**
 * Keeps a view's code off the path to the clusters: the view's chunk is fetched when the view is
 * first shown (or preloaded), and from then on it renders at once. While loading it shows
 * `loading` in a status line (or nothing, for a dialog); a failed load shows the error panel with
 * "Try again".
 */
export function lazyView<P extends object>(
  name: string,
  load: () => Promise<ComponentType<P>>,
  loading: string | null,
): LazyView<P> {
  const code = loadOnce(load);
  const preload = (): Promise<ComponentType<P>> => code.load();

  // biome-ignore lint/correctness/noComponentHookFactories: a factory called once per view at module level, never during render
  function Lazy(props: P): JSX.Element | null {
    const [, setReady] = useState(false);
    const [error, setError] = useState<unknown>(undefined);
    const [attempt, setAttempt] = useState(0);
    // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry button's trigger.
    useEffect(() => {
      if (code.current()) return;
      let live = true;
      setError(undefined);
      preload().then(
        () => live && setReady(true),
        (e: unknown) => live && setError(e),
      );
      return () => {
        live = false;
      };
    }, [attempt]);
    const View = code.current();
    if (View) return <View {...props} />;
    if (error !== undefined) return <ErrorPanel error={error} onRetry={() => setAttempt((n) => n + 1)} />;
    return loading === null ? null : <p role="status">{loading}</p>;
  }
  Lazy.preload = preload;
  Lazy.displayName = `Lazy(${name})`;
  return Lazy;
}

/**
 * Loads the given views' code once the browser is idle: called after the first clusters arrive, so
 * opening another tab, a cluster's details or an explanation of a failure (even offline) needs no
 * request, and nothing competes with the clusters for the network or the main thread.
 */
export function preloadWhenIdle(views: ReadonlyArray<{ preload(): Promise<unknown> }>): () => void {
  const run = () => {
    for (const view of views) view.preload().catch(() => undefined); // loaded again, and explained, when shown
  };
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(run, { timeout: 2000 });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(run, 200);
  return () => clearTimeout(handle);
}
