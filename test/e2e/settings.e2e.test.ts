import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, launchBrowser, screenshot, seriousAxeViolations, startServe, watchPageErrors, type ServeHandle } from './helpers';

describe('settings: export, import, diagnostics, schedule, keyboard use', () => {
  let server: ServeHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startServe();
    await callApi(server.url, 'setup.useSandbox', { orders: 3 });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB', acceptDownloads: true });
    page = await context.newPage();
    errors = watchPageErrors(page);
    await page.goto(await server.signInUrl('#/settings'));
    await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor({ timeout: 15_000 });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.dispose();
  });

  it('lists the stores and saves the schedule', async () => {
    await page.getByRole('cell', { name: 'acme', exact: true }).waitFor({ timeout: 10_000 });
    const interval = page.getByLabel('Sync every (minutes)');
    await interval.fill('30');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await page.getByText('Saved.').waitFor();
    const cfg = await callApi<{ config: { sync: { intervalMinutes: number } } }>(server.url, 'config.get');
    expect(cfg.config.sync.intervalMinutes).toBe(30);
  });

  it('exports the configuration without secrets by default', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download configuration' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^presslink-config-.*\.json$/);
    const text = await readFile((await download.path())!, 'utf8');
    const json = JSON.parse(text) as { stores: { infigo: { apiToken?: string } }[] };
    expect(json.stores.length).toBeGreaterThan(0);
    // Secrets appear only as references to the secret store, never as values.
    for (const s of json.stores) expect(s.infigo.apiToken ?? 'secret:').toMatch(/^(secret|env):/);
    expect(text).toBe((await callApi<{ json: string }>(server.url, 'config.export', { includeSecrets: false })).json);
  });

  it('asks for a passphrase before exporting secrets', async () => {
    await page.getByLabel('Include secrets').check();
    const button = page.getByRole('button', { name: 'Download configuration' });
    expect(await button.isDisabled()).toBe(true);
    await page.getByLabel('Passphrase', { exact: true }).fill('correct horse');
    expect(await button.isEnabled()).toBe(true);
    await page.getByLabel('Include secrets').uncheck();
  });

  it('imports pasted JSON and shows the problems of a bad one', async () => {
    await page.getByLabel('Paste configuration JSON').fill('{"stores":[{"id":"Bad Id"}]}');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect
      .poll(async () => (await page.getByText('Please fix these problems').count()) + (await page.getByTestId('call-error').count()), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await page.getByText(/stores\[0\]/).count()).toBeGreaterThan(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'en-settings-import-problems');
  });

  it('downloads a diagnostics bundle', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download diagnostics bundle' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^presslink-diagnostics-.*\.json$/);
    JSON.parse(await readFile((await download.path())!, 'utf8'));
  });

  it('is operable with the keyboard: Tab to the navigation, Enter to open a section', async () => {
    await page.goto(`${server.url}/#/dashboard`);
    // A hash change keeps the document; reload so keyboard focus starts at the top.
    await page.reload();
    await page.getByTestId('page-dashboard').waitFor();
    // The first Tab offers "Skip to main content", which moves focus past the navigation.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main-content');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'nav-troubleshooting');
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByTestId('page-troubleshooting').waitFor();
    // The focused control is visible (focus ring) and the run button is reachable by Tab.
    await page.getByTestId('doctor-run').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid^="check-"]').first().waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
  });
});
