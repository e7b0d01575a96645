import { describe, expect, it } from 'vitest';
import { parseTabMessage } from '../../../src/app/auth/tab-sync.ts';

const result = {
  accessToken: 'a',
  idToken: 'i',
  account: { homeAccountId: 'uid.utid', username: 'ana@contoso.example' },
};

describe('messages between tabs', () => {
  it('accepts each message the app sends', () => {
    for (const message of [
      { type: 'signed-in', result },
      { type: 'session', result },
      { type: 'account-selected', result },
      { type: 'account-selected', homeAccountId: 'uid.utid', username: 'ana@contoso.example' },
      { type: 'signed-out', all: true },
      { type: 'signed-out', homeAccountId: 'uid.utid', username: 'ana@contoso.example' },
      { type: 'who-is-signed-in' },
    ]) {
      expect(parseTabMessage(message)).toEqual(message);
    }
  });

  it('ignores anything else on the channel', () => {
    for (const data of [
      null,
      'signed-in',
      [],
      { type: 'unknown' },
      { type: 'signed-in' },
      { type: 'signed-in', result: { accessToken: 'a' } },
      { type: 'session', result: { ...result, account: null } },
      { type: 'account-selected', homeAccountId: '' },
      { type: 'signed-out' },
      { type: 'signed-out', all: 'yes' },
    ]) {
      expect(parseTabMessage(data)).toBeUndefined();
    }
  });
});
