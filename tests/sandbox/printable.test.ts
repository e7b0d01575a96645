/**
 * Names and passwords in a sandbox configuration file reach the terminal at start: control,
 * bidirectional and invisible characters are printed escaped, so a file cannot clear the screen,
 * rewrite the banner or hide text in it.
 */
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/sandbox/cli.ts';
import { describeServices } from '../../src/sandbox/cli.ts';
import { parseSandboxConfig } from '../../src/sandbox/config.ts';
import { describeUsers, printable } from '../../src/sandbox/index.ts';

const HOSTILE = 'Eve\u001b[2J\u001b]0;pwned\u0007\r\u202eevil\u200b';
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

const config = parseSandboxConfig(
  JSON.stringify({
    users: [
      {
        upn: 'eve@contoso.example',
        name: HOSTILE,
        givenName: 'Eve',
        familyName: 'Secure',
        oid: '0a1b2c3d-0000-4000-8000-000000000005',
        password: `pw${HOSTILE}`,
      },
    ],
  }),
  'hostile.json',
);

describe('printing the sandbox configuration', () => {
  it('escapes control, bidirectional and invisible characters', () => {
    expect(printable(HOSTILE)).toBe('Eve\\u001b[2J\\u001b]0;pwned\\u0007\\u000d\\u202eevil\\u200b');
    expect(printable('ana@contoso.example Ünïcödé')).toBe('ana@contoso.example Ünïcödé');
  });

  it('prints the banner of npm start without raw control characters', () => {
    const lines = describeUsers(config, config.apps[0]!.clientId);
    expect(lines.join('')).not.toMatch(CONTROL);
    expect(lines.join('')).toContain('pwEve\\u001b[2J');
  });

  it('prints the banner of npm run sandbox without raw control characters', () => {
    const fake = {
      entra: {
        url: 'https://localhost:1',
        authority: (id: string) => `https://localhost:1/${id}/`,
        authorityHost: 'localhost:1',
      },
      workspace: { url: 'https://localhost:2' },
      config,
      caPath: undefined,
      close: async () => {},
    } as unknown as Parameters<typeof describeServices>[0];
    const text = describeServices(fake, parseCliArgs([], {}));
    expect(text.split('\n').join('')).not.toMatch(CONTROL);
    expect(text).toContain('Eve\\u001b[2J');
  });
});
