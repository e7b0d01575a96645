import { useContext } from 'preact/hooks';
import { diagnose } from '../errors/doctor.ts';
import { DoctorActionsContext, ErrorPanel } from '../errors/error-panel.tsx';

/** The signed-out page: what the app does, the sign-in button, and the sandbox's demo users. */
export function Landing({
  sandbox,
  error,
  onSignIn,
  busy,
}: {
  sandbox: boolean;
  error?: unknown;
  onSignIn(): void;
  busy: boolean;
}) {
  // An error whose own action is to sign in again already offers the button: one sign-in button only.
  // The landing loads lazily, with the doctor (its chunk imports it), so the answer is known at once.
  const { context } = useContext(DoctorActionsContext);
  const errorSignsIn = error !== undefined && diagnose(error, context).action === 'sign-in';
  return (
    <section class="landing" aria-labelledby="landing-heading">
      <h2 id="landing-heading">Sign in to explore your workspace</h2>
      <p>
        Sign in with Microsoft Entra ID (authorization code flow with PKCE). The app gets an access token for Azure
        Databricks, shows what is inside your tokens and lists your workspace's clusters. Tokens stay in this browser.
      </p>
      {error !== undefined && <ErrorPanel error={error} />}
      {!errorSignsIn && (
        <button type="button" class="primary" onClick={onSignIn} disabled={busy}>
          {busy ? 'Redirecting to sign in…' : 'Sign in'}
        </button>
      )}
      {sandbox && (
        <aside class="sandbox-hint" aria-label="Sandbox demo users">
          <p>
            This is the local <strong>sandbox</strong>: a stand-in for Microsoft Entra ID and a Databricks workspace.
            Sign in as one of the demo users; the password is the name before the @ followed by <code>-sandbox</code>.
          </p>
          <ul>
            <li>
              <code>ana@contoso.example</code> (<code>ana-sandbox</code>): an ordinary workspace user
            </li>
            <li>
              <code>ben@contoso.example</code>: a workspace admin
            </li>
            <li>
              <code>carl@contoso.example</code>: not in the workspace (403)
            </li>
            <li>
              <code>dana@contoso.example</code>: has not consented yet
            </li>
            <li>
              <code>eve@contoso.example</code>: needs MFA (code <code>123456</code>)
            </li>
            <li>
              <code>fay@contoso.example</code>: Contributor on the workspace resource; she becomes an admin once
              Settings hold the workspace's subscription, resource group and name (the sandbox sign-in page lists them)
            </li>
          </ul>
        </aside>
      )}
    </section>
  );
}
