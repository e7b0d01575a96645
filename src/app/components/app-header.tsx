import type { AccountSummary } from '../auth/types.ts';
import type { WhoAmI } from '../databricks/scim.ts';

/** Who am I: the workspace's name for the person, admin and sandbox badges, account actions. */
export function AppHeader(props: {
  account: AccountSummary | null;
  accounts: readonly AccountSummary[];
  who: WhoAmI | null;
  whoError: boolean;
  sandbox: boolean;
  onSwitchTo(id: string): void;
  onSwitchAccount(): void;
  onSignOut(): void;
  /** Signs out of every account cached in this browser. */
  onSignOutAll(): void;
  onSettings(): void;
}) {
  const { account, who } = props;
  return (
    <header class="app-header">
      <h1>Databricks Entra Explorer</h1>
      {props.sandbox && (
        <span class="badge sandbox" title="Local stand-in for Entra ID and Databricks">
          Sandbox
        </span>
      )}
      <section class="who" aria-label="Signed-in user">
        {account && (
          <>
            <span class="who-name">{who?.displayName || account.name}</span>
            <span class="who-user">{who?.userName || account.username}</span>
            {who?.isAdmin && <span class="badge admin">Workspace admin</span>}
            {props.whoError && <span class="badge warn">Not recognised by the workspace</span>}
          </>
        )}
      </section>
      <nav class="account-actions" aria-label="Account">
        {account && props.accounts.length > 1 && (
          <label>
            Account
            <select
              value={account.homeAccountId}
              onChange={(e) => props.onSwitchTo((e.currentTarget as HTMLSelectElement).value)}
            >
              {props.accounts.map((a) => (
                <option key={a.homeAccountId} value={a.homeAccountId}>
                  {a.username}
                </option>
              ))}
            </select>
          </label>
        )}
        {account && (
          <button type="button" onClick={props.onSwitchAccount}>
            Switch account
          </button>
        )}
        <button type="button" onClick={props.onSettings}>
          Settings
        </button>
        {account && (
          <>
            <button type="button" onClick={props.onSignOut}>
              Sign out of {account.username}
            </button>
            <button type="button" onClick={props.onSignOutAll}>
              Sign out of all accounts
            </button>
          </>
        )}
      </nav>
    </header>
  );
}
