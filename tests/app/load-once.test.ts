import { describe, expect, it } from 'vitest';
import { loadOnce } from '../../src/app/load-once.ts';

describe('loadOnce', () => {
  it('loads once, shares the load, and keeps the value', async () => {
    let calls = 0;
    const code = loadOnce(async () => ++calls);
    expect(code.current()).toBeUndefined();
    const [a, b] = await Promise.all([code.load(), code.load()]);
    expect([a, b, calls, code.current()]).toEqual([1, 1, 1, 1]);
    expect(await code.load()).toBe(1);
  });

  it('forgets a failed load, so the next call tries again', async () => {
    let calls = 0;
    const code = loadOnce(async () => {
      calls += 1;
      if (calls === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return 'view';
    });
    await expect(code.load()).rejects.toThrow('Failed to fetch');
    expect(code.current()).toBeUndefined();
    expect(await code.load()).toBe('view');
    expect(code.current()).toBe('view');
  });
});
