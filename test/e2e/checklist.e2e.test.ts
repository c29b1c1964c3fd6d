import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, launchBrowser, screenshot, startServe, watchPageErrors, type ServeHandle } from './helpers';

// The test-order checklist in the browser, in sandbox mode: it checks on opening, leads with
// placing test orders, and — once they are placed — follows them to green by itself, each
// point with its evidence. (A broken path failing with evidence is shown against the engine
// in test/integration/checks-broken.test.ts.)

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

  it('leads with placing test orders and lists each point once', async () => {
    // Checked on opening: with no test orders yet, the next thing to do is to place them.
    await expect.poll(() => page.getByTestId('checklist-next').getAttribute('data-next'), { timeout: 30_000 }).toBe('place');
    // Each point of the engine's checklist once (it lists the guide's eight and the two status checks).
    const points = (await callApi<{ results: unknown[] }>(server.url, 'checklist.last')).results.length;
    expect(points).toBeGreaterThanOrEqual(8);
    expect(await page.locator('[data-testid^="check-"][data-status]').count()).toBe(points);
    expect(await page.getByTestId('page-checklist').locator('ol').count()).toBe(0);
    await screenshot(page, 'en-checklist-start');
  });

  it('places the sandbox test orders and every check turns green by itself, with evidence', async () => {
    await page.getByTestId('checklist-place').click();
    await page.getByText(/Test orders placed: \d+/).waitFor({ timeout: 60_000 });
    const checks = page.locator('[data-testid^="check-"][data-status]');
    // The orders travel to delivered in the background; the page follows them without "Run again".
    await expect
      .poll(
        async () => {
          const statuses = await checks.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
          const points = (await callApi<{ results: unknown[] }>(server.url, 'checklist.last')).results.length;
          return statuses.length === points && statuses.every((st) => st === 'pass');
        },
        { timeout: 150_000, interval: 1000 },
      )
      .toBe(true);
    expect(await page.getByTestId('checklist-next').getAttribute('data-next')).toBe('done');
    // Evidence is shown for a check: open the print-file check and see file names and checksums.
    await page.getByTestId('check-files-transferred').getByRole('button', { name: 'Show evidence' }).click();
    await expect.poll(() => page.getByTestId('check-files-transferred').textContent(), { timeout: 10_000 }).toMatch(/\.pdf/);
    await screenshot(page, 'en-checklist-green');
  });

  it('shows the results again after a reload, without a click', async () => {
    const points = (await callApi<{ results: unknown[] }>(server.url, 'checklist.last')).results.length;
    await page.reload();
    await expect
      .poll(async () => (await page.locator('[data-testid^="check-"][data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).join(','), { timeout: 30_000 })
      .toBe(Array(points).fill('pass').join(','));
    await screenshot(page, 'en-checklist-reloaded');
  });

  it('Italian: the points and the next step read in Italian', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('language-switch').getByText('Italiano').click();
    await page.getByTestId('nav-checklist').click();
    await page.getByText('Tutti i punti sono superati').waitFor({ timeout: 30_000 });
    await page.getByText("Verifica i dettagli dell'ordine in GelatoConnect").waitFor();
    await screenshot(page, 'it-checklist-green');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('language-switch').getByText('English').click();
    expect(errors).toEqual([]);
  });
});
