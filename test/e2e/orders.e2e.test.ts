import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDetail, OrderRow } from '../../shared/contract';
import { ORDER_STATES } from '../../shared/domain/order-state';
import { launchBrowser, screenshot, seriousAxeViolations, startServe, watchPageErrors, type ServeHandle } from './helpers';

// The order log must stay smooth with 100,000 orders. A fresh engine has none, so this
// suite answers `orders.list`/`orders.get` in the browser with a deterministic 100k-row
// data set (everything else still goes to the real `presslink serve`) and checks that
// the renderer only asks for the windows it shows, patches live changes in place and
// shows download progress pushed by events.

const TOTAL = 100_000;
const BASE = Date.parse('2026-11-01T00:00:00Z');

function rowAt(index: number, states?: string[]): OrderRow {
  const pool = states && states.length ? states : ORDER_STATES;
  const state = pool[index % pool.length] as OrderRow['state'];
  return {
    id: index + 1,
    storeId: index % 2 ? 'acme' : 'globex',
    infigoOrderId: 500_000 + index,
    gelatoOrderId: state === 'discovered' ? null : `gc-${index}`,
    orderReferenceId: `pl-${index}`,
    state,
    attentionReason: state === 'needs_attention' ? `SKU X-${index} has no mapping` : null,
    customerName: `Customer ${index}`,
    country: 'GB',
    createdAt: new Date(BASE - index * 60_000).toISOString(),
    updatedAt: new Date(BASE - index * 60_000).toISOString(),
  };
}

function detailFor(id: number): OrderDetail {
  return {
    ...rowAt(id - 1),
    lines: [{ jobId: 'j1', sku: 'BC-85x55', name: 'Business cards', quantity: 250, productType: 20, kind: 'printable', attributes: { Paper: 'Silk' } }],
    files: [{ id: 77, lineId: 'j1', name: 'cards.pdf', state: 'downloading', bytes: 0, totalBytes: 1000, sha256: null, error: null }],
    timeline: [{ id: 1, at: new Date(BASE).toISOString(), kind: 'discovered', outcome: 'ok', message: 'Found in Infigo', detail: null }],
    payload: { orderReferenceId: `pl-${id - 1}`, items: [] },
    infigo: {},
    tracking: [],
    infigoUrl: 'https://acme.example/admin/order/edit/1',
  };
}

