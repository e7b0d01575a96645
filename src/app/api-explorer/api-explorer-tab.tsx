import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useAuth } from '../auth/auth-context.tsx';
import { useWorkspace } from '../components/workspace-context.tsx';
import { ErrorPanel } from '../errors/error-panel.tsx';
import type { ApiExplorerProps } from './api-explorer.tsx';

type ExplorerComponent = ComponentType<ApiExplorerProps>;

/** The explorer's code (builder, viewer, catalogue, snippets) loads only when its tab opens. */
function loadExplorer(): Promise<ExplorerComponent> {
  return import('./api-explorer.tsx').then((m) => m.ApiExplorer);
}

/** The API Explorer tab: loads the explorer lazily, on the signed-in workspace client. */
export function ApiExplorerTab({ load = loadExplorer }: { load?: () => Promise<ExplorerComponent> }) {
  const { client } = useWorkspace();
  const { config } = useAuth();
  const [Explorer, setExplorer] = useState<ExplorerComponent | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry button's trigger: a new attempt loads again.
  useEffect(() => {
    let live = true;
    setError(undefined);
    load().then(
      (component) => live && setExplorer(() => component),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [load, attempt]);
  if (error !== undefined) return <ErrorPanel error={error} onRetry={() => setAttempt((n) => n + 1)} />;
  if (!Explorer) return <p role="status">Loading the API Explorer…</p>;
  return <Explorer client={client} config={config} ErrorView={ErrorPanel} />;
}
