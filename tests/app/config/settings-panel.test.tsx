import { render, screen, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../src/app/config/errors.ts';
import { SETTINGS_STORAGE_KEY, saveOverrides } from '../../../src/app/config/saved-settings.ts';
import { SettingsPanel } from '../../../src/app/config/settings-panel.tsx';
import type { RuntimeConfigWire } from '../../../src/app/config/types.ts';
import { validateConfig } from '../../../src/app/config/validate.ts';

const SERVER: RuntimeConfigWire = {
  tenantId: 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de',
  clientId: '12a34b56-789c-0d12-e3fa-b456789c0123',
  workspaceUrl: 'https://localhost:5175',
  sandbox: true,
  sandboxAuthorityOrigin: 'https://localhost:5174',
};

function renderPanel(overrides: Partial<Parameters<typeof SettingsPanel>[0]> = {}) {
  const handlers = { onApply: vi.fn(), onReset: vi.fn(), onClose: vi.fn() };
  const result = validateConfig({ server: SERVER });
  render(
    <SettingsPanel
      config={result.ok ? result.config : undefined}
      wire={SERVER}
      server={SERVER}
      errors={[]}
      {...handlers}
      {...overrides}
    />,
  );
  return handlers;
}

/** Presses Apply, as a person does to save the form. */
async function apply() {
  await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
}

/** The field's aria-invalid, 'true' while it shows an error. */
function invalidState(label: string) {
  return screen.getByLabelText(label).getAttribute('aria-invalid');
}

async function retype(label: string, value: string) {
  const input = screen.getByLabelText(label);
  await userEvent.clear(input);
  if (value) await userEvent.type(input, value);
}

const saved = () => localStorage.getItem(SETTINGS_STORAGE_KEY);

beforeEach(() => localStorage.clear());

describe('settings panel', () => {
  it('shows every setting as a labelled field filled with the values in effect', () => {
    renderPanel();
    expect((screen.getByLabelText('Tenant') as HTMLInputElement).value).toBe(SERVER.tenantId);
    expect((screen.getByLabelText('Client ID') as HTMLInputElement).value).toBe(SERVER.clientId);
    expect((screen.getByLabelText('Cloud') as HTMLSelectElement).value).toBe('sandbox');
    expect((screen.getByLabelText('Workspace URL') as HTMLInputElement).value).toBe('https://localhost:5175');
    for (const label of ['Subscription ID', 'Resource group', 'Workspace name']) {
      expect((screen.getByLabelText(label) as HTMLInputElement).value).toBe('');
    }
    expect((screen.getByRole('radio', { name: 'Session storage (default)' }) as HTMLInputElement).checked).toBe(true);
  });

  it('refuses bad values before saving, with the error next to the field', async () => {
    const { onApply } = renderPanel();
    await retype('Client ID', 'my-app');
    await apply();

    const input = screen.getByLabelText('Client ID');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('textbox', { name: 'Client ID', description: /received "my-app"/ })).toBe(input);
    expect(document.activeElement).toBe(input);
    expect(screen.getByRole('alert').textContent).toBe('Nothing was saved: one value needs correcting.');
    expect(saved()).toBeNull();
    expect(onApply).not.toHaveBeenCalled();
  });

  it('clears a field error as soon as the value is corrected', async () => {
    renderPanel();
    await retype('Tenant', 'common');
    await apply();
    expect(invalidState('Tenant')).toBe('true');
    await retype('Tenant', 'contoso.example');
    expect(invalidState('Tenant')).toBe('false');
  });

  it('saves only the values that differ from the server, then hands over the new configuration', async () => {
    const { onApply } = renderPanel();
    await retype('Tenant', 'contoso.example');
    await userEvent.click(screen.getByRole('radio', { name: 'Local storage' }));
    await apply();

    expect(JSON.parse(saved() ?? '{}')).toEqual({ tenantId: 'contoso.example', cacheLocation: 'localStorage' });
    expect(onApply).toHaveBeenCalledTimes(1);
    const [overrides, config] = onApply.mock.calls[0] as [unknown, { tenantId: string; cacheLocation: string }];
    expect(overrides).toEqual({ tenantId: 'contoso.example', cacheLocation: 'localStorage' });
    expect(config).toMatchObject({
      tenantId: 'contoso.example',
      cacheLocation: 'localStorage',
      authorityHost: 'localhost:5174',
    });
    expect(screen.getByText('Saved.')).toBeTruthy();
  });

  it('asks for all three resource ID parts or none', async () => {
    renderPanel();
    await retype('Resource group', 'explorer-sandbox');
    await apply();
    expect(invalidState('Subscription ID')).toBe('true');
    expect(invalidState('Workspace name')).toBe('true');
    expect(screen.getByRole('alert').textContent).toBe('Nothing was saved: 2 values need correcting.');
    expect(saved()).toBeNull();
  });

  it('checks a real workspace against the chosen cloud', async () => {
    renderPanel();
    await userEvent.selectOptions(screen.getByLabelText('Cloud'), 'usgov');
    await retype('Workspace URL', 'https://adb-1.2.azuredatabricks.net');
    await apply();
    expect(
      screen.getByRole('textbox', {
        name: 'Workspace URL',
        description: /belongs to Azure \(public\), but the cloud is Azure US Government/,
      }),
    ).toBeTruthy();
    await retype('Workspace URL', 'https://adb-1.2.databricks.azure.us');
    await apply();
    expect(JSON.parse(saved() ?? '{}')).toEqual({
      cloud: 'usgov',
      workspaceUrl: 'https://adb-1.2.databricks.azure.us',
    });
  });

  it('shows the errors found at load time before anything is typed, including general ones', () => {
    renderPanel({
      config: undefined,
      wire: { ...SERVER, clientId: 'bad' },
      errors: [
        new ConfigError('clientId', 'Client ID must be a GUID; received "bad".'),
        new ConfigError('runtimeConfig', 'Could not load the runtime configuration at /explorer-config.json.'),
      ],
    });
    expect((screen.getByLabelText('Client ID') as HTMLInputElement).value).toBe('bad');
    expect(
      screen.getByRole('textbox', { name: 'Client ID', description: /Client ID must be a GUID; received "bad"\./ }),
    ).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'Could not load the runtime configuration at /explorer-config.json.',
    );
  });

  it('resets to the server defaults and forgets the saved overrides', async () => {
    saveOverrides({ tenantId: 'contoso.example', cacheLocation: 'localStorage' });
    const { onReset } = renderPanel({ wire: { ...SERVER, tenantId: 'contoso.example' } });
    expect((screen.getByLabelText('Tenant') as HTMLInputElement).value).toBe('contoso.example');
    expect((screen.getByRole('radio', { name: 'Local storage' }) as HTMLInputElement).checked).toBe(true);

    await userEvent.click(screen.getByRole('button', { name: 'Reset to server defaults' }));
    expect(saved()).toBeNull();
    expect(onReset).toHaveBeenCalledTimes(1);
    expect((screen.getByLabelText('Tenant') as HTMLInputElement).value).toBe(SERVER.tenantId);
    expect((screen.getByRole('radio', { name: 'Session storage (default)' }) as HTMLInputElement).checked).toBe(true);
  });

  it('explains the trade-off of each token cache location', () => {
    renderPanel();
    const group = screen.getByRole('group', { name: 'Token cache' });
    expect(
      within(group).getByRole('radio', { name: 'Session storage (default)', description: /gone when it closes/ }),
    ).toBeTruthy();
    expect(
      within(group).getByRole('radio', {
        name: 'Local storage',
        description: /any script running in this page could use them/,
      }),
    ).toBeTruthy();
  });

  it('offers the sandbox as a cloud only when the server runs it', () => {
    renderPanel({
      server: { ...SERVER, sandbox: false },
      wire: { ...SERVER, sandbox: false, cloud: 'public' },
      config: undefined,
    });
    const options = within(screen.getByLabelText('Cloud'))
      .getAllByRole('option')
      .map((option) => option.textContent);
    expect(options).toEqual(['Azure (public)', 'Azure US Government', 'Azure operated by 21Vianet (China)']);
  });

  it('closes without saving', async () => {
    const { onClose, onApply } = renderPanel();
    await retype('Tenant', 'contoso.example');
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(onApply).not.toHaveBeenCalled();
    expect(saved()).toBeNull();
  });

  it('shows hostile values literally in fields and messages', async () => {
    renderPanel();
    await retype('Tenant', '<img src=x onerror=alert(1)>');
    await apply();
    expect(
      screen.getByRole('textbox', { name: 'Tenant', description: /received "<img src=x onerror=alert\(1\)>"/ }),
    ).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
  });
});
