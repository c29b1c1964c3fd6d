import type { Page } from 'playwright-core';
import { runApiMegaScript } from '../../electron/core/shipping/megascript-host';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index';
import type { SandboxMegaScriptRunner } from '../../electron/sandbox/infigo/index';
import { startServe, type ServeHandle } from './helpers';

// What the wizard e2e files share: the sandbox standing in for a real Infigo store and a real
// GelatoConnect tenant (typed into the wizard by hand, not "Try with the sandbox"), and the
// few ways a test reads the wizard the way a person does — by the step buttons' names and the
// "Steps done: N of 9" text.

export const STEPS = ['welcome', 'infigo', 'gelato', 'orderTypes', 'products', 'shipping', 'statusUpdates', 'activate', 'testOrders'] as const;
export type Step = (typeof STEPS)[number];
export const STEP_LABELS: Record<Step, string> = {
  welcome: 'Welcome',
  infigo: 'Infigo',
  gelato: 'GelatoConnect',
  orderTypes: 'Order types',
  products: 'Products',
  shipping: 'Shipping',
  statusUpdates: 'Status updates',
  testOrders: 'Test orders',
  activate: 'Activate',
};

/** The storefront plays Infigo for API-triggered MegaScripts with Presslink's MegaScript host (the one the self-tests use). */
const megaScriptRunner: SandboxMegaScriptRunner = (script, request, findOrder) => {
  const r = runApiMegaScript(script.source, { config: script.config, request, findOrder });
  if (r.violations.length) throw new Error(`undeclared MegaScript members used: ${r.violations.join(', ')}`);
  return { status: r.status ?? 204, contentType: r.contentType ?? 'text/plain', body: r.body ?? '' };
};

/**
 * A simulated store and tenant on 127.0.0.1, used only through their public addresses and
 * credentials. `asReal`: where a real store and tenant differ from the simulator's defaults,
 * behave like them — no REST route for status updates (Infigo publishes none; the admin
 * installs the generated status MegaScript), and GelatoConnect Logistics on its own host with
 * its own key, quoting carrier method uids.
 */
export async function startStandIn(opts: { orders?: number; asReal?: boolean } = {}): Promise<Sandbox> {
  return startSandbox({
    storeCount: 2,
    ordersPerStore: opts.orders ?? 2,
    pdfBytes: 20_000,
    progression: 'manual',
    ...(opts.asReal ? { infigo: { realism: { statusRoute: false }, megaScriptRunner }, gelato: { gcl: { ownHost: true } } } : {}),
  });
}

/** A complete config for the stand-in, as `presslink config import` takes it (inline secrets). */
export function standInConfig(sb: Sandbox) {
  const { config } = sb.connection();
  return {
    stores: config.stores.map((s) => ({ id: s.id, name: s.name, infigo: { baseUrl: s.infigo.baseUrl, apiToken: s.infigo.apiToken }, gelatoCustomerReferenceId: s.gelatoCustomerReferenceId })),
    gelato: { apiKey: config.gelato.apiKey, endpoints: config.gelato.endpoints },
  };
}

/** The step button in the row of steps, by its accessible name ("Step 3: GelatoConnect…"); links to steps elsewhere on the page are not it. */
export function stepButton(page: Page, step: Step) {
  const n = STEPS.indexOf(step) + 1;
  return page.getByTestId('setup-stepper').getByRole('button', { name: new RegExp(`^Step ${n}: ${STEP_LABELS[step]}`) });
}

/** Whether the row of steps shows a step as done. */
export async function shownDone(page: Page, step: Step): Promise<boolean> {
  return (await stepButton(page, step).getAttribute('data-completed')) !== null;
}

/** The "Steps done: N of 9" figure. */
export async function doneCount(page: Page): Promise<number> {
  const text = (await page.getByText(/Steps done: \d+ of 9/).first().textContent()) ?? '';
  return Number(/(\d+) of 9/.exec(text)?.[1] ?? NaN);
}

export async function currentStep(page: Page, timeout = 20_000): Promise<Step> {
  const card = page.locator('[data-testid^="setup-step-"]').first();
  await card.waitFor({ timeout });
  return ((await card.getAttribute('data-testid')) ?? '').replace('setup-step-', '') as Step;
}

/**
 * startServe picks a free port and then lets `presslink serve` bind it; on a busy machine an
 * outgoing connection can take that port in between ("Port … is already in use"). Another
 * free port is then tried — the engine is not what such a failure tests.
 */
export async function startServeOnFreePort(): Promise<ServeHandle> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServe();
    } catch (e) {
      if (attempt >= 3 || !/already in use/.test((e as Error).message)) throw e;
    }
  }
}
