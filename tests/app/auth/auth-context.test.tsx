import { render, screen } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AuthProvider, useAuth } from '../../../src/app/auth/auth-context.tsx';
import { SignInError } from '../../../src/app/auth/errors.ts';
import { ANA, BEN, FakeAuthService } from '../support/fakes.ts';

function Probe() {
  const auth = useAuth();
  const s = auth.state;
  return (
    <div>
      <p>status: {s.status}</p>
      {s.status === 'signed-in' && <p>account: {s.account.username}</p>}
      {s.status === 'signed-out' && s.error !== undefined && <p>error: {(s.error as Error).message}</p>}
      <button type="button" onClick={() => auth.getTokens().catch(() => {})}>
        token
      </button>
    </div>
  );
}

describe('auth context', () => {
  it('starts the service once and reports the signed-in account', async () => {
    const service = new FakeAuthService();
    let starts = 0;
    const start = service.start.bind(service);
    service.start = () => {
      starts++;
      return start();
    };
    const { rerender } = render(
      <AuthProvider service={service}>
        <Probe />
      </AuthProvider>,
    );
    expect(screen.getByText('status: starting')).toBeTruthy();
    expect(await screen.findByText('account: ana@contoso.example')).toBeTruthy();
    rerender(
      <AuthProvider service={service}>
        <Probe />
      </AuthProvider>,
    );
    expect(starts).toBe(1);
  });

  it('reports signed-out with the start error', async () => {
    const service = new FakeAuthService({ active: null, startError: new SignInError('AUTH_FAILED', 'state mismatch') });
    render(
      <AuthProvider service={service}>
        <Probe />
      </AuthProvider>,
    );
    expect(await screen.findByText('error: state mismatch')).toBeTruthy();
  });

  it('shows the start error rather than the cached account when a sign-in response failed', async () => {
    const service = new FakeAuthService({
      active: ANA,
      startError: new SignInError('AUTH_FAILED', 'redemption failed'),
    });
    render(
      <AuthProvider service={service}>
        <Probe />
      </AuthProvider>,
    );
    expect(await screen.findByText('error: redemption failed')).toBeTruthy();
  });

  it('asks to choose when several accounts are cached and none is active', async () => {
    render(
      <AuthProvider service={new FakeAuthService({ active: null, accounts: [ANA, BEN] })}>
        <Probe />
      </AuthProvider>,
    );
    expect(await screen.findByText('status: choose-account')).toBeTruthy();
  });

  it('follows a sign-out in another tab', async () => {
    const service = new FakeAuthService();
    render(
      <AuthProvider service={service}>
        <Probe />
      </AuthProvider>,
    );
    await screen.findByText('status: signed-in');
    service.active = null;
    service.cached = [];
    service.emitAccountsChanged();
    expect(await screen.findByText('status: signed-out')).toBeTruthy();
  });

  it('shows redirecting when a token needs a new sign-in', async () => {
    const service = new FakeAuthService();
    service.tokenError = new SignInError('AUTH_REDIRECTING', 'redirecting');
    render(
      <AuthProvider service={service}>
        <Probe />
      </AuthProvider>,
    );
    await screen.findByText('status: signed-in');
    await userEvent.click(screen.getByRole('button', { name: 'token' }));
    expect(await screen.findByText('status: redirecting')).toBeTruthy();
  });

  it('refuses to be used outside its provider', () => {
    expect(() => render(<Probe />)).toThrow('useAuth() must be used inside <AuthProvider>.');
  });
});
