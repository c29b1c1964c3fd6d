import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderRow } from '../../shared/contract';
import { ORDER_STATES } from '../../shared/domain/order-state';
import { launchBrowser, startServe, watchPageErrors, type ServeHandle } from './helpers';

// When the engine fails to answer for a window of the order log, the page must not ask again on
// every render (it re-renders on every scroll and every answer, which made a tight retry loop
// against a failing engine): the user sees the error with a way to try again, and retries come
// after a delay. `orders.list` is answered in the browser, as in orders.e2e.test.ts.

const TOTAL = 100_000;
const PAGE = 200; // the renderer's window size
const BASE = Date.parse('2026-11-01T00:00:00Z');
const FAILURE = 'The order database is busy';

function rowAt(index: number): OrderRow {
  const state = ORDER_STATES[index % ORDER_STATES.length]!;
  return {
    id: index + 1,
    storeId: 'acme',
    infigoOrderId: 500_000 + index,
    gelatoOrderId: `gc-${index}`,
    orderReferenceId: `pl-${index}`,
    state,
    attentionReason: null,
    customerName: `Customer ${index}`,
    country: 'GB',
    createdAt: new Date(BASE - index * 60_000).toISOString(),
    updatedAt: new Date(BASE - index * 60_000).toISOString(),
  };
}

