import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/app/app';

describe('app shell', () => {
  it('names the product and says what it does', () => {
    render(<App />);
    expect(screen.getByRole('heading', { level: 1, name: 'Databricks Entra Explorer' })).toBeTruthy();
    expect(screen.getByText(/see what is inside your tokens/i)).toBeTruthy();
  });

  it('offers a sign-in button that explains why it is disabled', () => {
    render(<App />);
    const button = screen.getByRole('button', { name: 'Sign in' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(button.getAttribute('aria-describedby')).toBe('sign-in-help');
    expect(document.getElementById('sign-in-help')?.textContent).toMatch(/not available yet/);
  });
});
