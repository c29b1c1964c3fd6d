import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDetail, OrderRow } from '../../shared/contract';
import type { OrderState } from '../../shared/domain/order-state';
import { callApi, launchBrowser, screenshot, seriousAxeViolations, startServe, watchPageErrors, type ServeHandle } from './helpers';

// The order drawer offers only what an order's state allows and says why the rest is not
// offered (issue 15 item 13: a delivered order offered Retry, Skip and Cancel, and Retry answered
// "Retried: 0"). Real engine, real sandbox: orders are submitted by a real sync, then moved on in
// the simulated GelatoConnect tenant (its /__sandbox control routes) and followed by back-sync.

type Cfg = { gelato: { endpoints: { getOrder: string } } };

/** Asks `get` until `ok` holds of its answer (expect.poll is for tests only, not beforeAll). */
async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await get();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

describe('order actions by state', () => {
  let server: ServeHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let gelato = '';
  const picked: Partial<Record<'delivered' | 'shipped' | 'failed', OrderRow>> = {};

  const detail = (id: number) => callApi<OrderDetail>(server.url, 'orders.get', { id });

  /** Moves an order on in the simulated GelatoConnect tenant and waits until Presslink follows. */
  async function moveInGelato(o: OrderRow, to: 'delivered' | 'shipped' | 'failed', want: OrderState) {
    const url = `${gelato}/__sandbox/gelato/orders/${encodeURIComponent(o.orderReferenceId)}/${to === 'failed' ? 'fail' : 'advance'}`;
    const body = to === 'failed' ? { reason: 'The print file has no bleed' } : { to };
    // The tenant refuses (409) until it has fetched the order's files; ask until it accepts.
    await until(`the tenant moving ${o.orderReferenceId} to ${to}`, async () => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status, (s) => s === 200, 30_000, 300);
    await until(
      `Presslink following ${o.orderReferenceId} to ${want}`,
      async () => {
        await callApi(server.url, 'sync.now');
        return (await detail(o.id)).state;
      },
      (s) => s === want,
      60_000,
    );
  }

  beforeAll(async () => {
    server = await startServe();
    await callApi(server.url, 'setup.useSandbox', { orders: 3 });
    const { config } = await callApi<{ config: Cfg }>(server.url, 'config.get');
    gelato = new URL(config.gelato.endpoints.getOrder).origin;
    const submitted = await until(
      'three orders submitted',
      async () => {
        await callApi(server.url, 'sync.now');
        return (await callApi<{ rows: OrderRow[] }>(server.url, 'orders.list', { states: ['submitted'], limit: 50 })).rows.filter((r) => r.gelatoOrderId);
      },
      (rows) => rows.length >= 3,
      90_000,
      1000,
    );
    [picked.delivered, picked.shipped, picked.failed] = submitted;
    await moveInGelato(picked.delivered!, 'delivered', 'delivered');
    await moveInGelato(picked.shipped!, 'shipped', 'shipped');
    await moveInGelato(picked.failed!, 'failed', 'failed');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.dispose();
  });

  async function openDrawer(locale: string, o: OrderRow) {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale });
    // The language chosen in this browser (else the UI follows the engine's config, English here).
    const lang = locale.slice(0, 2);
    await context.addInitScript((l) => localStorage.setItem('presslink.language', l), lang);
    page = await context.newPage();
    errors = watchPageErrors(page);
    await page.goto(await server.signInUrl(`#/orders/${o.id}`));
    // The drawer has loaded the order once its reference shows.
    await page.getByRole('dialog').getByText(o.orderReferenceId, { exact: true }).waitFor({ timeout: 15_000 });
  }

  const buttons = (page: Page) => page.getByTestId('order-actions').getByRole('button').allTextContents();
  const refused = (page: Page) => page.getByTestId('order-actions-refused').getByRole('listitem').allTextContents();

  it('a delivered order offers no Retry, Skip or Cancel, and says why', async () => {
    await openDrawer('en-GB', picked.delivered!);
    // Nothing to press in the whole drawer but closing it.
    expect(await page.getByRole('dialog').getByRole('button', { name: /^(Retry|Skip|Download files again|Cancel in GelatoConnect)$/ }).count()).toBe(0);
    expect(await buttons(page)).toEqual([]);
    expect(await refused(page)).toEqual(['“Retry”, “Skip”, “Download files again” and “Cancel in GelatoConnect” are not offered: the order has been delivered.']);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'en-order-delivered-actions');
    expect(errors).toEqual([]);
  });

  it('a shipped order cannot be canceled any more, and says so', async () => {
    await openDrawer('en-GB', picked.shipped!);
    expect(await buttons(page)).toEqual([]);
    expect(await refused(page)).toEqual(['“Retry”, “Skip”, “Download files again” and “Cancel in GelatoConnect” are not offered: the order has already shipped.']);
  });

  it('an order GelatoConnect failed offers Retry first; its Skip dialog does not claim it "is not produced"', async () => {
    await openDrawer('en-GB', picked.failed!);
    expect(await buttons(page)).toEqual(['Retry', 'Skip', 'Download files again']);
    expect(await refused(page)).toEqual(['“Cancel in GelatoConnect” is not offered: GelatoConnect failed the order, so nothing is being produced.']);
    await page.getByTestId('order-actions').getByRole('button', { name: 'Skip' }).click();
    const explain = page.getByTestId('confirm-explain');
    await explain.waitFor();
    const text = (await explain.textContent()) ?? '';
    expect(text).toContain(`already in GelatoConnect (${picked.failed!.gelatoOrderId})`);
    expect(text).not.toContain('is not produced');
    await screenshot(page, 'en-order-skip-in-gelato');
    await page.getByRole('button', { name: 'Back' }).click();
    // Retry answers with what it did, in words.
    await page.getByTestId('order-actions').getByRole('button', { name: 'Retry' }).click();
    await page.getByText('1 order sent back to be processed.').waitFor({ timeout: 15_000 });
    expect(errors).toEqual([]);
  });

  it('the bulk bar of the order log takes only the orders an action allows, and says why it leaves the others out', async () => {
    await openDrawer('en-GB', picked.delivered!);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const select = (o: OrderRow) => page.getByTestId(`order-row-${o.id}`).getByRole('checkbox').check();
    await select(picked.delivered!);
    await select(picked.shipped!);
    expect(await page.getByRole('button', { name: 'Retry selected' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Skip selected' }).isDisabled()).toBe(true);
    expect(await page.getByTestId('bulk-left-out').locator('p').allTextContents()).toEqual([
      '“Retry selected” leaves out 2 selected orders: the order has been delivered; the order has already shipped.',
      '“Skip selected” leaves out 2 selected orders: the order has been delivered; the order has already shipped.',
    ]);
    await screenshot(page, 'en-orders-bulk-left-out');
    expect(errors).toEqual([]);
  });

  it('says the same in Italian', async () => {
    await openDrawer('it-IT', picked.delivered!);
    expect(await buttons(page)).toEqual([]);
    expect(await refused(page)).toEqual(['“Riprova”, “Salta”, “Scarica di nuovo i file” e “Annulla in GelatoConnect” non sono disponibili: l\'ordine è stato consegnato.']);
    await screenshot(page, 'it-order-delivered-actions');
    await openDrawer('it-IT', picked.shipped!);
    expect(await refused(page)).toEqual(['“Riprova”, “Salta”, “Scarica di nuovo i file” e “Annulla in GelatoConnect” non sono disponibili: l\'ordine è già stato spedito.']);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByTestId(`order-row-${picked.shipped!.id}`).getByRole('checkbox').check();
    expect(await page.getByTestId('bulk-left-out').locator('p').first().textContent()).toBe('“Riprova i selezionati” esclude 1 ordine selezionato: l\'ordine è già stato spedito.');
    await screenshot(page, 'it-orders-bulk-left-out');
    expect(errors).toEqual([]);
  });
});
