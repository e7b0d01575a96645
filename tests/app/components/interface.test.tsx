import { render, screen, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../src/app/app.tsx';
import { SignInError } from '../../../src/app/auth/errors.ts';
import type { AuthService } from '../../../src/app/auth/types.ts';
import { explainTermination, summarizeCluster } from '../../../src/app/clusters/cluster-summary.ts';
import { createTimeline } from '../../../src/app/timeline/timeline.ts';
import { FakeAuthService, makeCluster } from '../support/fakes.ts';

/**
 * Issue 12's interface defects, as a person meets them: the tabs by keyboard, the settings
 * dialog's focus, the error panels' actions, and the cluster summary's plain words.
 */

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function stubWorkspace(routes: Record<string, () => Response>) {
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname.replace('/databricks/localhost:5175', '');
    const route = routes[path];
    return route ? route() : json(404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No API found for ${path}` });
  });
}

function renderApp(service: AuthService) {
  return render(
    <App
      loadConfig={async () => ({ ok: true, config: service.config, wire: {}, server: {}, overrides: {} })}
      createAuth={async () => service}
      timeline={createTimeline()}
      reload={() => {}}
    />,
  );
}

beforeEach(() => {
  history.replaceState(null, '', '/');
  stubWorkspace({
    '/api/2.0/preview/scim/v2/Me': () => json(200, { userName: 'ana@contoso.example', displayName: 'Ana Analyst' }),
    '/api/2.1/clusters/list': () => json(200, { clusters: [makeCluster(0, { cluster_name: 'shared-analytics' })] }),
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('view tabs', () => {
  it('follow the WAI-ARIA tabs pattern: one tab stop, arrows wrap, Home and End', async () => {
    const user = userEvent.setup();
    renderApp(new FakeAuthService());
    await screen.findByRole('button', { name: 'Details of shared-analytics' });
    const tab = (name: string) => screen.getByRole('tab', { name });
    expect(screen.getAllByRole('tab').map((t) => t.tabIndex)).toEqual([0, -1, -1, -1, -1, -1]);

    tab('Clusters').focus();
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(tab('Tokens'));
    expect(tab('Tokens').getAttribute('aria-selected')).toBe('true');
    expect(location.hash).toBe('#/tokens');
    expect(screen.getAllByRole('tab').map((t) => t.tabIndex)).toEqual([-1, 0, -1, -1, -1, -1]);

    await user.keyboard('{End}');
    expect(document.activeElement).toBe(tab('API Explorer'));
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(tab('Clusters'));
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement).toBe(tab('API Explorer'));
    await user.keyboard('{Home}');
    expect(document.activeElement).toBe(tab('Clusters'));
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-clusters');
  });

  it('sit inside the one main landmark, with the views', async () => {
    renderApp(new FakeAuthService());
    await screen.findByRole('button', { name: 'Details of shared-analytics' });
    const main = screen.getByRole('main');
    expect(within(main).getByRole('tablist', { name: 'Views' })).toBeTruthy();
    expect(within(main).getByRole('tabpanel')).toBeTruthy();
  });
});

describe('settings dialog', () => {
  it('takes focus, closes with Escape and gives focus back to the Settings button', async () => {
    const user = userEvent.setup();
    renderApp(new FakeAuthService());
    await screen.findByRole('button', { name: 'Details of shared-analytics' });
    const open = screen.getByRole('button', { name: 'Settings' });
    // As a keyboard user opens it: focus on the button, then activate it.
    open.focus();
    open.click();
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    await within(dialog).findByLabelText('Client ID');
    expect(dialog.tagName).toBe('DIALOG');
    expect(dialog.contains(document.activeElement)).toBe(true);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Settings' })).toBeNull();
    expect(document.activeElement).toBe(open);
  });

  it('keeps Tab inside: from the last control to the first, and Shift+Tab back', async () => {
    const user = userEvent.setup();
    renderApp(new FakeAuthService());
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    await within(dialog).findByLabelText('Client ID');
    const controls = [...dialog.querySelectorAll<HTMLElement>('button:not([disabled]), input, select')];
    const last = controls.at(-1)!;
    last.focus();
    await user.tab();
    expect(document.activeElement).toBe(controls[0]);
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(last);
  });
});

describe('error panels', () => {
  it('lead a 403 with another account, keeping "Try again" second', async () => {
    stubWorkspace({
      '/api/2.0/preview/scim/v2/Me': () => json(403, { error_code: 'PERMISSION_DENIED', message: 'Not a member.' }),
      '/api/2.1/clusters/list': () => json(403, { error_code: 'PERMISSION_DENIED', message: 'Not a member.' }),
    });
    const service = new FakeAuthService();
    renderApp(service);
    const alert = await screen.findByRole('alert');
    const buttons = within(alert).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['Use another account', 'Try again']);
    expect(buttons[0]!.className).toBe('primary');
    await userEvent.click(buttons[0]!);
    expect(service.signIns).toEqual([{ view: 'clusters', switchAccount: true }]);
  });

  it('offer one way to sign in on the signed-out page when the error itself asks to sign in again', async () => {
    const error = new SignInError('AUTH_FAILED', 'failed', { aadsts: 65001, during: 'redirect' });
    renderApp(new FakeAuthService({ active: null, startError: error }));
    await screen.findByRole('alert');
    expect(screen.getAllByRole('button', { name: /^Sign in/ }).map((b) => b.textContent)).toEqual(['Sign in again']);
    expect(screen.getAllByRole('main')).toHaveLength(1);
  });

  it('keep the sign-in button when the error asks for something else', async () => {
    const error = new SignInError('AUTH_FAILED', 'failed', { aadsts: 700016, during: 'redirect' });
    renderApp(new FakeAuthService({ active: null, startError: error }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).queryByRole('button', { name: /^Sign in/ })).toBeNull();
    expect(screen.getAllByRole('button', { name: /^Sign in/ }).map((b) => b.textContent)).toEqual(['Sign in']);
  });
});

describe('cluster summary', () => {
  it.each([
    [
      { code: 'USER_REQUEST', type: 'SUCCESS', parameters: { username: 'ana@contoso.example' } },
      /^ana@contoso\.example stopped the cluster/,
    ],
    [{ code: 'JOB_FINISHED', type: 'SUCCESS' }, /^The job this cluster was created for has finished/],
    [
      {
        code: 'CLOUD_PROVIDER_LAUNCH_FAILURE',
        type: 'CLOUD_FAILURE',
        parameters: { azure_error_code: 'OperationNotAllowed' },
      },
      /^Azure could not create the virtual machines .* Azure said: OperationNotAllowed\. \(a problem on the Azure side\.\) \[CLOUD_PROVIDER_LAUNCH_FAILURE · CLOUD_FAILURE\]$/,
    ],
    [{ code: 'AZURE_QUOTA_EXCEEDED_EXCEPTION', type: 'CLIENT_ERROR' }, /vCPU quota/],
    [{ code: 'SOMETHING_NEW' }, /^The cluster stopped \(SOMETHING_NEW\)\. \[SOMETHING_NEW\]$/],
  ])('explains termination %j in plain words', (reason, expected) => {
    expect(explainTermination(reason)).toMatch(expected);
  });

  it('says nothing about termination for a running cluster, and lists only the facts present', () => {
    expect(explainTermination(undefined)).toBe('');
    const { facts, tags } = summarizeCluster(
      makeCluster(1, { num_workers: 0, data_security_mode: 'SINGLE_USER', single_user_name: 'ana@contoso.example' }),
    );
    const byLabel = Object.fromEntries(facts.map((f) => [f.label, f.value]));
    expect(byLabel.Workers).toBe('None (single node: the driver does the work)');
    expect(byLabel['Access mode']).toBe('Dedicated (single user), for ana@contoso.example [SINGLE_USER]');
    expect(byLabel['Termination reason']).toBeUndefined();
    expect(byLabel.Policy).toBeUndefined();
    expect(tags).toEqual([]);
  });
});
