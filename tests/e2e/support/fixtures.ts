import { type BrowserContext, test as base, type ConsoleMessage, expect } from '@playwright/test';
import { JWT_SHAPED } from './sandbox.ts';

/**
 * Every spec imports `test` and `expect` from here. An automatic fixture watches each test's
 * browser context (every page and popup in it) and fails the test, after it ran, on:
 * - a token-shaped string (a JWT, `eyJ….eyJ….…`) in any console message of any level, or in a
 *   page error; the failure names where, never the string itself;
 * - a console error or an uncaught page error the test did not declare with `consoleGuard.allow`.
 *
 * The browser's own "Failed to load resource: … status of N" line for a workspace call through
 * the proxy (`/databricks/…`) or a token request is expected: the app handles those answers and
 * explains them itself, and the fault drills cause them on purpose. A failed load of anything
 * else (an asset, a page) still fails the test.
 */
export interface ConsoleGuard {
  /** Lets console errors and page errors matching `pattern` through, for this test only. */
  allow(pattern: RegExp): void;
  /** Watches a context the test made itself (`browser.newContext()`); the test's own is watched already. */
  watch(context: BrowserContext): void;
  /** Console output so far, one `level: text` line per message. */
  readonly lines: readonly string[];
}

const EXPECTED_FAILED_LOAD = /^Failed to load resource: the server responded with a status of \d+/;
const HANDLED_URL = /\/databricks\/|\/oauth2\/v2\.0\/token(?:\?|$)/;

function where(message: ConsoleMessage): string {
  const { url, lineNumber } = message.location();
  return url ? ` at ${url.split(/[?#]/)[0]}:${lineNumber}` : '';
}

export const test = base.extend<{ consoleGuard: ConsoleGuard }>({
  consoleGuard: [
    async ({ context }, use) => {
      const allowed: RegExp[] = [];
      const problems: string[] = [];
      const lines: string[] = [];
      const isAllowed = (text: string) => allowed.some((pattern) => pattern.test(text));

      const onConsole = (message: ConsoleMessage) => {
        const text = message.text();
        if (JWT_SHAPED.test(text)) {
          problems.push(`a token-shaped string in console.${message.type()}${where(message)}`);
          lines.push(`${message.type()}: [token-shaped output withheld]`);
          return;
        }
        lines.push(`${message.type()}: ${text}`);
        if (message.type() !== 'error' || isAllowed(text)) return;
        if (EXPECTED_FAILED_LOAD.test(text) && HANDLED_URL.test(message.location().url)) return;
        problems.push(`console.error${where(message)}: ${text}`);
      };
      const onPageError = (error: Error) => {
        const text = `${error.name}: ${error.message}`;
        if (JWT_SHAPED.test(`${text}\n${error.stack ?? ''}`)) problems.push('a token-shaped string in a page error');
        else if (!isAllowed(text)) problems.push(`uncaught page error: ${text}`);
      };
      const watch = (watched: BrowserContext) => {
        watched.on('console', onConsole);
        watched.on('weberror', (webError) => onPageError(webError.error()));
      };
      watch(context);

      await use({ allow: (pattern) => void allowed.push(pattern), watch, lines });

      if (problems.length > 0) {
        throw new Error(
          `Unexpected browser output (allow what a test expects with consoleGuard.allow):\n  ${problems.join('\n  ')}`,
        );
      }
    },
    { auto: true },
  ],
});

export { expect };
