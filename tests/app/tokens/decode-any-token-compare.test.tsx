import { fireEvent, render, screen, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CompareTokens } from '../../../src/app/tokens/compare-tokens.tsx';
import { DecodeView } from '../../../src/app/tokens/decode-view.tsx';
import { accessTokenPayload, CONFIG, makeToken, NOW, TENANT } from './token-fixtures.ts';

function paste(label: string, text: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value: text } });
}

function findings() {
  return screen.getByRole('region', { name: 'What matters to Azure Databricks' });
}

function row(claim: string) {
  const table = screen.getByRole('table', { name: 'Claim by claim' });
  return within(table).getByRole('row', { name: new RegExp(`^${claim} `) });
}

describe('compare two tokens', () => {
  it("says the audience matters when the second token is for Azure Resource Manager (az account get-access-token's default)", () => {
    render(<CompareTokens config={CONFIG} nowSeconds={NOW} />);
    paste('First token', makeToken(accessTokenPayload()));
    paste(
      'Second token',
      JSON.stringify({
        accessToken: makeToken(accessTokenPayload({ aud: 'https://management.core.windows.net/', scp: undefined })),
        expiresOn: '2026-11-24 07:00:00.000000',
        tokenType: 'Bearer',
      }),
    );
    expect(within(findings()).getAllByRole('listitem')[0]!.textContent).toBe(
      'Audience: the first is for Azure Databricks, the second for Azure Resource Manager. Only the first is for Azure Databricks; the workspace refuses the other.',
    );
    expect(findings().textContent).toContain('First token: Azure Databricks would accept it now.');
    expect(findings().textContent).toContain(
      'Second token: Its audience is Azure Resource Manager, not Azure Databricks.',
    );
    expect(row('aud').textContent).toContain('Matters. Azure Databricks accepts only tokens whose audience is');
  });

  it('says a step-up to MFA changes nothing Azure Databricks checks', () => {
    render(<CompareTokens config={CONFIG} nowSeconds={NOW} />);
    paste('First token', makeToken(accessTokenPayload({ amr: ['pwd'], uti: 'a' })));
    paste('Second token', makeToken(accessTokenPayload({ amr: ['pwd', 'mfa'], uti: 'b', iat: NOW - 5 })));
    expect(within(findings()).getByText('No difference that Azure Databricks acts on.')).toBeTruthy();
    expect(row('amr').textContent).toContain('Differs; does not matter now. How the person signed in (e.g. with MFA)');
    expect(row('uti').textContent).toContain('Differs in every new token; does not matter');
    // Only the differences are listed until asked for all.
    expect(screen.queryByRole('row', { name: /^upn / })).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Show only the claims that differ' }));
    expect(row('upn').textContent).toContain('Same');
  });

  it('says an expired token and a token from another tenant are refused', () => {
    const other = 'f0f0f0f0-0000-4000-8000-00000000000f';
    render(<CompareTokens config={CONFIG} nowSeconds={NOW} />);
    paste('First token', makeToken(accessTokenPayload()));
    paste(
      'Second token',
      makeToken(accessTokenPayload({ exp: NOW - 180, iss: `https://sts.windows.net/${other}/`, tid: other })),
    );
    const items = within(findings())
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toContain(
      `Tenant: the first is from ${TENANT}, the second from ${other}. Azure Databricks accepts tokens from the workspace's tenant only.`,
    );
    expect(items.find((t) => t?.startsWith('Expiry:'))).toBe(
      'Expiry: the first expires in 1 h, the second expired 3 min ago. An expired token is refused (HTTP 401 or 403); tokens with less than about 30 s left have been refused too.',
    );
    expect(findings().textContent).toContain(
      `Second token: It expired 3 min ago. It was issued by tenant ${other}, not the configured tenant ${TENANT}.`,
    );
    expect(row('tid').textContent).toContain('Matters.');
    expect(row('iss').textContent).toContain('Matters.');
  });

  it('says when one user name stands for two accounts, rather than naming the same person twice', () => {
    render(<CompareTokens config={CONFIG} nowSeconds={NOW} />);
    paste('First token', makeToken(accessTokenPayload()));
    paste('Second token', makeToken(accessTokenPayload({ oid: '0a11ce00-0000-4000-8000-0000000000ff' })));
    const person = within(findings())
      .getAllByRole('listitem')
      .map((li) => li.textContent)
      .find((text) => text?.startsWith('Person:'));
    expect(person).toMatch(/^Person: both name ana@contoso\.example, but as different accounts \(oid /);
    expect(person).toContain('0a11ce00-0000-4000-8000-0000000000ff');
  });

  it('says when the two tokens are for different people, and when a scope is missing', () => {
    render(<CompareTokens config={CONFIG} nowSeconds={NOW} />);
    paste('First token', makeToken(accessTokenPayload()));
    paste('Second token', makeToken(accessTokenPayload({ upn: 'ben@contoso.example', scp: 'openid' })));
    const items = within(findings())
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toContain(
      "Person: the first is for ana@contoso.example, the second for ben@contoso.example. The workspace answers each with that user's permissions.",
    );
    expect(items.find((t) => t?.startsWith('Scopes:'))).toContain(
      'only the first has user_impersonation; only the second has openid',
    );
    expect(findings().textContent).toContain(
      'Second token: It lacks the user_impersonation scope that a token for a person needs.',
    );
  });

  it("compares the app's access token without showing it, and explains a box that holds no JWT", async () => {
    const user = userEvent.setup();
    const token = makeToken(accessTokenPayload({ amr: ['pwd'] }));
    render(<CompareTokens config={CONFIG} nowSeconds={NOW} getAccessToken={async () => token} />);
    await user.click(screen.getByRole('button', { name: "Use this app's access token as the first token" }));
    // Compared, but not shown: the page may be on a projector.
    expect(await screen.findByText("This app's current access token (not shown).")).toBeTruthy();
    expect(screen.queryByLabelText('First token')).toBeNull();
    expect(document.body.innerHTML).not.toContain(token);
    paste('Second token', makeToken(accessTokenPayload({ amr: ['pwd', 'mfa'] })));
    expect(findings().textContent).toContain('No difference that Azure Databricks acts on.');
    paste('Second token', 'not a token');
    expect(screen.getByRole('alert').textContent).toContain('Second token is not a readable JWT.');
    expect(screen.queryByRole('table')).toBeNull();
  });
});

describe('decode view', () => {
  it('opens decode and compare as a view of its own', async () => {
    render(<DecodeView config={CONFIG} />);
    expect(screen.getByRole('heading', { level: 2, name: 'Decode and compare tokens' })).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Decode any token' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Compare two tokens' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Use this app's access token/ })).toBeNull();
  });
});
