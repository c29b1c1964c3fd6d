import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, launchBrowser, screenshot, seriousAxeViolations, startServe, watchPageErrors, type ServeHandle } from './helpers';

type Product = { sku: string; attributes?: Record<string, string>; productUid?: string; productName?: string; productVariant?: Record<string, string>; attributeMap?: Record<string, string> };
const products = async (url: string) => ((await callApi<{ config: { products: Product[] } }>(url, 'config.get')).config.products);

describe('mappings editor against the sandbox configuration', () => {
  let server: ServeHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let initial: Product[];

  beforeAll(async () => {
    server = await startServe();
    await callApi(server.url, 'setup.useSandbox', { orders: 5 });
    await callApi(server.url, 'sync.now');
    initial = await products(server.url);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    errors = watchPageErrors(page);
    await page.goto(await server.signInUrl('#/mappings'));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.dispose();
  });

  it('lists the configured mappings and validates edits inline', async () => {
    expect(initial.length).toBeGreaterThan(2);
    await expect.poll(() => page.locator('[data-testid^="mapping-row-"]').count(), { timeout: 15_000 }).toBe(initial.length);
    const firstUid = initial.findIndex((p) => p.productUid);
    const uid = page.getByLabel(`Product UID, row ${firstUid + 1}`, { exact: true });
    await uid.fill('Not A Product UID');
    // A row loaded from the config shows its error as it is edited, named as the format check it is.
    await page.getByText('Format check failed: GelatoConnect product UIDs are lower-case words joined by underscores').first().waitFor();
    // Save refuses, says why, and sends nothing.
    await page.getByTestId('mappings-save').click();
    await page.getByText('Some rows have errors; fix them before saving.').waitFor();
    expect((await products(server.url))[firstUid]!.productUid).toBe(initial[firstUid]!.productUid);
    // A duplicate of another row's SKU and attributes is caught before saving, too.
    await uid.fill('flat_product_pf_a4_e2e_ver');
    expect(await page.getByTestId('mappings-save').isEnabled()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByTestId('mappings-save').click();
    await page.getByText('Saved.').waitFor();
    const saved = await products(server.url);
    expect(saved[firstUid]!.productUid).toBe('flat_product_pf_a4_e2e_ver');
    // Rows that map by name keep their attribute map through the edit.
    expect(saved.filter((p) => p.attributeMap)).toEqual(initial.filter((p) => p.attributeMap));
  });

  it('filters by search', async () => {
    await page.getByTestId('mappings-search').fill('e2e_ver');
    await expect.poll(() => page.locator('[data-testid^="mapping-row-"]').count()).toBe(1);
    await page.getByTestId('mappings-search').fill('');
  });

  it('previews a CSV import, refuses invalid rows, and applies a valid file', async () => {
    const bad = 'sku,attributes,productUid,productName,productVariant\nBC-1,,cards_pf_bc_ver,,\n,,cards_pf_x_ver,,\nBC-2,,NOT VALID,,\n';
    await page.locator('input[type=file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const dialog = page.getByRole('dialog', { name: 'Review the CSV import' });
    await dialog.getByTestId('csv-row-errors').waitFor();
    expect(await dialog.getByText('Line 3:').count()).toBe(1);
    expect(await dialog.getByText('Line 4:').count()).toBe(1);
    expect(await dialog.getByTestId('csv-apply').isDisabled()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'en-mappings-csv-errors');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Nothing was applied.
    expect(await page.locator('[data-testid^="mapping-row-"]').count()).toBe(initial.length);

    const keep = initial[0]!;
    const good = [
      'sku,attributes,productUid,productName,productVariant,attributeMap',
      `${keep.sku},"${Object.entries(keep.attributes ?? {}).map(([k, v]) => `${k}=${v}`).join('; ')}",${keep.productUid ?? ''},${keep.productName ?? ''},,`,
      'NEW-SKU,Size=A4,flat_product_pf_a4_new_ver,,,',
      'NAMED,,,Poster,Size=A2,Paper=Paper',
    ].join('\n');
    // The same file again would not fire a change event; the name differs.
    await page.locator('input[type=file]').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await dialog.getByText('2 rows added').waitFor();
    // The file is the whole catalogue: replace the table with it.
    await dialog.getByTestId('csv-mode').getByText('Replace the table').click();
    await dialog.getByText(`${initial.length - 1} rows removed`).waitFor();
    await dialog.getByTestId('csv-apply').click();
    await expect.poll(() => page.locator('[data-testid^="mapping-row-"]').count()).toBe(3);
    await page.getByTestId('mappings-save').click();
    await page.getByText('Saved.').waitFor();
    const saved = await products(server.url);
    expect(saved.map((p) => p.sku)).toEqual([keep.sku, 'NEW-SKU', 'NAMED']);
    expect(saved[2]).toEqual({ sku: 'NAMED', productName: 'Poster', productVariant: { Size: 'A2' }, attributeMap: { Paper: 'Paper' } });
  });

  it('previews the GelatoConnect payload for a chosen order', async () => {
    await page.getByRole('combobox', { name: 'Order' }).click();
    await page.getByRole('option').first().click();
    await expect
      .poll(async () => (await page.getByTestId('payload-preview').count()) + (await page.getByTestId('call-unavailable').count()), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await screenshot(page, 'en-mappings-preview');
    expect(errors).toEqual([]);
  });
});
