import type { AccountSummary } from '../auth/types.ts';

/** Several accounts are signed in in this browser: let the person choose, or add another. */
export function AccountPicker({
  accounts,
  onPick,
  onOther,
  onSignOutAll,
}: {
  accounts: readonly AccountSummary[];
  onPick(id: string): void;
  onOther(): void;
  /** Signs out of every account cached in this browser. */
  onSignOutAll?: () => void;
}) {
  return (
    <section class="picker" aria-labelledby="picker-heading">
      <h2 id="picker-heading">Choose an account</h2>
      <ul>
        {accounts.map((account) => (
          <li key={account.homeAccountId}>
            <button type="button" onClick={() => onPick(account.homeAccountId)}>
              <span class="account-name">{account.name}</span> <span class="account-user">{account.username}</span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onOther}>
        Use another account
      </button>
      {onSignOutAll && (
        <button type="button" onClick={onSignOutAll}>
          Sign out of all accounts
        </button>
      )}
    </section>
  );
}
