import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, launchBrowser, screenshot, startServe, watchPageErrors, type ServeHandle } from './helpers';

// The test-order checklist in the browser, in sandbox mode: placing the test orders and
// running the checks turns every step green, each with its evidence. (A broken path failing
// with evidence is shown against the engine in test/integration/checks-broken.test.ts.)

describe('test-order checklist in sandbox mode', () => {
  let server: ServeHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startServe();
    await callApi(server.url, 'setup.useSandbox', { orders: 2 });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB' });
    page = await context.newPage();
    errors = watchPageErrors(page);
    await page.goto(await server.signInUrl('#/checklist'));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.dispose();
  });

  it('places the sandbox test orders and every check turns green with evidence', async () => {
    await page.getByTestId('checklist-place').click();
    await page.getByText(/Test orders placed: \d+/).waitFor({ timeout: 60_000 });
    const checks = page.locator('[data-testid^="check-"][data-status]');
    // The orders travel to delivered in the background; run the checks until all pass.
    await expect
      .poll(
        async () => {
          await page.getByTestId('checklist-run').click();
          await page.waitForLoadState('networkidle').catch(() => undefined);
          const statuses = await checks.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
          return statuses.length >= 8 && statuses.every((s) => s === 'pass');
        },
        { timeout: 150_000, interval: 3000 },
      )
      .toBe(true);
    // Evidence is shown for a check: open the print-file check and see file names and checksums.
    await page.getByTestId('check-files-transferred').getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('check-files-transferred').textContent(), { timeout: 10_000 }).toMatch(/\.pdf/);
    await screenshot(page, 'en-checklist-green');
    expect(errors).toEqual([]);
  });
});
