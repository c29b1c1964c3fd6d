import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../electron/sandbox/index';
import { callApi, launchBrowser, screenshot, seriousAxeViolations, watchPageErrors, type ServeHandle } from './helpers';
import { currentStep, doneCount, shownDone, startStandIn, stepButton, STEPS, startServeOnFreePort, type Step } from './wizard-helpers';

// An admin connecting a real store alone. The sandbox stands in for the store and the tenant,
// but the wizard only gets what a real admin types: the store's address and API token, the
// GelatoConnect key and endpoint addresses, each customer reference. Every step is walked,
// with the mistakes a newcomer makes on the way (empty fields, an unreachable address, a wrong
// token), and screenshotted in English and Italian.

describe('setup wizard, real-store path (sandbox as the stand-in)', () => {
  let sb: Sandbox;
  let server: ServeHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const axeFailures: string[] = [];

  const next = () => page.getByTestId('setup-next').click();
  async function shot(step: Step, suffix = '', lang: 'en' | 'it' = 'en') {
    await page.waitForLoadState('networkidle').catch(() => undefined);
    // A dialog fading in is half transparent: let transitions finish before measuring contrast.
    await page.waitForFunction(() => document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running'));
    const v = await seriousAxeViolations(page);
    if (v.length) axeFailures.push(`${lang}/${step}${suffix}: ${JSON.stringify(v)}`);
    await screenshot(page, `${lang}-setup-real-${STEPS.indexOf(step) + 1}-${step}${suffix}`);
  }
  async function at(step: Step) {
    await page.getByTestId(`setup-step-${step}`).waitFor({ timeout: 20_000 });
  }

  beforeAll(async () => {
    sb = await startStandIn();
    server = await startServeOnFreePort();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = await context.newPage();
    errors = watchPageErrors(page);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.dispose();
    await sb?.close();
  });

  it('a new install opens on the wizard, not the dashboard', async () => {
    await page.goto(await server.signInUrl());
    await page.getByTestId('page-setup').waitFor({ timeout: 20_000 });
    expect(page.url()).toMatch(/#\/setup$/);
    await at('welcome');
    await shot('welcome');
    await page.getByTestId('setup-real').click();
    await at('infigo');
  });

  it('step 2: empty fields get plain messages next to them, in place, gone once fixed', async () => {
    await next();
    const name = page.getByTestId('infigo-name');
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true');
    const card = page.getByTestId('setup-step-infigo');
    await card.getByText("Enter the store's name, as your staff know it.").waitFor();
    await card.getByText("Enter your storefront's address, e.g. https://yourcompany.infigo.net.").waitFor();
    await card.getByText('Paste the API token from the Infigo admin panel.').waitFor();
    // No schema text, no config paths.
    expect(await page.locator('main').textContent()).not.toMatch(/Too small|expected string|stores\[0\]|gelatoCustomerReferenceId/);
    await shot('infigo', '-errors');
    const store = sb.infigo.stores[0]!;
    await name.fill(store.name);
    // The store name's message goes as soon as there is a name; the others stay until fixed.
    await expect.poll(() => card.getByText("Enter the store's name, as your staff know it.").count()).toBe(0);
    expect(await name.getAttribute('aria-invalid')).not.toBe('true');
    await card.getByText('Paste the API token from the Infigo admin panel.').waitFor();
    expect(await page.getByTestId('infigo-id').inputValue()).toBe(store.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''));
  });

  it('step 2: an unreachable address is not saved without asking, and the reason is shown once', async () => {
    await page.getByTestId('infigo-baseurl').fill('http://127.0.0.1:1');
    await page.getByTestId('infigo-token').fill('some-token');
    await next();
    const dialog = page.getByTestId('setup-check-failed');
    await dialog.waitFor({ timeout: 20_000 });
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain('Cannot reach 127.0.0.1:1');
    expect(text.split('Cannot reach 127.0.0.1:1').length - 1).toBe(1);
    await shot('infigo', '-check-failed');
    await page.getByTestId('setup-check-fix').click();
    await at('infigo');
    // Nothing was saved and the step is not done.
    expect((await callApi<{ configured: boolean }>(server.url, 'engine.status')).configured).toBe(false);
    expect(await shownDone(page, 'infigo')).toBe(false);
  });

  it('step 2: results of the earlier check go when the address changes; a wrong token asks again', async () => {
    const store = sb.infigo.stores[0]!;
    await page.getByTestId('infigo-check').click();
    await page.getByTestId('check-infigo-reachable').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('check-infigo-reachable').getAttribute('data-status')).toBe('fail');
    // The failure's reason and fix are visible without a click.
    await page.getByTestId('check-infigo-reachable').getByText('How to fix').waitFor();
    await page.getByTestId('infigo-baseurl').fill(store.baseUrl);
    // The unreachable result no longer sits under an address it was not about.
    await expect.poll(() => page.getByTestId('check-infigo-reachable').count()).toBe(0);
    await page.getByTestId('connection-store-0-stale').waitFor();
    await next();
    const dialog = page.getByTestId('setup-check-failed');
    await dialog.waitFor({ timeout: 20_000 });
    expect(await dialog.textContent()).toMatch(/refused the API token/);
    await page.getByTestId('setup-check-fix').click();
  });

  it('step 2 → 3: a valid store continues to the GelatoConnect step; its customer is asked there', async () => {
    const store = sb.infigo.stores[0]!;
    await page.getByTestId('infigo-token').fill(store.token);
    await page.getByTestId('infigo-check').click();
    await expect.poll(() => page.getByTestId('check-infigo-token').getAttribute('data-status'), { timeout: 20_000 }).toBe('pass');
    await shot('infigo');
    // A second store, typed in too.
    await page.getByTestId('infigo-add-store').click();
    const second = sb.infigo.stores[1]!;
    await page.getByTestId('infigo-name').fill(second.name);
    await page.getByTestId('infigo-baseurl').fill(second.baseUrl);
    await page.getByTestId('infigo-token').fill(second.token);
    await next();
    await at('gelato');
    expect(await page.locator('main').textContent()).not.toMatch(/gelatoCustomerReferenceId|every store must name/);
    // Kept in the wizard until step 3 completes the config: not saved, not done yet.
    expect((await callApi<{ configured: boolean }>(server.url, 'engine.status')).configured).toBe(false);
    expect(await shownDone(page, 'infigo')).toBe(false);
    await page.getByTestId('setup-note').waitFor();
  });

  it('step 3: typed by hand, checked, saved; steps 1–3 are done', async () => {
    await next();
    await page.getByTestId('setup-step-gelato').getByText('Paste the GelatoConnect API key (key:secret).').waitFor();
    await shot('gelato', '-errors');
    // A key in the wrong form: the format check fails and saving asks first.
    await page.getByTestId('gelato-apikey').fill('not-a-key');
    for (const [k, v] of Object.entries(sb.gelato.endpoints)) await page.getByTestId(`endpoint-${k}`).fill(v);
    await page.getByTestId('gelato-customer-0').fill('acme-ltd');
    await page.getByTestId('gelato-customer-1').fill('bellaprint-ltd');
    await next();
    await page.getByTestId('setup-check-failed').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('setup-check-failed').textContent()).toMatch(/key:secret/);
    await page.getByTestId('setup-check-fix').click();
    await page.getByTestId('gelato-apikey').fill(sb.gelato.apiKey);
    await page.getByTestId('gelato-check').click();
    await expect.poll(() => page.locator('[data-testid^="check-gelato-key"][data-status="pass"]').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await shot('gelato');
    await next();
    await at('orderTypes');
    const status = await callApi<{ configured: boolean; stores: { id: string; name: string }[] }>(server.url, 'engine.status');
    expect(status.configured).toBe(true);
    expect(status.stores.map((s) => s.name)).toEqual(sb.infigo.stores.map((s) => s.name));
    for (const s of ['welcome', 'infigo', 'gelato'] as const) expect(await shownDone(page, s), s).toBe(true);
    expect(await doneCount(page)).toBe(3);
  });

  it('going back keeps later steps done; leaving unsaved changes asks; reopening lands on the first step not done', async () => {
    await stepButton(page, 'infigo').click();
    await at('infigo');
    expect(await shownDone(page, 'gelato')).toBe(true);
    expect(await doneCount(page)).toBe(3);
    await page.getByTestId('infigo-name').fill('Renamed while browsing');
    await stepButton(page, 'orderTypes').click();
    await page.getByTestId('setup-unsaved').waitFor();
    await shot('infigo', '-unsaved');
    await page.getByTestId('unsaved-discard').click();
    await at('orderTypes');
    await page.reload();
    expect(await currentStep(page)).toBe('orderTypes');
    expect(await doneCount(page)).toBe(3);
    await stepButton(page, 'infigo').click();
    await at('infigo');
    expect(await page.getByTestId('infigo-name').inputValue()).toBe(sb.infigo.stores[0]!.name);
    await stepButton(page, 'orderTypes').click();
    await at('orderTypes');
  });

  it('steps 4–7: order types, products, shipping (a MegaScript configuration per store), status updates', async () => {
    await shot('orderTypes');
    await next();
    await at('products');
    await shot('products');
    await next();
    await at('shipping');
    const { stores } = await callApi<{ stores: { id: string }[] }>(server.url, 'engine.status');
    expect(stores).toHaveLength(2);
    for (const [i, s] of stores.entries()) {
      const block = page.getByTestId(`megascript-config-${s.id}`);
      await block.waitFor({ timeout: 15_000 });
      expect(await block.textContent()).toContain(sb.infigo.stores[i]!.baseUrl);
    }
    await page.locator('input[aria-label="Infigo method, row 1"]').fill('First Class');
    await next();
    // A half-filled row is named, next to it.
    await page.getByText('Choose the GelatoConnect method for "First Class", or remove the row.').waitFor();
    await page.locator('input[aria-label="GelatoConnect method, row 1"]').fill('normal');
    await page.keyboard.press('Escape');
    await shot('shipping');
    await next();
    await at('statusUpdates');
    await page.getByLabel('Postback (recommended when this machine is reachable)').check();
    await page.locator('[data-testid^="trigger-"]').first().waitFor({ timeout: 15_000 });
    const triggers = await page.locator('[data-testid^="trigger-"]').count();
    // One "copy the whole trigger" per trigger, and a copy button per field (URL, template).
    expect(await page.getByRole('button', { name: /^Copy: the whole trigger / }).count()).toBe(triggers);
    expect(await page.getByRole('button', { name: /^Copy: .* URL$/ }).count()).toBe(triggers);
    expect(await page.getByRole('button', { name: /^Copy: Body template of / }).count()).toBe(triggers);
    await page.getByRole('button', { name: /^Copy: the whole trigger / }).first().click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^Name: .+\nEvent: .+\nMethod: POST\nURL: http/);
    // GelatoConnect calls this machine: the wizard asks for the address it can reach.
    await next();
    await page.getByText('Postbacks need the address at which GelatoConnect reaches this Presslink; enter it, or choose polling.').waitFor();
    await page.getByTestId('status-public-url').fill(server.url);
    await shot('statusUpdates');
    await next();
    await at('testOrders');
    expect(await doneCount(page)).toBe(7);
  });

  it('step 8: the checklist leads with placing test orders and follows the orders by itself', async () => {
    const nextCard = page.getByTestId('checklist-next');
    await expect.poll(() => nextCard.getAttribute('data-next'), { timeout: 30_000 }).toBe('place');
    // The eight points are listed once: as the results, with no separate list of them above.
    await expect.poll(() => page.locator('[data-testid^="check-"][data-status]').count(), { timeout: 30_000 }).toBe(8);
    expect(await page.getByTestId('setup-step-testOrders').locator('ol').count()).toBe(0);
    await shot('testOrders');
    // The admin places an order in the store; the schedule (here: another client) syncs it.
    sb.infigo.addOrder(sb.infigo.stores[0]!.id, { orderStatus: 'Processing', paymentStatus: 'Paid', shippingMethod: 'First Class' });
    await callApi(server.url, 'sync.now');
    // No "run again": the page re-checks as orders move.
    await expect.poll(() => page.getByTestId('check-test-orders-placed').getAttribute('data-status'), { timeout: 30_000 }).toBe('pass');
    await expect.poll(() => nextCard.getAttribute('data-next'), { timeout: 10_000 }).not.toBe('place');
    await shot('testOrders', '-orders');
    await next();
    await at('activate');
  });

  it('step 9: activates; then the app opens on the dashboard', async () => {
    await shot('activate');
    await page.getByTestId('setup-activate').click();
    await page.getByTestId('setup-active').waitFor({ timeout: 20_000 });
    await expect.poll(() => doneCount(page)).toBe(9);
    await page.goto(server.url);
    await page.getByTestId('page-dashboard').waitFor({ timeout: 20_000 });
    expect(page.url()).toMatch(/#\/dashboard$/);
  });

  it('every step in Italian, with Italian messages next to the fields', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('language-switch').getByText('Italiano').click();
    await page.getByTestId('nav-setup').click();
    for (const step of STEPS) {
      await page.getByRole('button', { name: new RegExp(`^Passo ${STEPS.indexOf(step) + 1}:`) }).click();
      await at(step);
      await shot(step, '', 'it');
    }
    await page.getByRole('button', { name: /^Passo 2:/ }).click();
    await at('infigo');
    await page.getByTestId('infigo-add-store').click();
    await page.getByTestId('setup-next').click();
    await page.getByTestId('setup-step-infigo').getByText('Inserisci il nome del negozio, come lo conosce il tuo personale.').waitFor();
    await shot('infigo', '-errors', 'it');
    // A blank store is no change; one with a name is, and leaving asks (in Italian).
    await page.getByTestId('infigo-name').fill('Negozio nuovo');
    await page.getByRole('button', { name: /^Passo 3:/ }).click();
    await page.getByRole('dialog', { name: 'Modifiche non salvate' }).waitFor();
    await page.getByTestId('unsaved-discard').click();
    await at('gelato');
    // Back to English for whoever uses this browser next.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('language-switch').getByText('English').click();
  });

  it('had no serious accessibility violations and no page errors', () => {
    expect(axeFailures).toEqual([]);
    expect(errors).toEqual([]);
  });
});