describe('orders log (virtualised, live)', () => {
  let server: ServeHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const listCalls: { offset: number; limit: number; states?: string[]; q?: string }[] = [];
  let releaseEvents: (body: string) => void = () => undefined;
  const eventsBody = new Promise<string>((r) => (releaseEvents = r));
  let released = false;
  /** Answers to these search texts wait until the promise settles. */
  const heldSearches = new Map<string, Promise<void>>();

  beforeAll(async () => {
    server = await startServe();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    errors = watchPageErrors(page);
    await page.route('**/api/call/orders.list', async (route: Route) => {
      const input = JSON.parse(route.request().postData() ?? '{}') as { offset?: number; limit?: number; states?: string[]; q?: string };
      const offset = input.offset ?? 0;
      const limit = input.limit ?? 100;
      listCalls.push({ offset, limit, states: input.states, q: input.q });
      // A search for text of length n finds n orders, ids n*1000+1…: each query's rows and total
      // are its own, so the screen shows which query it answers.
      const total = input.q ? input.q.length : TOTAL;
      const first = input.q ? input.q.length * 1000 : 0;
      const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => rowAt(first + offset + i, input.states));
      const hold = input.q ? heldSearches.get(input.q) : undefined;
      if (hold) await hold;
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, result: { rows, total } }) });
    });
    await page.route('**/api/call/orders.get', async (route: Route) => {
      const { id } = JSON.parse(route.request().postData() ?? '{}') as { id: number };
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, result: detailFor(id) }) });
    });
    // Hold the first event stream until the test has rows on screen, then deliver scripted events.
    // Streams opened before then (e.g. before a reload) are held too; only the live one gets the events.
    await page.route('**/api/events*', async (route: Route) => {
      if (released) return route.continue();
      const body = await eventsBody;
      released = true;
      await route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }, body }).catch(() => undefined);
    });
    await page.goto(await server.signInUrl('#/orders'));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.dispose();
  });

  it('shows the total and renders only a window of rows', async () => {
    await expect.poll(() => page.getByTestId('orders-total').textContent(), { timeout: 15_000 }).toBe('Orders: 100,000');
    await page.getByTestId('order-row-1').waitFor();
    const rendered = await page.locator('[data-testid^="order-row-"]').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(80);
    expect(await page.getByTestId('order-row-1').textContent()).toContain('500000');
  });

  it('fetches only the windows it scrolls to, even in the middle of 100,000 rows', async () => {
    const before = listCalls.length;
    const scroller = page.getByTestId('orders-scroll');
    const t0 = Date.now();
    await scroller.evaluate((el) => (el.scrollTop = 50_000 * 42));
    await page.getByTestId('order-row-50001').waitFor({ timeout: 10_000 });
    const elapsed = Date.now() - t0;
    expect(await page.getByTestId('order-row-50001').textContent()).toContain('550000');
    const fetched = listCalls.slice(before);
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.length).toBeLessThanOrEqual(3);
    for (const c of fetched) expect(Math.abs(c.offset - 50_000)).toBeLessThan(400);
    expect(await page.locator('[data-testid^="order-row-"]').count()).toBeLessThan(80);
    // Jumping into the middle of the list is one round trip on loopback, not a long load.
    expect(elapsed).toBeLessThan(5_000);
    // Keyboard scrolling works on the focusable region too.
    await scroller.focus();
    await page.keyboard.press('End');
    await page.getByTestId(`order-row-${TOTAL}`).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Home');
    await page.getByTestId('order-row-1').waitFor({ timeout: 10_000 });
  });

  it('searches as you type and ends on the last query even when an earlier answer lands after it', async () => {
    // Every state the table passes through, so a frame with one query's total over another's rows shows up.
    await page.evaluate(() => {
      const w = window as unknown as { seen: { total: number; first: string | null }[] };
      w.seen = [];
      const table = document.querySelector('[data-testid="orders-table"]')!;
      new MutationObserver(() => {
        w.seen.push({ total: Number(table.getAttribute('aria-rowcount')) - 1, first: table.querySelector('[role="row"][aria-rowindex="2"]')?.getAttribute('data-testid') ?? null });
      }).observe(table, { subtree: true, childList: true, attributes: true });
    });
    let releaseHop: () => void = () => undefined;
    heldSearches.set('hop', new Promise<void>((r) => (releaseHop = r)));
    const before = listCalls.length;
    const search = page.getByTestId('orders-search');
    const hopAnswer = page.waitForResponse((r) => r.url().endsWith('/orders.list') && (JSON.parse(r.request().postData() ?? '{}') as { q?: string }).q === 'hop');
    await search.pressSequentially('hop', { delay: 20 });
    await expect.poll(() => listCalls.slice(before).some((c) => c.q === 'hop'), { timeout: 10_000 }).toBe(true);
    await search.pressSequentially('per', { delay: 20 });
    await expect.poll(() => page.getByTestId('orders-total').textContent(), { timeout: 10_000 }).toBe('Orders: 6');
    await page.getByTestId('order-row-6001').waitFor();
    // Now the answer to "hop" lands, after the one to "hopper": it must not replace it.
    releaseHop();
    await (await hopAnswer).finished();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 300)))));
    expect(await page.getByTestId('orders-total').textContent()).toBe('Orders: 6');
    expect(await page.getByTestId('order-row-6001').isVisible()).toBe(true);
    expect(await page.getByTestId('order-row-3001').count()).toBe(0);
    expect(await page.locator('[data-testid^="order-row-"]').count()).toBe(6);
    // Sent as typed, not held back until typing stops.
    expect(listCalls.slice(before).filter((c) => c.q).map((c) => c.q)).toEqual(['h', 'ho', 'hop', 'hopp', 'hoppe', 'hopper']);
    // No frame ever showed "hop"'s rows, or one query's total above another's rows.
    const seen = await page.evaluate(() => (window as unknown as { seen: { total: number; first: string | null }[] }).seen);
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) {
      if (s.first === null) continue; // a row still loading
      expect(s).toEqual({ total: s.total, first: s.total === TOTAL ? 'order-row-1' : `order-row-${s.total * 1000 + 1}` });
    }
    expect(seen.some((s) => s.first === 'order-row-3001')).toBe(false);
    heldSearches.clear();
  });

  it('sends the state filter to the engine', async () => {
    await page.getByTestId('orders-search').fill('');
    await expect.poll(() => page.getByTestId('orders-total').textContent(), { timeout: 10_000 }).toBe('Orders: 100,000');

    await page.getByRole('combobox', { name: 'State' }).click();
    await page.getByRole('option', { name: 'Failed' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => listCalls.at(-1)?.states, { timeout: 10_000 }).toEqual(['failed']);
    await page.getByTestId('order-row-1').waitFor();
    expect(await page.getByTestId('order-row-1').getAttribute('data-state')).toBe('failed');
  });

  it('opens the detail drawer and follows live events without reloading', async () => {
    // Back to all states.
    await page.reload();
    await page.getByTestId('order-row-3').waitFor({ timeout: 15_000 });
    const stateBefore = await page.getByTestId('order-row-3').getAttribute('data-state');
    expect(stateBefore).toBe(ORDER_STATES[2]);
    await page.getByRole('button', { name: 'Open order 500000' }).click();
    const drawer = page.getByRole('dialog', { name: 'Infigo order 500000' });
    await drawer.waitFor();
    await drawer.getByRole('tab', { name: 'Files' }).click();
    const bar = drawer.getByRole('progressbar', { name: 'Download progress of cards.pdf' });
    expect(await bar.getAttribute('aria-valuenow')).toBe('0');

    const changed: OrderRow = { ...rowAt(2), state: 'shipped' };
    releaseEvents(
      `event: order.changed\ndata: ${JSON.stringify(changed)}\n\n` +
        `event: download.progress\ndata: ${JSON.stringify({ orderId: 1, fileId: 77, bytes: 500, totalBytes: 1000 })}\n\n`,
    );
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 10_000 }).toBe('50');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('order-row-3').getAttribute('data-state'), { timeout: 10_000 }).toBe('shipped');
    expect(await page.getByTestId('order-row-3').textContent()).toContain('Shipped');
  });

  it('selects rows for bulk actions and stays accessible', async () => {
    // A classified order and one that has shipped (patched above): neither can be retried, and the
    // bar says why instead of offering a retry that would answer "0 retried".
    await page.getByRole('checkbox', { name: 'Select order 500001' }).check();
    await page.getByRole('checkbox', { name: 'Select order 500002' }).check();
    expect(await page.getByText('Selected: 2').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Retry selected' }).isDisabled()).toBe(true);
    expect(await page.getByTestId('bulk-left-out').textContent()).toContain('“Retry selected” leaves out 2 selected orders: Presslink is still working on this order; the next sync takes it further; the order has already shipped.');
    // The classified one can be skipped; the shipped one cannot.
    expect(await page.getByRole('button', { name: 'Skip selected' }).isEnabled()).toBe(true);
    expect(await page.getByTestId('bulk-left-out').textContent()).toContain('“Skip selected” leaves out 1 selected order: the order has already shipped.');
    await page.getByRole('checkbox', { name: 'Select order 500001' }).uncheck();
    await page.getByRole('checkbox', { name: 'Select order 500002' }).uncheck();
    // A held and a failed order: both can be retried.
    await page.getByRole('checkbox', { name: 'Select order 500008' }).check();
    await page.getByRole('checkbox', { name: 'Select order 500010' }).check();
    expect(await page.getByText('Selected: 2').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Retry selected' }).isEnabled()).toBe(true);
    expect(await page.getByTestId('bulk-left-out').count()).toBe(0);
    const violations = await seriousAxeViolations(page);
    expect(violations).toEqual([]);
    await screenshot(page, 'en-orders-100k');
    expect(errors).toEqual([]);
  });

  it('selects all visible rows from the header, and a new filter clears the selection', async () => {
    const all = page.getByRole('checkbox', { name: 'Select all visible orders' });
    // Two rows are still selected from the test before: the header shows a partial selection.
    expect(await all.evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(true);
    await all.check();
    const visible = await page.locator('[data-testid^="order-row-"]').count();
    expect(await page.getByText(`Selected: ${visible}`).count()).toBe(1);
    expect(await page.getByRole('checkbox', { name: 'Select order 500010' }).isChecked()).toBe(true);
    await all.uncheck();
    expect(await page.getByText('Selected: 0').count()).toBe(1);
    await page.getByRole('checkbox', { name: 'Select order 500003' }).check();
    expect(await page.getByText('Selected: 1').count()).toBe(1);
    // The selected order is not among the new filter's rows: a bulk action must not reach it.
    await page.getByTestId('orders-search').fill('hop');
    await expect.poll(() => page.getByTestId('orders-total').textContent(), { timeout: 10_000 }).toBe('Orders: 3');
    expect(await page.getByText('Selected: 0').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Retry selected' }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  });
});
