import { act, render, screen, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatLocalTime } from '../../../src/app/tokens/format.ts';
import { TokenInspector } from '../../../src/app/tokens/token-inspector.tsx';
import {
  accessTokenPayload,
  CLIENT,
  CONFIG,
  fakeVerifier,
  idTokenPayload,
  makeToken,
  NOW,
  TENANT,
} from './token-fixtures.ts';

const verified = fakeVerifier(() => ({ state: 'verified', reason: 'Signed by key "k1".' })).verifier;

function renderInspector(options: { id?: string; access?: string; writeText?: (text: string) => Promise<void> } = {}) {
  const idToken = options.id ?? makeToken(idTokenPayload());
  const accessToken = options.access ?? makeToken(accessTokenPayload());
  render(
    <TokenInspector
      idToken={idToken}
      accessToken={accessToken}
      clientId={CLIENT}
      config={CONFIG}
      verifier={verified}
      writeText={options.writeText}
    />,
  );
  return { idToken, accessToken };
}

afterEach(() => vi.useRealTimers());

describe('token inspector', () => {
  it('shows the ID token and the access token side by side, naming issuer and audience', async () => {
    renderInspector();
    const idPanel = screen.getByRole('region', { name: 'ID token' });
    const accessPanel = screen.getByRole('region', { name: 'Access token' });
    expect(within(idPanel).getByText(`this app (${CLIENT})`)).toBeTruthy();
    expect(within(accessPanel).getByText('Azure Databricks (2ff814a6-3304-4ab8-85cb-cd0e6f879c1d)')).toBeTruthy();
    expect(
      within(accessPanel).getByText(`Entra ID tenant ${TENANT}, the configured tenant (v1.0 issuer, sts.windows.net)`),
    ).toBeTruthy();
    expect(
      within(idPanel).getByText(`Entra ID tenant ${TENANT}, the configured tenant (v2.0 issuer, localhost:5174)`),
    ).toBeTruthy();
    expect(await within(accessPanel).findByText('Signature verified')).toBeTruthy();
  });

  it('hides the encoded access token and its signature until revealed', async () => {
    const { accessToken, idToken } = renderInspector();
    const [header, payload, signature] = accessToken.split('.') as [string, string, string];
    expect(document.body.textContent).not.toContain(signature);
    expect(document.body.textContent).not.toContain(header + payload);
    expect(screen.getByRole('region', { name: 'ID token' }).textContent).toContain(idToken);

    const reveal = screen.getByRole('button', { name: 'Reveal access token' });
    expect(reveal.getAttribute('aria-pressed')).toBe('false');
    await userEvent.click(reveal);
    expect(screen.getByLabelText('Encoded access token').textContent).toBe(accessToken);
    expect(screen.getByLabelText('Signature of the access token').textContent).toBe(signature);

    await userEvent.click(screen.getByRole('button', { name: 'Hide access token' }));
    expect(document.body.textContent).not.toContain(signature);
  });

  it('still shows the access token claims while the token is hidden', () => {
    renderInspector();
    const claims = screen.getByRole('table', { name: 'Claims in the access token' });
    const scope = within(claims).getByRole('row', { name: /scp/ });
    expect(within(scope).getByText('user_impersonation')).toBeTruthy();
    expect(within(scope).getByText(/delegated permissions the app may use on your behalf/)).toBeTruthy();
    expect(within(claims).getByRole('row', { name: /amr/ }).textContent).toContain(
      'password, multi-factor authentication',
    );
  });

  it('warns before copying the access token and copies only after confirmation', async () => {
    const writeText = vi.fn(async (_text: string) => {});
    const { accessToken } = renderInspector({ writeText });
    const panel = screen.getByRole('region', { name: 'Access token' });
    await userEvent.click(within(panel).getByRole('button', { name: 'Copy access token' }));

    const warning = screen.getByRole('alertdialog', { name: 'Copy the access token?' });
    expect(warning.textContent).toContain(
      'Anyone who has this access token can call Azure Databricks as you until it expires.',
    );
    expect(warning.textContent).not.toContain(accessToken);
    expect(writeText).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(within(warning).getByRole('button', { name: 'Cancel' }));

    await userEvent.click(within(warning).getByRole('button', { name: 'Copy anyway' }));
    expect(writeText).toHaveBeenCalledWith(accessToken);
    expect(within(panel).getByRole('status', { name: '' }).textContent ?? '').toMatch(/^Copied the access token\./);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('copies nothing when the warning is cancelled, and says when the clipboard refuses', async () => {
    const writeText = vi.fn(async (_text: string) => {
      throw new DOMException('denied', 'NotAllowedError');
    });
    renderInspector({ writeText });
    const panel = screen.getByRole('region', { name: 'Access token' });
    await userEvent.click(within(panel).getByRole('button', { name: 'Copy access token' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(writeText).not.toHaveBeenCalled();

    await userEvent.click(within(panel).getByRole('button', { name: 'Copy access token' }));
    await userEvent.click(screen.getByRole('button', { name: 'Copy anyway' }));
    expect(
      await within(panel).findByText(/^Could not copy: the browser refused access to the clipboard\./),
    ).toBeTruthy();
  });

  it('shows times as local dates with a live expiry countdown', () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(NOW * 1000);
    renderInspector({
      access: makeToken(accessTokenPayload({ exp: NOW + 3600 })),
      id: makeToken(idTokenPayload({ exp: NOW + 2 })),
    });
    const timer = screen.getByRole('timer', { name: 'Access token expiry' });
    expect(timer.textContent).toBe('expires in 1 h');
    expect(screen.getByRole('region', { name: 'Access token' }).textContent).toContain(formatLocalTime(NOW + 3600));

    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(timer.textContent).toBe('expires in 59 min 59 s');

    const idTimer = screen.getByRole('timer', { name: 'ID token expiry' });
    expect(idTimer.textContent).toBe('expires in 1 s');
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(idTimer.textContent).toBe('expired 2 s ago');
    expect(idTimer.className).toBe('expired');
  });

  it('says when a token is not valid yet', () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW * 1000);
    renderInspector({ id: makeToken(idTokenPayload({ nbf: NOW + 300 })) });
    expect(
      within(screen.getByRole('region', { name: 'ID token' })).getByText(`${formatLocalTime(NOW + 300)} (in 5 min)`),
    ).toBeTruthy();
  });

  it('shows hostile claim names and values literally, never as markup', () => {
    renderInspector({
      id: makeToken(
        idTokenPayload({
          name: '<img src=x onerror="alert(1)">',
          '<script>alert(2)</script>': '<b>bold</b>',
          aud: ['<svg onload=alert(3)>'],
        }),
      ),
    });
    const panel = screen.getByRole('region', { name: 'ID token' });
    expect(within(panel).getByText('<img src=x onerror="alert(1)">')).toBeTruthy();
    expect(within(panel).getAllByText('<script>alert(2)</script>').length).toBeGreaterThan(0);
    expect(within(panel).getByText('<b>bold</b>')).toBeTruthy();
    expect(document.querySelector('img, script, b, svg')).toBeNull();
  });

  it('shows the raw JSON a click away', async () => {
    renderInspector();
    const panel = screen.getByRole('region', { name: 'Access token' });
    const summary = within(panel).getByText('Raw JSON of the access token');
    const details = summary.closest('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    await userEvent.click(summary);
    expect(details.open).toBe(true);
    expect(within(panel).getByLabelText('Raw payload JSON of the access token').textContent).toContain(
      '"scp": "user_impersonation"',
    );
  });

  it('shows each verification state with its reason', async () => {
    const { verifier } = fakeVerifier((jwt) =>
      jwt.includes(makeToken(idTokenPayload()).split('.')[1] as string)
        ? { state: 'not-verified', reason: 'The signature does not match.' }
        : { state: 'unavailable', reason: 'The keys could not be fetched.' },
    );
    render(
      <TokenInspector
        idToken={makeToken(idTokenPayload())}
        accessToken={makeToken(accessTokenPayload())}
        clientId={CLIENT}
        config={CONFIG}
        verifier={verifier}
      />,
    );
    const idStatus = screen.getByRole('status', { name: 'ID token signature' });
    expect(idStatus.textContent).toBe('Checking the signature…');
    expect(await within(idStatus).findByText('Signature NOT verified')).toBeTruthy();
    expect(idStatus.textContent).toContain('The signature does not match.');
    const accessStatus = screen.getByRole('status', { name: 'Access token signature' });
    expect(await within(accessStatus).findByText('Signature could not be checked')).toBeTruthy();
  });

  it('explains missing and malformed tokens instead of failing', () => {
    render(
      <TokenInspector
        idToken="not.a-token"
        accessToken={undefined}
        clientId={CLIENT}
        config={CONFIG}
        verifier={verified}
      />,
    );
    expect(screen.getByRole('alert').textContent).toBe(
      'The ID token could not be decoded: A JWT has three parts separated by dots (header.payload.signature); this has 2.',
    );
    expect(screen.getByText('No access token yet. Sign in to see it.')).toBeTruthy();
  });

  it('shows the header parameters with their meaning', () => {
    renderInspector();
    const header = screen.getByRole('table', { name: 'Header of the ID token' });
    expect(within(header).getByRole('row', { name: /kid/ }).textContent).toContain(
      "Which of the issuer's published keys signed the token",
    );
  });
});
