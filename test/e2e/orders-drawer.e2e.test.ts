import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDetail, OrderRow } from '../../shared/contract';
import type { OrderState } from '../../shared/domain/order-state';
import { launchBrowser, startServe, watchPageErrors, type ServeHandle } from './helpers';

// A retry moves an order through five states in a second, one `order.changed` event each. The
// open order drawer used to fetch the whole order again for every one of them (six fetches for
// one click, answers landing in any order); it now shows each event's row at once and fetches
// the detail at most once at a time with one more queued. `orders.list`, `orders.get` and the
// event stream are answered in the browser, as in orders.e2e.test.ts.

const BASE = Date.parse('2026-11-01T00:00:00Z');

function row(id: number, state: OrderState): OrderRow {
  return {
    id,
    storeId: 'acme',
    infigoOrderId: 700_000 + id,
    gelatoOrderId: null,
    orderReferenceId: `pl-${id}`,
    state,
    attentionReason: null,
    customerName: 'Ada',
    country: 'GB',
    createdAt: new Date(BASE).toISOString(),
    updatedAt: new Date(BASE).toISOString(),
  };
}

describe('order drawer during a burst of live changes', () => {
  let server: ServeHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  /** The state `orders.get` reports for order 1. */
  let state: OrderState = 'needs_attention';
  let gets = 0;
  let releaseEvents: (body: string) => void = () => undefined;
  const eventsBody = new Promise<string>((r) => (releaseEvents = r));
  let released = false;

  beforeAll(async () => {
    server = await startServe();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    errors = watchPageErrors(page);
    await page.route('**/api/call/orders.list', async (route: Route) => {
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, result: { rows: [row(1, state)], total: 1 } }) });
    });
    await page.route('**/api/call/orders.get', async (route: Route) => {
      gets++;
      const detail: OrderDetail = {
        ...row(1, state),
        lines: [],
        files: [],
        timeline: [{ id: gets, at: new Date(BASE).toISOString(), kind: 'fetched', outcome: 'info', message: `Detail fetch ${gets} (${state})`, detail: null }],
        payload: null,
        infigo: {},
        tracking: [],
        infigoUrl: null,
      };
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, result: detail }) });
    });
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

  it('follows five changes with at most three detail fetches and ends on the last state', async () => {
    await page.getByRole('button', { name: 'Open order 700001' }).click();
    const drawer = page.getByRole('dialog', { name: 'Infigo order 700001' });
    await drawer.getByText('Detail fetch 1 (needs_attention)').waitFor({ timeout: 15_000 });
    expect(gets).toBe(1);

    const states: OrderState[] = ['discovered', 'classified', 'files', 'submitting', 'submitted'];
    state = 'submitted';
    releaseEvents(states.map((s) => `event: order.changed\ndata: ${JSON.stringify(row(1, s))}\n\n`).join(''));

    // The drawer ends on the last event's state, with a timeline fetched after it.
    await drawer.getByText('Submitted', { exact: true }).waitFor({ timeout: 10_000 });
    await drawer.getByText(/^Detail fetch \d+ \(submitted\)$/).waitFor({ timeout: 10_000 });
    // Before, every event fetched the order again: 1 + 5. Now one fetch runs while the burst
    // arrives and at most one more follows it.
    expect(gets).toBeGreaterThanOrEqual(2);
    expect(gets).toBeLessThanOrEqual(3);
    expect(errors).toEqual([]);
  });
});
