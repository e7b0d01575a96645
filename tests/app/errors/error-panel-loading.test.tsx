import { render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * The error doctor is not on the path to the clusters: the panel loads it on first use. Each test
 * imports the panel afresh, so the doctor has not been loaded yet.
 */
afterEach(() => {
  vi.doUnmock('../../../src/app/errors/doctor.ts');
  vi.resetModules();
});

describe('error panel before the error doctor has loaded', () => {
  it('says something failed in a status line, then gives the explanation as the alert', async () => {
    vi.resetModules();
    const { ErrorPanel } = await import('../../../src/app/errors/error-panel.tsx');
    const { DatabricksApiError } = await import('../../../src/app/databricks/errors.ts');
    render(<ErrorPanel error={new DatabricksApiError({ method: 'GET', path: '/x' }, { status: 503 })} />);
    expect(screen.getByRole('status').textContent).toBe('Loading the explanation…');
    expect(screen.queryByRole('alert')).toBeNull();
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading').textContent).toBe('The workspace had a problem');
  });

  it('when the doctor cannot load (offline), says so and offers a reload', async () => {
    vi.resetModules();
    vi.doMock('../../../src/app/errors/doctor.ts', () => {
      throw new TypeError('Failed to fetch dynamically imported module');
    });
    const { ErrorPanel, DoctorActionsContext } = await import('../../../src/app/errors/error-panel.tsx');
    const reload = vi.fn();
    render(
      <DoctorActionsContext.Provider value={{ context: { origin: 'https://localhost:5173' }, reload }}>
        <ErrorPanel error={new Error('anything')} />
      </DoctorActionsContext.Provider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('the explanation of it could not be loaded either');
    within(alert).getByRole('button', { name: 'Reload the page' }).click();
    expect(reload).toHaveBeenCalledOnce();
  });
});
