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
  /** `performance.timeOrigin` of the document: add it to a time for milliseconds since the epoch. */
  origin: number;
}

declare global {
  interface Window {
    __benchTimes?: { first?: number; done?: number };
    __benchInteraction?: { start?: number; changed?: number; end?: number };
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

/**
 * Waits (bounded) until both milestones were recorded in the current document and returns them.
 * @throws when the page shows an alert (`role="alert"`, the app's error panel) instead.
 */
export async function readMilestones(page: Page, timeout = 60_000): Promise<PageTimes> {
  // A function (a string would be eval'd, which the app's CSP forbids) with no named inner
  // functions (tsx would wrap them in a helper the page does not have).
  const handle = await page
    .waitForFunction(
      () => {
        const t = window.__benchTimes;
        if (t && t.first !== undefined && t.done !== undefined)
          return { first: t.first, done: t.done, origin: performance.timeOrigin };
        const alert = document.querySelector('[role=alert]');
        return alert ? { error: alert.textContent || 'an alert without text' } : false;
      },
      undefined,
      { timeout, polling: 50 },
    )
    .catch(async (error: unknown) => {
      // Say where the page got stuck (address without its query or hash, which may hold a code).
      const url = new URL(page.url());
      const text =
        (await page
          .locator('body')
          .textContent({ timeout: 1000 })
          .catch(() => '(unreadable)')) ?? '';
      throw new Error(
        `No clusters within ${timeout / 1000} s at ${url.origin}${url.pathname}; the page shows: ${text.replace(/\s+/g, ' ').slice(0, 300)}`,
        { cause: error },
      );
    });
  const result = (await handle.jsonValue()) as PageTimes | { error: string };
  if ('error' in result)
    throw new Error(`The page showed an error instead of the clusters: ${result.error.slice(0, 500)}`);
  return result;
}

/**
 * Times one interaction the way Interaction to Next Paint does: from the input event's own
 * timestamp to the end of the first frame rendered after the DOM under `watch` changed. `act`
 * performs the interaction with real (CDP) input; `eventType` is the event that starts the clock
 * (`keydown` for a keystroke, `pointerdown` for a click). Resolves with milliseconds.
 * @throws when the DOM under `watch` does not change within 10 s.
 */
export async function timeInteraction(
  page: Page,
  watch: string,
  eventType: 'keydown' | 'pointerdown',
  act: () => Promise<void>,
): Promise<number> {
  // A string, not a function: tsx adds name helpers to functions that do not exist in the page.
  await page.evaluate(`(() => {
    const state = {};
    window.__benchInteraction = state;
    const target = document.querySelector(${JSON.stringify(watch)});
    if (!target) throw new Error('Nothing matches ' + ${JSON.stringify(watch)});
    addEventListener(${JSON.stringify(eventType)}, (event) => { state.start = event.timeStamp; }, { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (state.start === undefined) return;
      observer.disconnect();
      state.changed = performance.now();
      // The frame that shows the change is rendered after rAF callbacks; a task posted from
      // inside rAF runs once that frame is done.
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => { state.end = performance.now(); };
        channel.port2.postMessage(null);
      });
    });
    observer.observe(target, { childList: true, subtree: true, characterData: true, attributes: true });
  })()`);
  await act();
  const handle = await page.waitForFunction(
    () => {
      const s = window.__benchInteraction;
      return s && s.end !== undefined && s.start !== undefined ? s.end - s.start : false;
    },
    undefined,
    { timeout: 10_000, polling: 20 },
  );
  return (await handle.jsonValue()) as number;
}