describe('orders log when the engine fails to answer', () => {
  let server: ServeHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const calls: { at: number; offset: number; q?: string; failed: boolean }[] = [];
  /** While set, windows past the first (scrolling) fail. */
  let failScrolling = false;
  /** While set, searches fail. */
  let failSearch = false;
  /** Failing answers wait for this before they are sent. */
  let holdFailures: Promise<void> | null = null;

  beforeAll(async () => {
    server = await startServe();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    errors = watchPageErrors(page);
    await page.route('**/api/call/orders.list', async (route: Route) => {
      const input = JSON.parse(route.request().postData() ?? '{}') as { offset?: number; limit?: number; q?: string };
      const offset = input.offset ?? 0;
      const limit = input.limit ?? 100;
      const fail = (failScrolling && offset > 0) || (failSearch && !!input.q);
      calls.push({ at: Date.now(), offset, q: input.q, failed: fail });
      if (fail) {
        if (holdFailures) await holdFailures;
        await route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'failed', message: FAILURE } }) });
        return;
      }
      const total = input.q ? 3 : TOTAL;
      const first = input.q ? 70_000 : 0;
      const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => rowAt(first + offset + i));
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, result: { rows, total } }) });
    });
    await page.goto(await server.signInUrl('#/orders'));
    await page.getByTestId('order-row-1').waitFor({ timeout: 15_000 });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.dispose();
  });

  it('does not re-request a window that failed while scrolling in a loop, shows the error and retries on request', async () => {
    failScrolling = true;
    const t0 = Date.now();
    await page.getByTestId('orders-scroll').evaluate((el) => (el.scrollTop = 50_000 * 42));
    const alert = page.getByRole('alert').filter({ hasText: FAILURE });
    await alert.waitFor({ timeout: 10_000 });
    // The rows of the failed window are not shown as orders.
    expect(await page.getByTestId('order-row-50001').count()).toBe(0);
    // …and say they could not be loaded rather than "Loading…".
    await page.getByText('Could not load these orders', { exact: false }).first().waitFor({ timeout: 5_000 });
    // Over two seconds, a failing window is asked for a few times at most, not on every render.
    await page.waitForTimeout(Math.max(0, 2_000 - (Date.now() - t0)));
    const during = calls.filter((c) => c.at >= t0 && c.offset > 0);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((c) => c.failed)).toBe(true);
    const perWindow = new Map<number, number>();
    for (const c of during) perWindow.set(c.offset, (perWindow.get(c.offset) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(3);
    // Only the windows on screen, around row 50,000.
    for (const offset of perWindow.keys()) expect(Math.abs(offset - 50_000)).toBeLessThanOrEqual(PAGE);
    // The error stays on screen while the window has not loaded.
    expect(await alert.isVisible()).toBe(true);

    // The engine recovers; the user asks to try again and gets the rows at once.
    failScrolling = false;
    const before = calls.length;
    const t1 = Date.now();
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('order-row-50001').waitFor({ timeout: 5_000 });
    expect(Date.now() - t1).toBeLessThan(1_000);
    expect(await page.getByTestId('order-row-50001').textContent()).toContain('550000');
    await alert.waitFor({ state: 'detached', timeout: 5_000 });
    expect(calls.slice(before).every((c) => !c.failed && Math.abs(c.offset - 50_000) <= PAGE)).toBe(true);
  });

  it('retries a failed window by itself after a delay, without the user', async () => {
    await page.getByTestId('orders-scroll').evaluate((el) => (el.scrollTop = 0));
    await page.getByTestId('order-row-1').waitFor({ timeout: 10_000 });
    failScrolling = true;
    const t0 = Date.now();
    await page.getByTestId('orders-scroll').evaluate((el) => (el.scrollTop = 80_000 * 42));
    await page.getByRole('alert').filter({ hasText: FAILURE }).waitFor({ timeout: 10_000 });
    // Recovers after the first failure; the automatic retry (after about a second) loads the rows.
    failScrolling = false;
    await page.getByTestId('order-row-80001').waitFor({ timeout: 10_000 });
    const tries = calls.filter((c) => c.at >= t0 && Math.abs(c.offset - 80_000) <= PAGE);
    const firstFailure = tries.find((c) => c.failed)!;
    const firstSuccess = tries.find((c) => !c.failed)!;
    // Not retried straight away: the retry waited.
    expect(firstSuccess.at - firstFailure.at).toBeGreaterThanOrEqual(700);
    await page.getByRole('alert').filter({ hasText: FAILURE }).waitFor({ state: 'detached', timeout: 5_000 });
  });

  it('a search that fails shows the error without looping and can be tried again', async () => {
    await page.getByTestId('orders-scroll').evaluate((el) => (el.scrollTop = 0));
    failSearch = true;
    const t0 = Date.now();
    await page.getByTestId('orders-search').fill('turing');
    const alert = page.getByRole('alert').filter({ hasText: FAILURE });
    await alert.waitFor({ timeout: 10_000 });
    // No rows of the unfiltered list pass for the search's answer.
    expect(await page.getByTestId('orders-total').textContent()).not.toBe('Orders: 100,000');
    await page.waitForTimeout(Math.max(0, 2_000 - (Date.now() - t0)));
    const searches = calls.filter((c) => c.at >= t0 && c.q === 'turing');
    expect(searches.length).toBeGreaterThan(0);
    expect(searches.length).toBeLessThanOrEqual(3);

    failSearch = false;
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => page.getByTestId('orders-total').textContent(), { timeout: 5_000 }).toBe('Orders: 3');
    await page.getByTestId('order-row-70001').waitFor();
    await alert.waitFor({ state: 'detached', timeout: 5_000 });
    expect(errors).toEqual([]);
  });

  it('a failure that lands after the user left the order log is not retried in the background', async () => {
    failSearch = true;
    let release: () => void = () => undefined;
    holdFailures = new Promise<void>((r) => (release = r));
    const t0 = Date.now();
    await page.getByTestId('orders-search').fill('lovelace');
    await expect.poll(() => calls.some((c) => c.at >= t0 && c.q === 'lovelace'), { timeout: 10_000 }).toBe(true);
    await page.evaluate(() => (window.location.hash = '#/dashboard'));
    await page.getByTestId('orders-search').waitFor({ state: 'detached', timeout: 10_000 });
    // The answer fails only now, with the page gone; the first automatic retry would come 1 s later.
    release();
    await page.waitForTimeout(2_500);
    expect(calls.filter((c) => c.at >= t0 && c.q === 'lovelace').length).toBe(1);
    holdFailures = null;
    failSearch = false;
    expect(errors).toEqual([]);
  });
});
