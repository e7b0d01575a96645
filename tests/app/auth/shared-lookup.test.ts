import { describe, expect, it } from 'vitest';
import { createSharedLookup } from '../../../src/app/auth/shared-lookup.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('shared lookup', () => {
  it('answers callers that ask while a lookup is in flight with that one lookup', async () => {
    const pending = deferred<string>();
    let runs = 0;
    const lookup = createSharedLookup(() => {
      runs++;
      return pending.promise;
    });
    const first = lookup.get();
    const second = lookup.get();
    pending.resolve('token-1');
    expect(await Promise.all([first, second])).toEqual(['token-1', 'token-1']);
    expect(runs).toBe(1);
  });

  it('starts a new lookup once the previous one has answered', async () => {
    let runs = 0;
    const lookup = createSharedLookup(async () => `token-${++runs}`);
    expect(await lookup.get()).toBe('token-1');
    expect(await lookup.get()).toBe('token-2');
  });

  it('starts a new lookup after a failed one instead of repeating the failure', async () => {
    let runs = 0;
    const lookup = createSharedLookup(async () => {
      runs++;
      if (runs === 1) throw new Error('no network');
      return 'token-2';
    });
    await expect(lookup.get()).rejects.toThrow('no network');
    expect(await lookup.get()).toBe('token-2');
  });

  it('starts a new lookup after forget, while the forgotten one still answers its callers', async () => {
    const first = deferred<string>();
    const calls = [first.promise, Promise.resolve('token-for-the-new-account')];
    const lookup = createSharedLookup(() => calls.shift() as Promise<string>);
    const old = lookup.get();
    lookup.forget();
    const fresh = lookup.get();
    first.resolve('token-for-the-old-account');
    expect(await old).toBe('token-for-the-old-account');
    expect(await fresh).toBe('token-for-the-new-account');
  });
});
