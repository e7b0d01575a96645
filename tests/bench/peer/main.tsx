/**
 * The benchmarks' peer: the clusters page as Microsoft's MSAL React samples build it, doing the
 * app's job against the same sandbox with the same MSAL version. Sample style on purpose: the
 * default MSAL configuration (MSAL fetches the authority's OpenID metadata itself), `MsalProvider`
 * handling the redirect, `loginRedirect` with the default scopes, then the Databricks access token
 * requested after sign-in with `acquireTokenSilent`, and the API called through the dev server's
 * proxy (`/api` → the workspace, Vite's `server.proxy` / `preview.proxy`). One bundle, no splitting.
 *
 * Its settings are compiled in (support/pages.ts passes them with `define`), as a sample's
 * `authConfig.ts` does.
 */
import {
  type AuthenticationResult,
  type EventMessage,
  EventType,
  InteractionRequiredAuthError,
  InteractionStatus,
  PublicClientApplication,
} from '@azure/msal-browser';
import { AuthenticatedTemplate, MsalProvider, UnauthenticatedTemplate, useAccount, useMsal } from '@azure/msal-react';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

declare const PEER_SETTINGS: { clientId: string; authority: string; knownAuthority: string };

const DATABRICKS_SCOPE = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default';

const msalInstance = new PublicClientApplication({
  auth: {
    clientId: PEER_SETTINGS.clientId,
    authority: PEER_SETTINGS.authority,
    // A non-Microsoft host must be listed; MSAL then fetches its OpenID metadata (no instance discovery).
    knownAuthorities: [PEER_SETTINGS.knownAuthority],
    redirectUri: '/',
    postLogoutRedirectUri: '/',
  },
  cache: { cacheLocation: 'sessionStorage' },
});

interface Cluster {
  cluster_id: string;
  cluster_name: string;
  state: string;
}

function Clusters() {
  const { instance, inProgress, accounts } = useMsal();
  // As the samples do: useAccount keeps the same object while the account stays the same.
  const account = useAccount(accounts[0] ?? {});
  const [clusters, setClusters] = useState<Cluster[]>([]);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!account || inProgress !== InteractionStatus.None) return;
    let cancelled = false;
    (async () => {
      const { accessToken } = await instance.acquireTokenSilent({ scopes: [DATABRICKS_SCOPE], account });
      const all: Cluster[] = [];
      let pageToken = '';
      do {
        const query = new URLSearchParams({ page_size: '100' });
        if (pageToken) query.set('page_token', pageToken);
        const response = await fetch(`/api/2.1/clusters/list?${query}`, {
          headers: { Authorization: `Bearer ${accessToken}` },
        });
        if (!response.ok) throw new Error(`clusters/list answered ${response.status}`);
        const body = (await response.json()) as { clusters?: Cluster[]; next_page_token?: string };
        all.push(...(body.clusters ?? []));
        if (cancelled) return;
        setClusters([...all]);
        pageToken = body.next_page_token ?? '';
      } while (pageToken);
      setDone(true);
    })().catch((e: unknown) => {
      if (e instanceof InteractionRequiredAuthError)
        return instance.acquireTokenRedirect({ scopes: [DATABRICKS_SCOPE], account });
      if (!cancelled) setError(e instanceof Error ? e.message : String(e));
    });
    return () => {
      cancelled = true;
    };
  }, [instance, inProgress, account]);

  if (error) return <p role="alert">{error}</p>;
  return (
    <section>
      <p id="status">{done ? `${clusters.length} clusters` : 'Loading clusters…'}</p>
      <table id="clusters">
        <thead>
          <tr>
            <th>Name</th>
            <th>State</th>
            <th>ID</th>
          </tr>
        </thead>
        <tbody>
          {clusters.map((c) => (
            <tr key={c.cluster_id}>
              <td>{c.cluster_name}</td>
              <td>{c.state}</td>
              <td>{c.cluster_id}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function App() {
  const { instance } = useMsal();
  return (
    <main>
      <h1>Clusters</h1>
      <AuthenticatedTemplate>
        <Clusters />
      </AuthenticatedTemplate>
      <UnauthenticatedTemplate>
        <button type="button" onClick={() => instance.loginRedirect()}>
          Sign in
        </button>
      </UnauthenticatedTemplate>
    </main>
  );
}

msalInstance.initialize().then(() => {
  const accounts = msalInstance.getAllAccounts();
  if (accounts[0] && !msalInstance.getActiveAccount()) msalInstance.setActiveAccount(accounts[0]);
  msalInstance.addEventCallback((event: EventMessage) => {
    if (
      (event.eventType === EventType.LOGIN_SUCCESS || event.eventType === EventType.ACQUIRE_TOKEN_SUCCESS) &&
      (event.payload as AuthenticationResult | null)?.account
    )
      msalInstance.setActiveAccount((event.payload as AuthenticationResult).account);
  });
  const root = document.getElementById('root');
  if (root)
    createRoot(root).render(
      <MsalProvider instance={msalInstance}>
        <App />
      </MsalProvider>,
    );
});
