import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, launchBrowser, screenshot, seriousAxeViolations, startServe, watchPageErrors, type ServeHandle } from './helpers';

// The mapping editor as a shop uses it (issue 15 item 17): a new row is not red before anything
// is typed, errors come when a field is left (or on save), real product UIDs are shown whole, the
// UID check is named for what it is, and a CSV import can be merged into the table or replace it,
// with the difference shown first. Real engine with the sandbox's configuration.

type Product = { sku: string; attributes?: Record<string, string>; productUid?: string; productName?: string };
const products = async (url: string) => (await callApi<{ config: { products: Product[] } }>(url, 'config.get')).config.products;
const LONG_UID = 'flat_product_pf_a4_pt_170-gsm-coated-silk_cl_4-4_ver';
const pairs = (a?: Record<string, string>) =>
  Object.entries(a ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

describe('mapping editor: errors, wide UIDs, merge or replace', () => {
  let server: ServeHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let initial: Product[];

  const rows = () => page.locator('[data-testid^="mapping-row-"]');
  const fieldErrors = (scope: Locator) => scope.locator('.mantine-InputWrapper-error');

  async function open(lang: 'en' | 'it') {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: lang === 'it' ? 'it-IT' : 'en-GB' });
    await context.addInitScript((l) => localStorage.setItem('presslink.language', l), lang);
    page = await context.newPage();
    errors = watchPageErrors(page);
    await page.goto(await server.signInUrl('#/mappings'));
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(initial.length);
  }

  beforeAll(async () => {
    server = await startServe();
    await callApi(server.url, 'setup.useSandbox', { orders: 1 });
    initial = await products(server.url);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.dispose();
  });

  it('a new row shows no errors before typing; a field left empty or wrong says so when left', async () => {
    await open('en');
    await page.getByRole('button', { name: 'Add mapping' }).click();
    const row = page.getByTestId(`mapping-row-${initial.length}`);
    await row.waitFor();
    const sku = row.getByLabel(`SKU, row ${initial.length + 1}`, { exact: true });
    await expect.poll(() => sku.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await fieldErrors(row).count()).toBe(0);
    expect(await page.getByText('Some rows have errors').count()).toBe(0);
    await screenshot(page, 'en-mappings-new-row');

    // Leaving the SKU empty: its error, and only its own.
    await page.keyboard.press('Tab');
    expect(await fieldErrors(row).allTextContents()).toEqual(['SKU is required']);
    await sku.fill('E2E-LETTERHEAD');
    expect(await fieldErrors(row).count()).toBe(0);

    // A UID in the wrong format fails the format check, named as such, once the field is left.
    const uid = row.getByLabel(`Product UID, row ${initial.length + 1}`, { exact: true });
    await uid.fill('Letterhead A4');
    expect(await fieldErrors(row).count()).toBe(0);
    await uid.blur();
    expect((await fieldErrors(row).allTextContents())[0]).toMatch(/^Format check failed: GelatoConnect product UIDs are lower-case words joined by underscores/);
    // The page says the format check is all there is, and why.
    expect(await page.getByTestId('uid-check-note').textContent()).toContain('format check only');

    // A real UID is shown whole: it wraps, nothing is cut off.
    await uid.fill(LONG_UID);
    expect(await fieldErrors(row).count()).toBe(0);
    const fits = await uid.evaluate((el) => ({ w: el.scrollWidth <= el.clientWidth, h: el.scrollHeight <= el.clientHeight + 1 }));
    expect(fits).toEqual({ w: true, h: true });
    // Enter does not break a UID in two.
    await uid.press('Enter');
    expect(await uid.inputValue()).toBe(LONG_UID);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'en-mappings-long-uid');
  });

  it('Save on a new row left untouched shows its errors and saves nothing', async () => {
    await page.getByRole('button', { name: 'Add mapping' }).click();
    const second = page.getByTestId(`mapping-row-${initial.length + 1}`);
    await second.waitFor();
    expect(await fieldErrors(second).count()).toBe(0);
    await page.getByTestId('mappings-save').click();
    await expect.poll(() => fieldErrors(second).allTextContents()).toEqual(['SKU is required', 'Product UID is required']);
    expect(await page.getByText('Some rows have errors; fix them before saving.').count()).toBe(1);
    expect((await products(server.url)).length).toBe(initial.length);
    // Removing the empty row lets the rest save.
    await second.getByRole('button', { name: `Remove row ${initial.length + 2}` }).click();
    await page.getByTestId('mappings-save').click();
    await page.getByText('Saved.').waitFor();
    const saved = await products(server.url);
    expect(saved.at(-1)).toEqual({ sku: 'E2E-LETTERHEAD', productUid: LONG_UID });
    initial = saved;
    expect(errors).toEqual([]);
  });

  it('merges a CSV into the table: shows what is added and changed, keeps the rest', async () => {
    const changedRow = initial.find((p) => p.productUid)!;
    const csv = [
      'sku,attributes,productUid,productName,productVariant,attributeMap',
      `${changedRow.sku},"${pairs(changedRow.attributes)}",flat_product_pf_a4_merged_ver,,,`,
      'NEW-MERGED,,flat_product_pf_a5_new_ver,,,',
    ].join('\n');
    await page.locator('input[type=file]').setInputFiles({ name: 'merge.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const dialog = page.getByRole('dialog', { name: 'Review the CSV import' });
    await dialog.waitFor();
    // Merge is the default: nothing is removed.
    expect(await dialog.getByTestId('csv-diff-counts').locator('.mantine-Badge-label').allTextContents()).toEqual([
      '1 row added',
      '1 row changed',
      `${initial.length - 1} rows not in the file, kept`,
      '0 rows unchanged',
    ]);
    expect(await dialog.locator('[data-diff="added"]').allTextContents()).toEqual([expect.stringContaining('NEW-MERGED')]);
    expect(await dialog.locator('[data-diff="changed"]').allTextContents()).toEqual([`~ ${changedRow.sku}: ${changedRow.productUid} → flat_product_pf_a4_merged_ver`]);
    expect(await dialog.locator('[data-diff="removed"]').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'en-mappings-csv-merge');
    await dialog.getByTestId('csv-apply').click();
    await expect.poll(() => rows().count()).toBe(initial.length + 1);
    await page.getByTestId('mappings-save').click();
    await page.getByText('Saved.').waitFor();
    const saved = await products(server.url);
    expect(saved.map((p) => p.sku)).toEqual([...initial.map((p) => p.sku), 'NEW-MERGED']);
    expect(saved.find((p) => p.sku === changedRow.sku && pairs(p.attributes) === pairs(changedRow.attributes))!.productUid).toBe('flat_product_pf_a4_merged_ver');
    initial = saved;
  });

  it('replaces the table with a CSV: shows every row that would go before applying', async () => {
    const csv = ['sku,attributes,productUid,productName,productVariant,attributeMap', 'ONLY-ROW,,flat_product_pf_a6_only_ver,,,'].join('\n');
    await page.locator('input[type=file]').setInputFiles({ name: 'replace.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const dialog = page.getByRole('dialog', { name: 'Review the CSV import' });
    await dialog.waitFor();
    await dialog.getByTestId('csv-mode').getByText('Replace the table').click();
    await dialog.getByText(`${initial.length} rows removed`).waitFor();
    expect(await dialog.locator('[data-diff="removed"]').count()).toBe(initial.length);
    await screenshot(page, 'en-mappings-csv-replace');
    // Switching back to merge takes the removals back.
    await dialog.getByTestId('csv-mode').getByText('Merge into the table').click();
    await dialog.getByText(`${initial.length} rows not in the file, kept`).waitFor();
    expect(await dialog.locator('[data-diff="removed"]').count()).toBe(0);
    await dialog.getByTestId('csv-mode').getByText('Replace the table').click();
    await dialog.getByTestId('csv-apply').click();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await page.getByLabel('SKU, row 1', { exact: true }).inputValue()).toBe('ONLY-ROW');
    expect(errors).toEqual([]);
  });

  it('leaving for another page with rows not saved asks first: stay keeps them, discard drops them, save and go saves them', async () => {
    await open('en');
    const n = initial.length + 1;
    const typeRow = async (sku: string) => {
      await page.getByRole('button', { name: 'Add mapping' }).click();
      await page.getByLabel(`SKU, row ${n}`, { exact: true }).fill(sku);
      await page.getByLabel(`Product UID, row ${n}`, { exact: true }).fill('flat_product_pf_a4_pt_100-gsm-uncoated_cl_4-0_ct_none_prt_none_sft_none_set_none_ver');
    };
    const dialog = page.getByRole('dialog', { name: 'Unsaved changes' });
    await typeRow('E2E-LEAVE');
    await page.getByTestId('nav-dashboard').click();
    await dialog.waitFor({ timeout: 10_000 });
    expect(await dialog.textContent()).toContain('You changed the product mappings and did not save.');
    await page.getByTestId('mappings-leave-stay').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(page.url()).toMatch(/#\/mappings$/);
    expect(await page.getByLabel(`SKU, row ${n}`, { exact: true }).inputValue()).toBe('E2E-LEAVE');

    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('mappings-leave-discard').click();
    await page.getByTestId('page-dashboard').waitFor({ timeout: 10_000 });
    expect((await products(server.url)).map((p) => p.sku)).not.toContain('E2E-LEAVE');

    await page.getByTestId('nav-mappings').click();
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(initial.length);
    await typeRow('E2E-SAVED-ON-LEAVE');
    await page.getByTestId('nav-orders').click();
    await page.getByTestId('mappings-leave-save').click();
    await page.getByTestId('page-orders').waitFor({ timeout: 10_000 });
    expect((await products(server.url)).map((p) => p.sku)).toContain('E2E-SAVED-ON-LEAVE');
    // Saved rows are not asked about again.
    await page.getByTestId('nav-mappings').click();
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(initial.length + 1);
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('page-dashboard').waitFor({ timeout: 10_000 });
    initial = await products(server.url);
    expect(errors).toEqual([]);
  });

  it('says the same in Italian', async () => {
    await open('it');
    await page.getByRole('button', { name: 'Aggiungi associazione' }).click();
    const row = page.getByTestId(`mapping-row-${initial.length}`);
    await row.waitFor();
    expect(await fieldErrors(row).count()).toBe(0);
    const uid = row.getByLabel(`UID prodotto, riga ${initial.length + 1}`, { exact: true });
    await uid.fill('Carta Intestata');
    await uid.blur();
    expect((await fieldErrors(row).allTextContents())).toContain(
      'Controllo del formato non superato: gli UID prodotto di GelatoConnect sono parole minuscole unite da trattini bassi, ad es. flat_product_pf_a4_pt_170-gsm-coated-silk_cl_4-4_ver',
    );
    await screenshot(page, 'it-mappings-new-row');
    const csv = ['sku,attributes,productUid,productName,productVariant,attributeMap', 'NUOVO,,flat_product_pf_a3_nuovo_ver,,,'].join('\n');
    await page.locator('input[type=file]').setInputFiles({ name: 'it.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const dialog = page.getByRole('dialog', { name: "Controlla l'importazione CSV" });
    await dialog.waitFor();
    expect(await dialog.getByTestId('csv-diff-counts').locator('.mantine-Badge-label').first().textContent()).toBe('1 riga aggiunta');
    await screenshot(page, 'it-mappings-csv-merge');
    expect(errors).toEqual([]);
  });
});
