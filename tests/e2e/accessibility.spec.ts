import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { control, ports, signInAs, signInOnSandboxPage } from './support/sandbox.ts';

/**
 * Accessibility as a test (issue 12): an axe-core scan of every view and state with zero
 * violations (all of axe's rules, best practices included), a keyboard-only journey from sign-in
 * to cluster details to sign-out, and the layout at projector and phone widths.
 */

/** Runs axe on the page as it is and fails with a readable list of what it found. */
async function expectNoViolations(page: Page, state: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect(found, `axe violations ${state}`).toEqual([]);
}

test.afterEach(async ({ page, baseURL }) => {
  const { entra, workspace } = ports(baseURL);
  await control(page, entra, 'DELETE', '/_sandbox/faults').catch(() => {});
  await control(page, workspace, 'POST', '/_sandbox/reset').catch(() => {});
});

test.describe('axe-core finds no violations', () => {
  test('signed out, on the sandbox sign-in page, and on a sign-in error', async ({ page, baseURL }) => {
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expectNoViolations(page, 'on the landing page');

    // The views open without signing in: the timeline and the token decoder.
    const nav = page.getByRole('navigation', { name: 'Without signing in' });
    await nav.getByRole('link', { name: 'Timeline' }).click();
    await expect(page.getByRole('heading', { name: 'Timeline' }).first()).toBeVisible();
    await expectNoViolations(page, 'on the signed-out timeline');
    await page.goto('/#/decode');
    await expect(page.getByRole('heading', { name: 'Decode and compare tokens' })).toBeVisible();
    await expectNoViolations(page, 'on the signed-out decoder');
    await page.goto('/#/clusters');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(new RegExp(`localhost:${ports(baseURL).entra}/`));
    await expect(page.getByLabel('Username')).toBeVisible();
    await expectNoViolations(page, 'on the sandbox sign-in page');

    // Dana has not consented; declining sends the app an error.
    await signInOnSandboxPage(page, 'dana@contoso.example');
    await page.getByRole('button', { name: /cancel/i }).click();
    const alert = page.getByRole('alert');
    await expect(alert.getByRole('heading')).toBeVisible();
    // One way to sign in, not "Sign in again" and "Sign in" side by side.
    await expect(page.getByRole('button', { name: /^Sign in/ })).toHaveCount(1);
    await expectNoViolations(page, 'on the sign-in error');
  });

  test('signed in: each tab, the settings dialog and the cluster details', async ({ page }) => {
    await signInAs(page, 'ben@contoso.example');
    await expect(page.getByText(/^\d+ clusters$/)).toBeVisible();
    await expectNoViolations(page, 'on Clusters');

    await page.getByRole('button', { name: 'Details of shared-analytics' }).click();
    const drawer = page.getByRole('dialog', { name: /shared-analytics/ });
    await expect(drawer.getByRole('region', { name: 'Full JSON from clusters/get' })).toBeVisible();
    await expectNoViolations(page, 'with the cluster details open');
    await page.keyboard.press('Escape');
    await expect(drawer).toHaveCount(0);

    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await expect(settings.getByLabel('Client ID')).toBeVisible();
    // Nothing paints over it: not the table's sticky header row, nor anything else.
    const box = (await settings.boundingBox())!;
    for (const [x, y] of [
      [box.x + 8, box.y + 8],
      [box.x + box.width / 2, box.y + 40],
      [box.x + box.width - 8, box.y + box.height - 8],
    ])
      expect(await settings.evaluate((d, [px, py]) => d.contains(document.elementFromPoint(px!, py!)), [x, y])).toBe(
        true,
      );
    await expectNoViolations(page, 'with the settings dialog open');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Settings' })).toHaveCount(0);

    await page.getByRole('tab', { name: 'Tokens' }).click();
    await expect(page.getByText(/Signature verified/i).first()).toBeVisible();
    await expectNoViolations(page, 'on Tokens');

    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect(page.getByRole('button', { name: /Redirect to sign in \(authorize, with PKCE\)/ })).toBeVisible();
    await expectNoViolations(page, 'on Timeline');

    await page.getByRole('tab', { name: 'Decode a token' }).click();
    await expect(page.getByRole('heading', { name: 'Decode and compare tokens' })).toBeVisible();
    await expectNoViolations(page, 'on Decode a token');

    await page.getByRole('tab', { name: 'Show me how' }).click();
    await expect(page.getByText(/curl/).first()).toBeVisible();
    await expectNoViolations(page, 'on Show me how');

    await page.getByRole('tab', { name: 'API Explorer' }).click();
    await expect(page.getByRole('heading', { name: 'API Explorer' })).toBeVisible();
    await expectNoViolations(page, 'on API Explorer');
  });

  test('on a workspace error panel (403), which leads with another account rather than "Try again"', async ({
    page,
  }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await signInOnSandboxPage(page, 'carl@contoso.example');
    const alert = page.getByRole('alert');
    await expect(alert.getByRole('heading', { name: 'You are not allowed in this workspace' })).toBeVisible();
    const buttons = alert.getByRole('button');
    await expect(buttons.first()).toHaveText('Use another account');
    await expect(buttons.first()).toHaveClass(/primary/);
    await expectNoViolations(page, 'on the 403 panel');
  });

  test('with 10,000 clusters', async ({ page, baseURL }) => {
    test.setTimeout(120_000);
    const { workspace } = ports(baseURL);
    await signInAs(page, 'ben@contoso.example');
    await control(page, workspace, 'PUT', '/_sandbox/rate-limit', false);
    expect(
      await control(page, workspace, 'PUT', '/_sandbox/clusters', { generate: { count: 10_000, seed: 1 } }),
    ).toEqual({ count: 10_000 });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByText('10,000 clusters', { exact: true })).toBeVisible({ timeout: 60_000 });
    await expectNoViolations(page, 'with 10,000 clusters');
  });
});

