/**
 * In-page timing for benchmarks: an init script (it runs before the page's own scripts) that
 * watches the DOM and records, with `performance.now()` (milliseconds since navigation start),
 * when a first element appears and when a "done" element shows a matching text. Each time is
 * taken in the first animation frame after the DOM change, i.e. when the browser is about to
 * paint it.
 */
import type { BrowserContext, Page } from '@playwright/test';

export interface Milestones {
  /** CSS selector whose first match means "first rows visible". */
  first: string;
  /** CSS selector and text pattern (a RegExp source) that together mean "everything loaded". */
  done: { selector: string; pattern: string };
}

export interface PageTimes {
  first: number;
  done: number;
}

declare global {
  interface Window {
    __benchTimes?: { first?: number; done?: number };
  }
}

/**
 * Installs the watcher in every page of the context (before any page script runs). The script is
 * a string: tsx compiles functions with name helpers that do not exist in the page.
 */
export async function installMilestoneTimer(context: BrowserContext, milestones: Milestones): Promise<void> {
  await context.addInitScript({
    content: `(() => {
  const m = ${JSON.stringify(milestones)};
  const times = {};
  window.__benchTimes = times;
  const pattern = new RegExp(m.done.pattern);
  let firstSeen = false;
  let doneSeen = false;
  const observer = new MutationObserver(() => {
    if (!firstSeen && document.querySelector(m.first)) {
      firstSeen = true;
      requestAnimationFrame(() => { times.first = performance.now(); });
    }
    if (!doneSeen) {
      const el = document.querySelector(m.done.selector);
      if (el && pattern.test(el.textContent || '')) {
        doneSeen = true;
        requestAnimationFrame(() => { times.done = performance.now(); });
      }
    }
    if (firstSeen && doneSeen) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
})();`,
  });
}

/** Waits (bounded) until both milestones were recorded in the current document and returns them. */
export async function readMilestones(page: Page, timeout = 60_000): Promise<PageTimes> {
  const handle = await page.waitForFunction(
    () => {
      const t = window.__benchTimes;
      return t && t.first !== undefined && t.done !== undefined ? { first: t.first, done: t.done } : false;
    },
    undefined,
    { timeout, polling: 50 },
  );
  return (await handle.jsonValue()) as PageTimes;
}

/** `responseEnd` of the first resource whose URL contains `part` (ms since navigation start). */
export async function firstResponseEnd(page: Page, part: string): Promise<number> {
  return page.evaluate((p) => {
    const entry = performance.getEntriesByType('resource').find((e) => e.name.includes(p)) as PerformanceResourceTiming | undefined;
    return entry ? entry.responseEnd : Number.NaN;
  }, part);
}
