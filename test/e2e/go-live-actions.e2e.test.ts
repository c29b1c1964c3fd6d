import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_PRODUCT_MAPPINGS, type Sandbox } from '../../electron/sandbox/index';
import { callApi, launchBrowser, screenshot, seriousAxeViolations, watchPageErrors, type ServeHandle } from './helpers';
import { standInConfig, startServeOnFreePort, startStandIn } from './wizard-helpers';

// What an admin does once a real store is live (docs/go-live.md): send some of the orders
// placed before go-live on purpose (preview first — cancelled or already completed orders
// named — then confirm), see checkout quotes that fell back to the rate table on the
// dashboard with the way to the settings, find the checklist's last results at once with
// their time, and undo a configuration change from its backup. The sandbox stands in for a
// real store (its orders at activation are the store's history) and is activated as one.

const TOKEN = 'go-live-e2e-quote-token-0123456789';

describe('after going live: older orders, quote fallbacks, checklist results, configuration backups', () => {
  let sb: Sandbox;
  let server: ServeHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const axeFailures: string[] = [];
  /** The Presslink ids (orders.list) of the store's history, by Infigo order id. */
  const history = new Map<number, number>();
  const store = () => sb.infigo.stores[0]!;

  async function check(name: string) {
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.waitForFunction(() => document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running'));
    const v = await seriousAxeViolations(page);
    if (v.length) axeFailures.push(`${name}: ${JSON.stringify(v)}`);
    await screenshot(page, name);
  }

  beforeAll(async () => {
    sb = await startStandIn({ asReal: true, orders: 3 });
    server = await startServeOnFreePort();
    const base = standInConfig(sb);
    const imported = await callApi<{ ok: boolean; problems: unknown[] }>(server.url, 'config.import', {
      json: JSON.stringify({
        ...base,
        products: SANDBOX_PRODUCT_MAPPINGS,
        shipping: { methods: { 'First Class': 'normal' }, default: 'normal' },
        server: { publicBaseUrl: server.url },
        files: { delivery: { kind: 'signed-url', publicBaseUrl: server.url } },
      }),
    });
    expect(imported.problems).toEqual([]);
    // Going live: the store's orders so far are its history.
    await callApi(server.url, 'setup.activate');
    await callApi(server.url, 'sync.now');
    // (expect.poll works inside tests only.)
    for (let i = 0; i < 150; i++) {
      if ((await callApi<{ rows: unknown[] }>(server.url, 'orders.list', { states: ['before_go_live'] })).rows.length === 6) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const rows = (await callApi<{ rows: { id: number; infigoOrderId: number; storeId: string }[] }>(server.url, 'orders.list', { states: ['before_go_live'], storeId: store().id })).rows;
    for (const r of rows) history.set(r.infigoOrderId, r.id);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    errors = watchPageErrors(page);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.dispose();
    await sb?.close();
  });

  it('the order log filters by "Before go-live" and sends chosen older orders only after a preview and a confirmation', async () => {
    const [cancelled, completed, plain] = [...history.keys()].sort((a, b) => a - b);
    sb.infigo.setOrderStatus(store().id, cancelled!, 'Cancelled');
    sb.infigo.setOrderStatus(store().id, completed!, 'Complete');
    await page.goto(await server.signInUrl('#/orders/before_go_live'));
    await page.getByTestId('before-go-live-hint').waitFor({ timeout: 20_000 });
    // The state filter shows its label.
    await page.locator('.mantine-MultiSelect-pill', { hasText: 'Before go-live' }).waitFor();
    await expect.poll(async () => Number(((await page.getByTestId('orders-total').textContent()) ?? '').replace(/\D/g, '')), { timeout: 15_000 }).toBe(6);
    expect(await page.getByTestId('orders-send-older').isDisabled()).toBe(true);
    for (const id of [cancelled, completed, plain]) await page.getByTestId(`order-row-${history.get(id!)}`).getByRole('checkbox', { name: `Select order ${id}` }).check();
    await page.getByTestId('orders-send-older').click();
    const dialog = page.getByTestId('older-dialog');
    await page.getByTestId('older-preview').waitFor({ timeout: 30_000 });
    const row = (infigoId: number) => dialog.getByTestId(`older-row-${history.get(infigoId)}`);
    expect(await row(cancelled!).getAttribute('data-will-send')).toBe('false');
    expect(await row(cancelled!).textContent()).toContain('It is cancelled in Infigo, so it is not sent.');
    expect(await row(completed!).getAttribute('data-will-send')).toBe('true');
    expect(await row(completed!).textContent()).toContain('It is already complete in Infigo: sending it produces it again.');
    expect(await row(plain!).getAttribute('data-will-send')).toBe('true');
    expect(await page.getByTestId('older-summary').textContent()).toBe('2 of 3 orders will be sent.');
    // Nothing has been sent by the preview.
    expect((await callApi<{ rows: unknown[] }>(server.url, 'orders.list', { states: ['before_go_live'] })).rows).toHaveLength(6);
    await check('en-orders-send-older');
    await page.getByTestId('older-send').click();
    await page.getByTestId('older-result').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('older-result').textContent()).toContain('2 orders sent');
    await page.getByTestId('older-close').click();
    // The two sent orders leave "before go-live"; the cancelled one stays, never submitted.
    await expect.poll(async () => (await callApi<{ rows: { infigoOrderId: number }[] }>(server.url, 'orders.list', { states: ['before_go_live'], storeId: store().id })).rows.map((r) => r.infigoOrderId).sort(), { timeout: 30_000 }).toEqual(
      [...history.keys()].filter((id) => id !== completed && id !== plain).sort(),
    );
    // One order at a time from its drawer: the same preview, for that order.
    await page.getByTestId(`order-row-${history.get(cancelled!)}`).getByRole('button', { name: `Open order ${cancelled}` }).click();
    await page.getByTestId('order-send-older').click();
    await page.getByTestId('older-preview').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('older-preview').locator('[data-testid^="older-row-"]').count()).toBe(1);
    expect(await page.getByTestId('older-send').isDisabled()).toBe(true);
    await page.getByTestId('older-dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.keyboard.press('Escape');
  });

  it('the dashboard shows checkout quotes that fell back to the rate table, with the reason and the way to the settings', async () => {
    const cfg = await callApi<{ config: Record<string, unknown> }>(server.url, 'config.get');
    const saved = await callApi<{ ok: boolean; problems: unknown[] }>(server.url, 'config.save', {
      config: {
        ...cfg.config,
        shippingQuotes: {
          enabled: true,
          token: TOKEN,
          currency: 'GBP',
          source: 'gelato',
          rateTable: [{ method: 'First Class', country: '*', maxWeightGrams: 30_000, price: 5 }],
          // Order-intake method tokens: GCL quotes carrier uids, so nothing matches.
          gcl: { environment: 'test', baseUrl: sb.gelato.gcl.url, apiKey: sb.gelato.gcl.apiKey, methods: { 'First Class': 'normal' } },
        },
      },
    });
    expect(saved.problems).toEqual([]);
    const cart = { storefront: store().id, currency: 'GBP', customerId: 42, shippingAddress: { FirstName: 'Ann', LastName: 'Lee', AddressLine1: '1 High St', Town: 'Crawley', ZipPostalCode: 'RH10 1HU', Country: 'GB' }, items: [{ quantity: 250, weightGrams: 1200, deliveryType: ['print'] }] };
    const r = await fetch(`${server.url}/shipping/quote`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(cart) });
    expect(r.headers.get('x-presslink-quote-source')).toBe('rate-table-fallback');
    await page.getByTestId('nav-dashboard').click();
    const alert = page.getByTestId('dash-quote-fallback');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.textContent()).toMatch(/could not price 1 checkout/);
    expect(await alert.textContent()).toMatch(/none of which is mapped/);
    expect(await page.getByTestId('dash-live').textContent()).toMatch(/Live since/);
    await check('en-dashboard-quote-fallback');
    await page.getByTestId('dash-quote-fallback-fix').click();
    await page.getByTestId('setup-step-shipping').waitFor({ timeout: 20_000 });
    await page.getByTestId('gcl-settings').waitFor();
  });

  it('the checklist shows its last results at once, with their time, while it checks again', async () => {
    await callApi(server.url, 'checklist.run');
    const last = await callApi<{ at: string; results: unknown[] }>(server.url, 'checklist.last');
    // Hold the page's own run: what shows meanwhile is the kept results.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/call/checklist.run', async (route) => {
      await held;
      await route.continue().catch(() => undefined);
    });
    await page.getByTestId('nav-checklist').click();
    await expect.poll(() => page.locator('[data-testid^="check-"][data-status]').count(), { timeout: 15_000 }).toBe(last.results.length);
    const summary = page.getByTestId('checklist-summary');
    expect(await summary.textContent()).toMatch(/checked \d/);
    // A real store: the test orders are placed in the store.
    expect(await page.getByTestId('checklist-place').count()).toBe(0);
    release();
    await page.unroute('**/api/call/checklist.run');
    await expect.poll(() => page.getByTestId('checklist-run').getAttribute('data-loading'), { timeout: 30_000 }).toBeNull();
    await check('en-checklist-real-live');
  });

  it('settings list the configuration backups and restore one after a confirmation', async () => {
    await page.getByTestId('nav-settings').click();
    const card = page.getByTestId('settings-backups');
    await card.waitFor();
    await expect.poll(() => card.locator('[data-testid^="backup-"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const before = (await callApi<{ config: { shippingQuotes: { enabled: boolean } } }>(server.url, 'config.get')).config;
    expect(before.shippingQuotes.enabled).toBe(true);
    // The newest backup is the configuration the quote settings replaced.
    await card.getByRole('button', { name: /^Restore the configuration replaced on / }).first().click();
    await page.getByTestId('backup-confirm').waitFor();
    await check('en-settings-restore-confirm');
    await page.getByTestId('backup-confirm-restore').click();
    await page.getByTestId('backup-restored').waitFor({ timeout: 15_000 });
    const after = (await callApi<{ config: { shippingQuotes: { enabled: boolean } } }>(server.url, 'config.get')).config;
    expect(after.shippingQuotes.enabled).toBe(false);
    await check('en-settings-backups');
  });

  it('had no serious accessibility violations and no page errors', () => {
    expect(axeFailures).toEqual([]);
    expect(errors).toEqual([]);
  });
});
