/**
 * The one harness every browser benchmark runs in: the app served as `npm start` serves it (with
 * the sandbox) from a process of its own (support/servers.ts), Debian's Chromium, and the exit
 * code the runner reads. Everything started is
 * stopped at the end, also when the benchmark fails; the pages' own errors are printed with a
 * failure, because a broken page gives meaningless figures.
 *
 *     runBrowserBenchmark('many-clusters', async ({ app, browser }) => {
 *       …
 *       return report.finish();
 *     });
 */
import type { Browser } from '@playwright/test';
import type { ServedApp } from './app-server.ts';
import { allPageErrors, launchChromium } from './browser.ts';
import type { ServedPage } from './pages.ts';
import { startServers } from './servers.ts';

export interface BenchEnvironment {
  app: ServedApp;
  browser: Browser;
  /** The sample-style peer, built and served beside the app (support/pages.ts). */
  startPeer(): Promise<ServedPage>;
  /** The bare page, given an access token for its requests (support/pages.ts). */
  startBarePage(token: string): Promise<ServedPage>;
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
  const servers = await startServers();
  const { app } = servers;
  closers.push(() => app.close());
  try {
    const browser = await launchChromium();
    closers.push(() => browser.close());
    return await body({
      app,
      browser,
      startPeer: servers.startPeer,
      startBarePage: servers.startBarePage,
      onClose: (close) => closers.push(close),
    });
  } finally {
    for (const close of closers.reverse()) await close().catch((error: unknown) => console.error(error));
  }
}
