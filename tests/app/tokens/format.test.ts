import { describe, expect, it } from 'vitest';
import { formatClaimValue, formatDuration, formatRelative, prettyJson } from '../../../src/app/tokens/format.ts';
import { inSentence } from '../../../src/app/tokens/noun.ts';

describe('formatting token times and values', () => {
  it.each([
    [0, '0 s'],
    [59, '59 s'],
    [60, '1 min'],
    [3599, '59 min 59 s'],
    [3600, '1 h'],
    [5400, '1 h 30 min'],
    [86_400 * 2 + 3600, '2 d 1 h'],
    [-5, '0 s'],
  ])('writes %i seconds as "%s"', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('writes times relative to now in both directions', () => {
    expect(formatRelative(1_000_300, 1_000_000)).toBe('in 5 min');
    expect(formatRelative(1_000_000, 1_000_003)).toBe('3 s ago');
    expect(formatRelative(1_000_000, 1_000_000)).toBe('now');
  });

  it('shows claim values as text, whatever their JSON type', () => {
    expect(formatClaimValue('x')).toBe('x');
    expect(formatClaimValue(['pwd', 'mfa'])).toBe('pwd, mfa');
    expect(formatClaimValue({ a: 1 })).toBe('{"a":1}');
    expect(formatClaimValue([{ a: 1 }])).toBe('[{"a":1}]');
    expect(formatClaimValue(true)).toBe('true');
    expect(formatClaimValue(null)).toBe('null');
  });

  it('indents JSON without reordering keys', () => {
    expect(prettyJson('{"b":1,"a":[2]}')).toBe('{\n  "b": 1,\n  "a": [\n    2\n  ]\n}');
  });

  it('keeps acronyms when a label goes inside a sentence', () => {
    expect(inSentence('ID token')).toBe('ID token');
    expect(inSentence('Access token')).toBe('access token');
  });
});