/** The element that has focus, as role and name, for readable failures. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el
      ? `${el.getAttribute('role') ?? el.tagName.toLowerCase()} ${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40)}`
      : '';
  });
}

/** Presses Tab until the focused element matches, at most `limit` times. */
async function tabTo(page: Page, matches: RegExp, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (matches.test(await focused(page))) return;
  }
  throw new Error(`Tab never reached ${matches}; focus is on ${await focused(page)}`);
}

test('keyboard only: sign in, move through the tabs, open and close the cluster details, use settings, sign out', async ({
  page,
}) => {
  await page.goto('/');
  await tabTo(page, /^button Sign in$/);
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Username')).toBeVisible();
  await tabTo(page, /^input/);
  await page.keyboard.type('ana@contoso.example');
  await page.keyboard.press('Tab');
  await page.keyboard.type('ana-sandbox');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Details of shared-analytics' })).toBeVisible();

  // Tabs: one tab stop; arrows, Home and End move and select.
  await tabTo(page, /^tab Clusters$/);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Tokens' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Tokens' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'API Explorer' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Clusters' })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'API Explorer' })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(page.getByRole('tab', { name: 'Clusters' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Tokens' })).toHaveAttribute('tabindex', '-1');

  // Into the table, to a cluster's name, and its details.
  await tabTo(page, /Details of shared-analytics/);
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: /shared-analytics/ });
  await expect(drawer.getByRole('button', { name: 'Close details' })).toBeFocused();
  await expect(drawer.getByText('Runtime', { exact: true })).toBeVisible();
  // Tab stays inside the drawer.
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    expect(await drawer.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Details of shared-analytics' })).toBeFocused();

  // Settings: focus moves in, Tab stays in, Escape closes and gives focus back.
  await tabTo(page, /^button Settings$/, 60);
  await page.keyboard.press('Enter');
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByLabel('Client ID')).toBeVisible();
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    expect(await settings.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(settings).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Settings' })).toBeFocused();

  await tabTo(page, /^button Sign out/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 1400, height: 900 },
  { width: 1920, height: 1080 },
  { width: 390, height: 844 },
];

/** The page itself never scrolls sideways. */
async function expectNoHorizontalOverflow(page: Page, where: string) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, `page width ${where}`).toBeLessThanOrEqual(client);
}

for (const size of WIDTHS) {
  test(`at ${size.width}×${size.height}: no sideways page scroll on any view, every cluster column reachable, full times shown`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expectNoHorizontalOverflow(page, 'signed out');
    await signInAs(page, 'ben@contoso.example');
    await expect(page.getByText(/^\d+ clusters$/)).toBeVisible();
    await expectNoHorizontalOverflow(page, 'on Clusters');

    // The header shows the name and the admin badge whole.
    for (const text of ['Ben Admin', 'Workspace admin']) {
      const el = page.getByRole('region', { name: 'Signed-in user' }).getByText(text, { exact: true });
      await expect(el).toBeVisible();
      expect(await el.evaluate((e) => e.scrollWidth <= e.clientWidth + 1), `${text} is cut`).toBe(true);
    }

    // Each column header can be scrolled into the table's frame, wholly.
    const frame = page.locator('.table-viewport');
    const headers = page.getByRole('columnheader');
    expect(await headers.count()).toBe(10);
    for (let i = 0; i < 10; i++) {
      const header = headers.nth(i);
      await header.scrollIntoViewIfNeeded();
      const [box, area] = await Promise.all([header.boundingBox(), frame.boundingBox()]);
      expect(box && area, 'boxes').toBeTruthy();
      const name = await header.textContent();
      expect(box!.x, `${name} left edge`).toBeGreaterThanOrEqual(area!.x - 1);
      expect(box!.x + box!.width, `${name} right edge`).toBeLessThanOrEqual(area!.x + area!.width + 1);
    }
    // Start and termination times are not cut (the hour shows), nor the termination reasons.
    const cut = await page.evaluate(() =>
      [
        ...document.querySelectorAll<HTMLElement>(
          '.cluster-row:not(.head) .col-startTime, .cluster-row:not(.head) .col-terminatedTime, .cluster-row:not(.head) .col-terminationReason',
        ),
      ]
        .filter((cell) => cell.textContent && cell.scrollWidth > cell.clientWidth + 1)
        .map((cell) => cell.textContent),
    );
    expect(cut).toEqual([]);

    await page.getByRole('button', { name: 'Details of shared-analytics' }).click();
    await expect(page.getByRole('dialog').getByText('Runtime', { exact: true })).toBeVisible();
    await expectNoHorizontalOverflow(page, 'with the details open');
    const drawer = await page.getByRole('dialog').boundingBox();
    expect(drawer!.x + drawer!.width).toBeLessThanOrEqual(size.width + 1);
    await page.keyboard.press('Escape');

    for (const tab of ['Tokens', 'Timeline', 'Decode a token', 'Show me how', 'API Explorer']) {
      await page.getByRole('tab', { name: tab }).click();
      if (tab === 'Tokens') await expect(page.getByText(/Signature verified/i).first()).toBeVisible();
      await expectNoHorizontalOverflow(page, `on ${tab}`);
    }
  });
}
