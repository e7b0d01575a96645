import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useAuth } from '../auth/auth-context.tsx';
import { isSignInError } from '../auth/errors.ts';
import type { TokenSet } from '../auth/types.ts';
import type { AppConfig } from '../config/types.ts';
import { ErrorPanel } from '../errors/error-panel.tsx';

interface InspectorModule {
  TokenInspector: ComponentType<{ idToken: string; accessToken: string; clientId: string; config: AppConfig }>;
}

/** jose and the inspector load only when this tab is opened. */
function loadInspector(): Promise<InspectorModule> {
  return import('./token-inspector.tsx').then((a) => ({ TokenInspector: a.TokenInspector }));
}

/** The ID and access tokens of the signed-in account, and a link to decode or compare any token. */
export function TokensView({ view, load = loadInspector }: { view: string; load?: () => Promise<InspectorModule> }) {
  const auth = useAuth();
  const [tokens, setTokens] = useState<TokenSet | null>(null);
  const [mod, setMod] = useState<InspectorModule | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt re-runs the load on retry by design
  useEffect(() => {
    let live = true;
    setError(undefined);
    Promise.all([auth.getTokens({ view }), load()]).then(
      ([t, m]) => {
        if (!live) return;
        setTokens(t);
        setMod(() => m);
      },
      (e: unknown) => {
        if (live && !(isSignInError(e) && e.code === 'AUTH_REDIRECTING')) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [auth.getTokens, view, load, attempt]);

  return (
    <section class="tokens" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">Tokens</h2>
      {error !== undefined && <ErrorPanel error={error} onRetry={() => setAttempt((n) => n + 1)} />}
      {error === undefined && (!tokens || !mod) && <p role="status">Loading your tokens…</p>}
      {tokens && mod && (
        <>
          <mod.TokenInspector
            idToken={tokens.idToken}
            accessToken={tokens.accessToken}
            clientId={auth.config.clientId}
            config={auth.config}
          />
          <p>
            <a href="#/decode">Decode or compare another token</a>
          </p>
        </>
      )}
    </section>
  );
}
