import type { ComponentChildren } from 'preact';
import { useCallback, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { AuthProvider } from './auth/auth-context.tsx';
import type { AuthService } from './auth/types.ts';
import { loadAppConfig } from './config/load-config.ts';
import type { AppConfig, AppConfigResult } from './config/types.ts';
import { Explorer } from './components/explorer.tsx';
import { lazyView } from './components/lazy-view.tsx';
import { DoctorActionsContext, ErrorBoundary, ErrorPanel } from './errors/error-panel.tsx';
import { createTimeline, type Timeline } from './timeline/timeline.ts';

/** The settings dialog's code loads when it first opens (the panel inside it loads after). */
const SettingsDialog = lazyView(
  'SettingsDialog',
  () => import('./components/settings-dialog.tsx').then((m) => m.SettingsDialog),
  null,
);

/** MSAL loads in its own chunk, only once the configuration is known. */
async function createDefaultAuth(config: AppConfig, timeline: Timeline): Promise<AuthService> {
  const { createMsalAuthService } = await import('./auth/msal-service.ts');
  return createMsalAuthService(config, { timeline });
}

function sessionStorageOrUndefined(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

export interface AppProps {
  /** Test seams; the page passes nothing. */
  loadConfig?: () => Promise<AppConfigResult>;
  createAuth?: (config: AppConfig, timeline: Timeline) => Promise<AuthService>;
  timeline?: Timeline;
  reload?: () => void;
}

/**
 * The top-level component: loads the runtime configuration, starts sign-in, and shows the
 * explorer, with the settings panel and a last-resort error boundary around everything.
 */
export function App(props: AppProps) {
  const loadConfig = props.loadConfig ?? loadAppConfig;
  const createAuth = props.createAuth ?? createDefaultAuth;
  const reload = props.reload ?? (() => location.reload());
  const timeline = useMemo(
    () => props.timeline ?? createTimeline({ storage: sessionStorageOrUndefined() }),
    [props.timeline],
  );
  const [configResult, setConfigResult] = useState<AppConfigResult | null>(null);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [service, setService] = useState<AuthService | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);

  // A layout effect: it runs right after this render, not after the next paint (time to clusters).
  useLayoutEffect(() => {
    let live = true;
    loadConfig().then(
      async (result) => {
        if (!live) return;
        setConfigResult(result);
        if (!result.ok) {
          setSettingsOpen(true);
          return;
        }
        try {
          const created = await createAuth(result.config, timeline);
          if (live) setService(created);
        } catch (error) {
          if (live) setLoadError(error);
        }
      },
      (error: unknown) => live && setLoadError(error),
    );
    return () => {
      live = false;
    };
  }, [loadConfig, createAuth, timeline]);

  const openSettings = useCallback(() => setSettingsOpen(true), []);
  const actions = useMemo(
    () => ({ context: { origin: location.origin }, openSettings, reload }),
    [openSettings, reload],
  );

  let body: ComponentChildren;
  if (loadError !== undefined)
    body = (
      <main class="view">
        <ErrorPanel error={loadError} />
      </main>
    );
  else if (!configResult)
    body = (
      <main class="view">
        <p class="boot" role="status">
          Signing you in…
        </p>
      </main>
    );
  else if (!configResult.ok) {
    body = (
      <>
        <header class="app-header">
          <h1>Databricks Entra Explorer</h1>
        </header>
        <main class="view">
          <ErrorPanel error={configResult.errors[0]} />
        </main>
      </>
    );
  } else if (!service)
    body = (
      <p class="boot" role="status">
        Signing you in…
      </p>
    );
  else {
    body = (
      <AuthProvider service={service}>
        <Explorer timeline={timeline} onSettings={openSettings} />
      </AuthProvider>
    );
  }

  return (
    <ErrorBoundary>
      <DoctorActionsContext.Provider value={actions}>
        <div class="shell">
          {body}
          {settingsOpen && configResult && (
            <SettingsDialog result={configResult} onClose={() => setSettingsOpen(false)} onApplied={reload} />
          )}
        </div>
      </DoctorActionsContext.Provider>
    </ErrorBoundary>
  );
}
