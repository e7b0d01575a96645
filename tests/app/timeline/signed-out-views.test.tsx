import { render, screen } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { SignedOutViews } from '../../../src/app/timeline/signed-out-views.tsx';
import { createTimeline } from '../../../src/app/timeline/timeline.ts';
import { App } from '../../../src/app/app.tsx';
import { SignInError } from '../../../src/app/auth/errors.ts';
import { FakeAuthService, SANDBOX_CONFIG } from '../support/fakes.ts';

beforeEach(() => history.replaceState(null, '', '/'));

describe('signed out', () => {
  it('shows why a sign-in failed on the Timeline, one click from the sign-in page', async () => {
    const user = userEvent.setup();
    const timeline = createTimeline();
    timeline.add({ kind: 'auth', status: 'info', title: 'Redirect to authorize', detail: 'host/authorize' });
    timeline.add({
      kind: 'auth',
      status: 'fail',
      title: 'Identity provider returned error=consent_required',
      detail: 'AADSTS65001',
    });
    render(
      <SignedOutViews timeline={timeline} config={SANDBOX_CONFIG}>
        <p>sign-in page</p>
      </SignedOutViews>,
    );
    expect(screen.getByText('sign-in page')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Without signing in' });
    await user.click(screen.getByRole('link', { name: 'Timeline' }));
    expect(await screen.findByRole('heading', { name: 'Timeline' })).toBeTruthy();
    expect(screen.queryByText('sign-in page')).toBeNull();
    expect(screen.getByRole('main')).toBeTruthy();
    expect(
      screen.getByRole('button', { name: /Sign-in failed: Entra ID answered error=consent_required.*failed/ }),
    ).toBeTruthy();
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toBe('Timeline');

    await user.click(screen.getByRole('link', { name: 'Decode a token' }));
    expect(await screen.findByRole('heading', { name: 'Decode and compare tokens' })).toBeTruthy();
    await user.click(screen.getByRole('link', { name: 'Sign-in page' }));
    expect(await screen.findByText('sign-in page')).toBeTruthy();
  });
});

describe('signed out, in the whole app', () => {
  it('reaches the Timeline after a failed sign-in, with the failure in place', async () => {
    const user = userEvent.setup();
    const timeline = createTimeline();
    timeline.add({
      kind: 'auth',
      status: 'fail',
      title: 'Identity provider returned error=access_denied',
      detail: 'AADSTS65004',
    });
    const service = new FakeAuthService({
      active: null,
      startError: new SignInError('AUTH_FAILED', 'The sign-in was declined.', { aadsts: 65004 }),
    });
    render(
      <App
        loadConfig={async () => ({ ok: true, config: SANDBOX_CONFIG, wire: {}, server: {}, overrides: {} })}
        createAuth={async () => service}
        timeline={timeline}
        reload={() => undefined}
      />,
    );
    await user.click(await screen.findByRole('link', { name: 'Timeline' }));
    expect(
      await screen.findByRole('button', { name: /Sign-in failed: Entra ID answered error=access_denied/ }),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Sign in' })).toBeNull();
  });
});
