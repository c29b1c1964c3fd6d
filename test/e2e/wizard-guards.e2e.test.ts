import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../electron/sandbox/index';
import { callApi, launchBrowser, screenshot, watchPageErrors, type ServeHandle } from './helpers';
import { currentStep, doneCount, shownDone, standInConfig, startStandIn, startServeOnFreePort, stepButton } from './wizard-helpers';

// The wizard's promises one at a time, each from a state set up through the engine's API so a
// broken one cannot hide behind another: step 2 is not refused for a field of step 3
// (item 1), a connection that fails its check is saved only when the admin says so and the
// step stays not done (item 3), and "done" is one list — going back, reopening and jumping
// steps all read it (item 5). The sandbox stands in for a real store and tenant.

describe('setup wizard guards', () => {
  let sb: Sandbox;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let server: ServeHandle | null = null;
  let errors: string[] = [];

  /** A fresh engine; optionally configured for the stand-in with some steps done. */
  async function engine(opts: { configured?: boolean; progress?: { step: number; completed: number[] } } = {}) {
    server = await startServeOnFreePort();
    if (opts.configured) {
      const r = await callApi<{ ok: boolean; problems: unknown[] }>(server.url, 'config.import', { json: JSON.stringify(standInConfig(sb)) });
      expect(r.problems).toEqual([]);
    }
    if (opts.progress) await callApi(server.url, 'setup.saveProgress', opts.progress);
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    errors = watchPageErrors(page);
    return server;
  }

  beforeAll(async () => {
    sb = await startStandIn();
    browser = await launchBrowser();
  });
  afterEach(async () => {
    expect(errors).toEqual([]);
    await context?.close();
    await server?.dispose();
    server = null;
  });
  afterAll(async () => {
    await browser?.close();
    await sb?.close();
  });

  it('item 1: step 2 continues with a valid store; its GelatoConnect customer is asked in step 3', async () => {
    const s = await engine();
    await page.goto(await s.signInUrl('#/setup'));
    await page.getByTestId('setup-real').click();
    const store = sb.infigo.stores[0]!;
    await page.getByLabel('Store name').fill(store.name);
    await page.getByTestId('infigo-baseurl').fill(store.baseUrl);
    await page.getByTestId('infigo-token').fill(store.token);
    await page.getByTestId('setup-next').click();
    await page.getByTestId('setup-step-gelato').waitFor({ timeout: 20_000 });
    expect(await page.locator('main').textContent()).not.toMatch(/gelatoCustomerReferenceId/);
    // Its customer is asked here, next to the other GelatoConnect details.
    await page.getByLabel(`Customer reference for ${store.name}`).waitFor();
  });

  it('item 3: a connection that fails its check is saved only on "save anyway", and its step is then not done', async () => {
    const s = await engine({ configured: true, progress: { step: 4, completed: [1, 2, 3] } });
    await page.goto(await s.signInUrl('#/setup'));
    await page.locator('[data-testid^="setup-step-"]').waitFor({ timeout: 20_000 });
    await stepButton(page, 'infigo').click();
    await page.getByTestId('setup-step-infigo').waitFor();
    await page.getByTestId('infigo-token').fill('not-the-right-token');
    await page.getByTestId('setup-next').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor({ timeout: 20_000 });
    expect(await dialog.textContent()).toMatch(/refused the API token/);
    await screenshot(page, 'en-setup-save-anyway');
    // "Go back and fix it": nothing saved, still on step 2, still done from before.
    await page.getByTestId('setup-check-fix').click();
    expect(await currentStep(page)).toBe('infigo');
    expect((await callApi<{ completed: number[] }>(s.url, 'setup.progress')).completed).toEqual([1, 2, 3]);
    // "Save anyway": saved because the admin said so, and the step is no longer done.
    await page.getByTestId('setup-next').click();
    await page.getByTestId('setup-check-anyway').click();
    await page.getByTestId('setup-step-gelato').waitFor({ timeout: 20_000 });
    expect(await shownDone(page, 'infigo')).toBe(false);
    expect(await doneCount(page)).toBe(2);
    expect((await callApi<{ completed: number[] }>(s.url, 'setup.progress')).completed).toEqual([1, 3]);
    // The right token again: checked, passes, done again.
    await stepButton(page, 'infigo').click();
    await page.getByTestId('infigo-token').fill(sb.infigo.stores[0]!.token);
    await page.getByTestId('setup-next').click();
    await page.getByTestId('setup-step-gelato').waitFor({ timeout: 20_000 });
    expect(await shownDone(page, 'infigo')).toBe(true);
    expect((await callApi<{ completed: number[] }>(s.url, 'setup.progress')).completed).toEqual([1, 2, 3]);
  });

  it('item 5: reopening lands on the first step not done, going back keeps later steps done, jumping away asks about unsaved changes', async () => {
    // The admin had last looked at step 7, but only steps 1–3 are done.
    const s = await engine({ configured: true, progress: { step: 7, completed: [1, 2, 3] } });
    await page.goto(await s.signInUrl('#/setup'));
    expect(await currentStep(page)).toBe('orderTypes');
    expect(await doneCount(page)).toBe(3);
    await stepButton(page, 'infigo').click();
    await page.getByTestId('setup-step-infigo').waitFor();
    expect(await shownDone(page, 'gelato')).toBe(true);
    expect(await doneCount(page)).toBe(3);
    await page.getByLabel('Store name').fill('Renamed, not saved');
    await stepButton(page, 'products').click();
    await page.getByRole('dialog', { name: 'Unsaved changes' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('unsaved-stay').click();
    expect(await currentStep(page)).toBe('infigo');
    expect(await page.getByLabel('Store name').inputValue()).toBe('Renamed, not saved');
    await stepButton(page, 'products').click();
    await page.getByTestId('unsaved-discard').click();
    expect(await currentStep(page)).toBe('products');
    const cfg = await callApi<{ config: { stores: { name: string }[] } }>(s.url, 'config.get');
    expect(cfg.config.stores[0]!.name).toBe(sb.infigo.stores[0]!.name);
  });

  it('item 5, step 5: mapping rows not saved yet ask before leaving the step; "save and go" keeps them, "discard" drops them', async () => {
    const s = await engine({ configured: true, progress: { step: 5, completed: [1, 2, 3, 4] } });
    type Products = { config: { products: { sku: string }[] } };
    const before = (await callApi<Products>(s.url, 'config.get')).config.products;
    const uid = 'flat_product_pf_a4_pt_100-gsm-uncoated_cl_4-0_ct_none_prt_none_sft_none_set_none_ver';
    await page.goto(await s.signInUrl('#/setup'));
    await page.getByTestId('setup-step-products').waitFor({ timeout: 20_000 });
    const addUnsavedRow = async (sku: string) => {
      await page.getByRole('button', { name: 'Add mapping' }).click();
      const n = before.length + 1;
      await page.getByLabel(`SKU, row ${n}`, { exact: true }).fill(sku);
      await page.getByLabel(`Product UID, row ${n}`, { exact: true }).fill(uid);
    };
    const skus = async () => (await callApi<Products>(s.url, 'config.get')).config.products.map((p) => p.sku);

    // Back with a row typed and not saved: asked; "stay" keeps the row on screen.
    await addUnsavedRow('E2E-DISCARDED');
    await page.getByTestId('setup-back').click();
    await page.getByRole('dialog', { name: 'Unsaved changes' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('unsaved-stay').click();
    expect(await currentStep(page)).toBe('products');
    expect(await page.getByLabel(`SKU, row ${before.length + 1}`, { exact: true }).inputValue()).toBe('E2E-DISCARDED');
    // "Discard": the step is left and the row is not in the configuration.
    await page.getByTestId('setup-back').click();
    await page.getByTestId('unsaved-discard').click();
    await page.getByTestId('setup-step-orderTypes').waitFor({ timeout: 10_000 });
    expect(await skus()).not.toContain('E2E-DISCARDED');

    // Continue with a row typed and not saved: asked; "save and go" saves it and moves on.
    await stepButton(page, 'products').click();
    await page.getByTestId('setup-step-products').waitFor();
    expect(await page.getByLabel(`SKU, row ${before.length + 1}`, { exact: true }).count()).toBe(0);
    await addUnsavedRow('E2E-KEPT');
    await page.getByTestId('setup-next').click();
    await page.getByRole('dialog', { name: 'Unsaved changes' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('unsaved-save').click();
    await page.getByTestId('setup-step-shipping').waitFor({ timeout: 20_000 });
    expect(await skus()).toContain('E2E-KEPT');
    expect(await shownDone(page, 'products')).toBe(true);
  });

  it('item 6: a configured install that is not live yet opens the wizard on its first step not done; a live one opens on the dashboard', async () => {
    const s = await engine({ configured: true, progress: { step: 2, completed: [1, 2, 3, 4, 5, 6, 7] } });
    await page.goto(await s.signInUrl());
    await page.getByTestId('page-setup').waitFor({ timeout: 20_000 });
    // Steps 1–7 done, not activated: the wizard opens on Activate, and says so on the dashboard too.
    expect(await currentStep(page)).toBe('activate');
    expect(await shownDone(page, 'activate')).toBe(false);
    await page.getByTestId('nav-dashboard').click();
    await expect.poll(() => page.getByTestId('dash-live').textContent()).toMatch(/Not live yet/);
    // The header's reason leads to the Activate step itself.
    expect(await page.getByTestId('health-cause').textContent()).toMatch(/not live yet/);
    expect(await page.getByTestId('health-fix').getAttribute('href')).toBe('#/setup/activate');
    await callApi(s.url, 'setup.activate');
    await page.goto(`${s.url}/`);
    await page.getByTestId('page-dashboard').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('page-setup').count()).toBe(0);
    await expect.poll(() => page.getByTestId('dash-live').textContent()).toMatch(/Live since/);
  });
});
