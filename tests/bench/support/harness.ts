/**
 * The one harness every browser benchmark runs in: the app served as `npm start` serves it (with
 * the sandbox), Debian's Chromium, and the exit code the runner reads. Everything started is
 * stopped at the end, also when the benchmark fails; the pages' own errors are printed with a
 * failure, because a broken page gives meaningless figures.
 *
 *     runBrowserBenchmark('many-clusters', async ({ app, browser }) => {
 *       …
 *       return report.finish();
 *     });
 */
import type { Browser } from '@playwright/test';
import { type ServedApp, startServedApp } from './app-server.ts';
import { allPageErrors, launchChromium } from './browser.ts';

export interface BenchEnvironment {
  app: ServedApp;
  browser: Browser;
  /** Runs `close` when the benchmark ends (last registered, first run), before the app stops. */
  onClose(close: () => Promise<unknown>): void;
}

/**
 * Runs `body` and exits with its code: 0 within budget, 1 a budget missed (or the page broke),
 * 2 the benchmark itself failed.
 */
export function runBrowserBenchmark(name: string, body: (env: BenchEnvironment) => Promise<number>): void {
  run(body).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`The ${name} benchmark failed:`, error);
      if (allPageErrors.length) console.error(`Problems in the page(s): ${allPageErrors.join(' | ')}`);
      process.exit(2);
    },
  );
}

async function run(body: (env: BenchEnvironment) => Promise<number>): Promise<number> {
  const closers: (() => Promise<unknown>)[] = [];
  const app = await startServedApp();
  closers.push(() => app.close());
  try {
    const browser = await launchChromium();
    closers.push(() => browser.close());
    return await body({ app, browser, onClose: (close) => closers.push(close) });
  } finally {
    for (const close of closers.reverse()) await close().catch((error: unknown) => console.error(error));
  }
}
