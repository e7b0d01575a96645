import { describe, expect, it } from 'vitest';
import { classifyTokenRejection } from '../../../src/app/databricks/token-rejection.ts';
import { TOKEN_REJECTIONS } from '../../../src/sandbox/databricks/auth.ts';

// The sandbox answers with the service's messages; the app reads the same messages to explain
// them. The parts do not import each other, so this test keeps the two lists in step.
describe("the sandbox's token rejections, as the app reads them", () => {
  it.each([
    ['no-credential', 'no-credential'],
    ['invalid', 'invalid-token'],
    ['expired', 'expired'],
    ['expiring', 'expiring'],
    ['not-yet-valid', 'not-yet-valid'],
  ] as const)('the %s answer is read as %s', (reason, kind) => {
    expect(classifyTokenRejection(TOKEN_REJECTIONS[reason])).toBe(kind);
  });

  it('covers every rejection the sandbox can send', () => {
    expect(Object.keys(TOKEN_REJECTIONS).sort()).toEqual(
      ['expired', 'expiring', 'invalid', 'no-credential', 'not-yet-valid'].sort(),
    );
  });
});
