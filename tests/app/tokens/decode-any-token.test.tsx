import { fireEvent, render, screen, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { DecodeAnyToken } from '../../../src/app/tokens/decode-any-token.tsx';
import { accessTokenPayload, CONFIG, fakeVerifier, makeToken } from './token-fixtures.ts';

function paste(text: string) {
  fireEvent.input(screen.getByLabelText('Token (JWT)'), { target: { value: text } });
}

describe('decode any token', () => {
  it('decodes a pasted token and verifies it', async () => {
    const { verifier, asked } = fakeVerifier(() => ({ state: 'verified', reason: 'Signed by key "k1".' }));
    render(<DecodeAnyToken config={CONFIG} verifier={verifier} />);
    const token = makeToken(accessTokenPayload());
    paste(token);
    const claims = screen.getByRole('table', { name: 'Claims in the pasted token' });
    expect(within(claims).getByRole('row', { name: /scp/ }).textContent).toContain('user_impersonation');
    expect(screen.getByText('Azure Databricks (2ff814a6-3304-4ab8-85cb-cd0e6f879c1d)')).toBeTruthy();
    expect(await screen.findByText('Signature verified')).toBeTruthy();
    expect(asked).toEqual([token]);
    expect(screen.getByLabelText('Encoded pasted token').textContent).toBe(token);
  });

  it('takes the token out of a pasted Authorization header value', () => {
    render(
      <DecodeAnyToken
        config={CONFIG}
        verifier={fakeVerifier(() => ({ state: 'unavailable', reason: 'x' })).verifier}
      />,
    );
    paste(`Authorization: Bearer ${makeToken(accessTokenPayload())}`);
    expect(screen.getByText('Removed the "Bearer" prefix of an Authorization header.')).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Claims in the pasted token' })).toBeTruthy();
  });

  it.each([
    [
      'a refresh token',
      '1.AXkA-opaque',
      'This is not a readable JWT. A JWT has three parts separated by dots (header.payload.signature); this has 2.',
    ],
    [
      'standard base64',
      'eyJhbGciOiJSUzI1NiJ9.ab+c.c2ln',
      'This is not a readable JWT. Payload part: The payload part contains "+", which is not a base64url character (A–Z, a–z, 0–9, "-", "_"). That is standard base64; JWTs use base64url ("-" and "_").',
    ],
    [
      'an encrypted token',
      'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d',
      'This is not a readable JWT. This is an encrypted token (JWE, five parts). Only the holder of its decryption key can read it; Entra ID encrypts tokens only for apps that configured token encryption.',
    ],
  ])('explains %s instead of failing', (_label, input, explanation) => {
    render(<DecodeAnyToken config={CONFIG} />);
    paste(input);
    expect(screen.getByRole('alert').textContent).toBe(explanation);
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows hostile text in a pasted token literally', () => {
    render(
      <DecodeAnyToken
        config={CONFIG}
        verifier={fakeVerifier(() => ({ state: 'unavailable', reason: 'x' })).verifier}
      />,
    );
    paste(
      makeToken(
        { name: '<iframe src="javascript:alert(1)">', iss: '"><script>alert(1)</script>' },
        { alg: '<b>x</b>' },
      ),
    );
    expect(screen.getByText('<iframe src="javascript:alert(1)">')).toBeTruthy();
    expect(screen.getAllByText('"><script>alert(1)</script>').length).toBeGreaterThan(0);
    expect(screen.getByText('<b>x</b>')).toBeTruthy();
    expect(document.querySelector('iframe, script, b')).toBeNull();
  });

  it('starts empty and clears back to empty', async () => {
    render(<DecodeAnyToken config={undefined} />);
    expect((screen.getByRole('button', { name: 'Clear' }) as HTMLButtonElement).disabled).toBe(true);
    paste('abc');
    expect(screen.getByRole('alert')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect((screen.getByLabelText('Token (JWT)') as HTMLTextAreaElement).value).toBe('');
  });

  it('decodes without a configuration and says the signature cannot be checked', async () => {
    render(<DecodeAnyToken config={undefined} />);
    paste(makeToken(accessTokenPayload()));
    const status = screen.getByRole('status', { name: 'Pasted token signature' });
    expect(await within(status).findByText('Signature could not be checked')).toBeTruthy();
  });
});
