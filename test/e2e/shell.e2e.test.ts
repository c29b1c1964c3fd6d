import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, launchBrowser, screenshot, seriousAxeViolations, startServe, watchPageErrors, type ServeHandle } from './helpers';

const PAGES = ['dashboard', 'orders', 'attention', 'mappings', 'checklist', 'setup', 'troubleshooting', 'settings'] as const;
const NAV_LABELS = {
  en: { orders: 'Orders', settings: 'Settings' },
  it: { orders: 'Ordini', settings: 'Impostazioni' },
};

describe('app shell against presslink serve', () => {
  let server: ServeHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startServe();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    errors = watchPageErrors(page);
    await page.goto(await server.signInUrl());
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.dispose();
  });

  it('shows the engine status that arrives through the contract', async () => {
    const badge = page.getByTestId('health-badge').first();
    // A fresh data dir has no configuration, and the engine says so.
    await expect.poll(() => badge.getAttribute('data-health'), { timeout: 15_000 }).toBe('unconfigured');
    await expect.poll(() => badge.textContent()).toBe('Not set up');
    expect(await page.locator('header').count()).toBe(1);
    expect(await page.locator('nav').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('main').count()).toBe(1);
  });

  it('follows engine events live: pausing from another client updates the header', async () => {
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count(), { timeout: 10_000 }).toBe(1);
    await callApi(server.url, 'sync.pause');
    await expect.poll(() => page.getByRole('button', { name: 'Resume' }).count(), { timeout: 10_000 }).toBe(1);
    await callApi(server.url, 'sync.resume');
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count(), { timeout: 10_000 }).toBe(1);
  });

  it('Pause and Resume from the header reach the engine', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(async () => (await callApi<{ paused: boolean }>(server.url, 'engine.status')).paused, { timeout: 10_000 }).toBe(true);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(async () => (await callApi<{ paused: boolean }>(server.url, 'engine.status')).paused, { timeout: 10_000 }).toBe(false);
  });

  for (const lang of ['en', 'it'] as const) {
    it(`every section renders, passes axe and is screenshotted (${lang})`, async () => {
      if (lang === 'it') {
        await page.getByTestId('nav-settings').click();
        await page.getByTestId('language-switch').getByText('Italiano').click();
        await expect.poll(() => page.getByTestId('nav-orders').textContent()).toContain(NAV_LABELS.it.orders);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe('it');
      }
      const failures: string[] = [];
      for (const p of PAGES) {
        await page.getByTestId(`nav-${p}`).click();
        await page.getByTestId(`page-${p}`).waitFor({ state: 'visible' });
        expect(await page.getByTestId(`nav-${p}`).getAttribute('aria-current')).toBe('page');
        // Let the page's first calls settle so axe sees the real content, not spinners.
        await page.waitForLoadState('networkidle').catch(() => undefined);
        await page.waitForTimeout(300);
        const h2 = await page.locator('main h2').first().textContent();
        expect(h2?.trim().length, `${p} has a heading`).toBeGreaterThan(0);
        const violations = await seriousAxeViolations(page);
        if (violations.length) failures.push(`${lang}/${p}: ${JSON.stringify(violations, null, 1)}`);
        await screenshot(page, `${lang}-${p}`);
      }
      expect(failures).toEqual([]);
      expect(await page.getByTestId('nav-settings').textContent()).toContain(NAV_LABELS[lang].settings);
    });
  }

  it('shows calls the engine does not support yet politely, in place', async () => {
    await page.getByTestId('nav-troubleshooting').click();
    await page.getByTestId('doctor-run').click();
    // Either the engine runs the checks or it says they are unavailable; the page never breaks.
    await expect
      .poll(async () => (await page.getByTestId('call-unavailable').count()) + (await page.locator('[data-testid^="check-"]').count()), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('call-error').count()).toBe(0);
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('page-dashboard').waitFor();
  });

  it('shows "connection lost" while the engine is down and recovers when it is back', async () => {
    // Back to English for the remaining assertions.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('language-switch').getByText('English').click();
    await page.getByTestId('nav-dashboard').click();
    const { port, dataDir } = server;
    await server.stop();
    await page.getByTestId('connection-lost').waitFor({ state: 'visible', timeout: 15_000 });
    server = await startServe({ port, dataDir });
    await page.getByTestId('connection-lost').waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => page.getByTestId('health-badge').first().getAttribute('data-health'), { timeout: 10_000 }).toBe('unconfigured');
  });

  it('raised no uncaught errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
