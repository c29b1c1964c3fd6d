import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, launchBrowser, screenshot, seriousAxeViolations, startServe, watchPageErrors, type ServeHandle } from './helpers';

// The fix-and-retry path a shop actually walks: orders held for an unmapped SKU show up in
// Needs attention with the reason, the SKU is mapped from "Unmapped SKUs seen in orders",
// and a bulk retry sends the orders on.

type Cfg = { products: { sku: string; attributes?: Record<string, string> }[] } & Record<string, unknown>;
const total = async (page: Page) => Number(((await page.getByTestId('orders-total').textContent()) ?? '').replace(/\D/g, ''));

describe('needs attention: fix the mapping and retry', () => {
  let server: ServeHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let original: Cfg['products'];
  let held = 0;

  beforeAll(async () => {
    server = await startServe();
    await callApi(server.url, 'setup.useSandbox', { orders: 8 });
    const { config } = await callApi<{ config: Cfg }>(server.url, 'config.get');
    original = config.products;
    // Forget every product mapping, so the next sync holds the printable orders.
    await callApi(server.url, 'config.save', { config: { ...config, products: [] } });
    await callApi(server.url, 'sync.now');
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    errors = watchPageErrors(page);
    await page.goto(await server.signInUrl('#/attention'));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.dispose();
  });

  it('lists the held orders with their plain-language reason', async () => {
    await expect.poll(() => total(page), { timeout: 15_000 }).toBeGreaterThan(0);
    held = await total(page);
    await expect.poll(() => page.getByTestId('attention-count').textContent()).toBe(`Needs attention: ${held}`);
    const first = page.locator('[data-testid^="order-row-"]').first();
    expect(await first.getAttribute('data-state')).toBe('needs_attention');
    expect(await first.textContent()).toContain('No GelatoConnect product is mapped');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'en-attention-held');

    await first.getByRole('button').first().click();
    const reason = page.getByRole('dialog').getByTestId('attention-reason');
    await reason.waitFor();
    expect(await reason.textContent()).toContain('Retry');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('maps an unmapped SKU from the list of SKUs seen in orders', async () => {
    await page.getByTestId('nav-mappings').click();
    const unmapped = page.getByTestId('unmapped-table');
    await unmapped.waitFor({ timeout: 15_000 });
    expect(await unmapped.getByRole('row').count()).toBeGreaterThan(1);
    await page.getByRole('button', { name: 'Map SKU POSTER-A2' }).first().click();
    const row = page.getByTestId('mapping-row-0');
    await row.waitFor();
    expect(await row.getByLabel('SKU, row 1').inputValue()).toBe('POSTER-A2');
    expect(await row.getByLabel('Attributes, row 1').inputValue()).toContain('Paper=');
    // Focus lands on the field still to fill in (moved there once the new row has rendered, so
    // it may follow the row's appearance by a frame on a busy machine).
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.getAttribute('aria-label')), { timeout: 5_000 }).toBe('Product UID, row 1');
    await page.keyboard.type('large-posters_pf_a2_pt_200-gsm-coated-silk_cl_4-0_ver');
    await page.getByTestId('mappings-save').click();
    await page.getByText('Saved.').waitFor();
    const { config } = await callApi<{ config: Cfg }>(server.url, 'config.get');
    expect(config.products.map((p) => p.sku)).toEqual(['POSTER-A2']);
    // The rest of the catalogue comes back as it was (the shop would import its CSV).
    await callApi(server.url, 'config.save', { config: { ...config, products: [...config.products, ...original] } });
  });

  it('retries the held orders in bulk and they leave Needs attention', async () => {
    await page.getByTestId('nav-attention').click();
    await expect.poll(() => total(page), { timeout: 15_000 }).toBe(held);
    await page.getByRole('checkbox', { name: 'Select all visible orders' }).check();
    await page.getByRole('button', { name: 'Retry selected' }).click();
    await page.getByText(/^\d+ orders? sent back to be processed\.$/).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Sync now' }).click().catch(() => undefined);
    await expect.poll(() => total(page), { timeout: 60_000 }).toBeLessThan(held);
    await expect.poll(async () => Number(((await page.getByTestId('attention-count').textContent()) ?? '').replace(/\D/g, '')), { timeout: 30_000 }).toBeLessThan(held);
    await screenshot(page, 'en-attention-after-retry');
    expect(errors).toEqual([]);
  });
});
