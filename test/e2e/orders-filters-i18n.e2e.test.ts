import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderRow } from '../../shared/contract';
import { launchBrowser, screenshot, seriousAxeViolations, startServe, watchPageErrors, type ServeHandle } from './helpers';

// The order log's filter bar in Italian (issue 15 item 16): the sort select was cut ("Più recenti
// pr…") and the date filters showed the browser's mm/dd/yyyy. `orders.list` is answered in the
// browser so the test sees exactly what the filters send.

const BASE = Date.parse('2026-11-01T00:00:00Z');

function row(i: number): OrderRow {
  return {
    id: i + 1,
    storeId: 'acme',
    infigoOrderId: 800_000 + i,
    gelatoOrderId: null,
    orderReferenceId: `pl-${i}`,
    state: 'discovered',
    attentionReason: null,
    customerName: null,
    country: 'IT',
    createdAt: new Date(BASE - i * 3_600_000).toISOString(),
    updatedAt: new Date(BASE - i * 3_600_000).toISOString(),
  };
}

const MONTHS_IT = /^\d{1,2} (gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic) \d{4}$/;

describe('order filters follow the UI language', () => {
  let server: ServeHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const calls: { from?: string; to?: string }[] = [];

  async function open(lang: 'en' | 'it') {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: lang === 'it' ? 'it-IT' : 'en-US' });
    await context.addInitScript((l) => localStorage.setItem('presslink.language', l), lang);
    page = await context.newPage();
    errors = watchPageErrors(page);
    await page.route('**/api/call/orders.list', async (route: Route) => {
      const input = JSON.parse(route.request().postData() ?? '{}') as { from?: string; to?: string };
      calls.push({ from: input.from, to: input.to });
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, result: { rows: [row(0), row(1)], total: 2 } }) });
    });
    await page.goto(await server.signInUrl('#/orders'));
    await page.getByTestId('order-row-1').waitFor({ timeout: 15_000 });
  }

  /** Whether the text in the sort select is cut (its content is wider than the box). */
  const sortCut = () => page.getByTestId('orders-sort').evaluate((el) => (el as HTMLInputElement).scrollWidth > (el as HTMLInputElement).clientWidth);

  beforeAll(async () => {
    server = await startServe();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.dispose();
  });

  it('Italian: the sort choice is shown whole, in both of its values', async () => {
    await open('it');
    expect(await page.getByTestId('orders-sort').inputValue()).toBe('Più recenti prima');
    expect(await sortCut()).toBe(false);
    await page.getByTestId('orders-sort').click();
    await page.getByRole('option', { name: 'Meno recenti prima' }).click();
    expect(await page.getByTestId('orders-sort').inputValue()).toBe('Meno recenti prima');
    expect(await sortCut()).toBe(false);
  });

  it('Italian: a day is picked on an Italian calendar, shown the Italian way and sent as a date', async () => {
    const from = page.getByTestId('orders-from');
    expect(await from.textContent()).toBe('Qualsiasi giorno');
    // Nothing reads mm/dd/yyyy (the browser's own date input did, whatever the UI language).
    expect(await page.getByRole('search').textContent()).not.toMatch(/mm\/dd|gg\/mm/i);
    await from.click();
    const calendar = page.locator('.mantine-Popover-dropdown').filter({ has: page.locator('table') });
    await calendar.waitFor();
    // Italian month and weekday names, Monday first.
    expect(await calendar.textContent()).toMatch(/(gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre) \d{4}/);
    expect((await calendar.locator('thead th').allTextContents()).map((d) => d.toLowerCase())).toEqual(['lu', 'ma', 'me', 'gi', 've', 'sa', 'do']);
    await screenshot(page, 'it-orders-date-filter');
    const before = calls.length;
    await calendar.getByRole('button', { name: /^15 / }).first().click();
    await expect.poll(() => from.textContent()).toMatch(MONTHS_IT);
    expect((await from.textContent())!.startsWith('15 ')).toBe(true);
    // The engine gets the start of that day.
    await expect.poll(() => calls.slice(before).some((c) => c.from && new Date(c.from).getDate() === 15)).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'it-orders');
    // Cleared again with its clear button, named in Italian.
    await page.getByRole('button', { name: 'Svuota “Dal”' }).click();
    expect(await from.textContent()).toBe('Qualsiasi giorno');
    expect(errors).toEqual([]);
  });

  it('English: the same filters, in English', async () => {
    await open('en');
    expect(await page.getByTestId('orders-sort').inputValue()).toBe('Newest first');
    expect(await sortCut()).toBe(false);
    const from = page.getByTestId('orders-from');
    expect(await from.textContent()).toBe('Any day');
    await from.click();
    const calendar = page.locator('.mantine-Popover-dropdown').filter({ has: page.locator('table') });
    await calendar.waitFor();
    expect(await calendar.textContent()).toMatch(/(January|February|March|April|May|June|July|August|September|October|November|December) \d{4}/);
    await calendar.getByRole('button', { name: /^15 / }).first().click();
    await expect.poll(() => from.textContent()).toMatch(/^15 (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'en-orders');
    expect(errors).toEqual([]);
  });
});
