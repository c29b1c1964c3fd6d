import type { CheckResult } from '../../../shared/contract';
import type { EngineContext } from '../context';
import { megaScriptConfig, megaScriptSource } from './megascript';
import { runMegaScript } from './megascript-host';

/**
 * Runs the generated MegaScript itself, with a sample cart, against the configured quote URL:
 * the same headers and body the script sends from Infigo, through the same code. Evidence:
 * the options returned and the round-trip time.
 */
export async function shippingSelfTest(ctx: EngineContext): Promise<CheckResult> {
  const id = 'shipping-quotes';
  const title = 'Shipping rates in the Infigo checkout';
  const cfg = ctx.config.get();
  if (!cfg.shippingQuotes.enabled) {
    return { id, ok: false, status: 'skip', title, message: 'Checkout shipping quotes are switched off.', fix: 'Switch them on in Settings → Shipping quotes, then paste the generated MegaScript into Infigo.' };
  }
  let config: ReturnType<typeof megaScriptConfig>;
  try {
    config = megaScriptConfig(ctx);
  } catch (e) {
    return { id, ok: false, status: 'fail', title, message: (e as Error).message, fix: 'Set server.publicBaseUrl to the address Infigo can reach this machine at.' };
  }
  const country = cfg.shippingQuotes.rateTable.find((r) => r.country !== '*')?.country ?? 'GB';
  try {
    const run = await runMegaScript(megaScriptSource(), {
      config,
      customer: {
        id: 1,
        email: 'selftest@presslink.invalid',
        address: { FirstName: 'Presslink', LastName: 'Self-test', AddressLine1: '1 Test Street', Town: 'Testtown', ZipPostalCode: 'TE1 1ST', Country: country },
      },
      cart: [{ productId: 1, quantity: 250, attributes: {}, deliveryType: ['print'] }],
      products: [{ id: 1, sku: 'PRESSLINK-SELFTEST', weight: 0.004, type: 7 }],
      timeoutMs: 5_000,
    });
    const options = run.returned?.shippingOptions ?? [];
    const errors = [...(run.returned?.errors ?? []), ...run.logs.filter((l) => l.startsWith('transport'))];
    const evidence = { url: config.url, options, errors, latencyMs: run.latencyMs, request: run.request ? { url: run.request.url, headers: Object.keys(run.request.headers), body: run.request.body } : null, undeclaredMembers: run.violations };
    if (run.violations.length) {
      return { id, ok: false, status: 'fail', title, message: `The MegaScript used members Infigo does not declare: ${run.violations.join(', ')}.`, evidence };
    }
    if (options.length === 0) {
      return { id, ok: false, status: 'fail', title, message: `The quote endpoint at ${config.url} returned no delivery option${errors.length ? `: ${errors.join('; ')}` : '.'}`, fix: 'Check the public address, the token and the rate table (or the GelatoConnect quote address).', evidence };
    }
    return {
      id,
      ok: true,
      status: 'pass',
      title,
      message: `The MegaScript got ${options.length} option(s) in ${run.latencyMs ?? '?'} ms: ${options.map((o) => `${o.name} ${o.price.toFixed(2)} ${o.currency}`).join(', ')}.`,
      evidence,
    };
  } catch (e) {
    return { id, ok: false, status: 'fail', title, message: `The MegaScript self-test could not run: ${(e as Error).message}`, evidence: { url: config.url } };
  }
}
