import type { CheckResult } from '../../../shared/contract';
import { list, msg } from '../../../shared/messages/index';
import type { EngineContext } from '../context';
import { fail, pass, skip } from '../checks/result';
import { asMsg, reasonOf } from '../i18n';
import { megaScriptConfig, megaScriptSource } from './megascript';
import { runMegaScript } from './megascript-host';

/**
 * Runs the generated MegaScript itself, with a sample cart, against the configured quote URL:
 * the same headers and body the script sends from Infigo, through the same code. Evidence:
 * the options returned and the round-trip time.
 */
export async function shippingSelfTest(ctx: EngineContext): Promise<CheckResult> {
  const id = 'shipping-quotes';
  const title = msg('shipping.selfTest.title');
  const cfg = ctx.config.get();
  if (!cfg.shippingQuotes.enabled) {
    return { ...skip(id, title, msg('shipping.selfTest.off'), { fix: msg('shipping.selfTest.offFix', { where: msg('where.setupShipping') }) }), ok: false };
  }
  let config: ReturnType<typeof megaScriptConfig>;
  try {
    config = megaScriptConfig(ctx);
  } catch (e) {
    return fail(id, title, asMsg(reasonOf(e)), msg('shipping.selfTest.noAddressFix'));
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
      return { ...fail(id, title, msg('shipping.selfTest.undeclared', { members: list(run.violations, 'comma') }), msg('statusWriter.selfTest.fix'), evidence) };
    }
    if (options.length === 0) {
      const m = errors.length ? msg('shipping.selfTest.noOptionsWhy', { url: config.url, errors: list(errors, 'clauses') }) : msg('shipping.selfTest.noOptions', { url: config.url });
      return fail(id, title, m, msg('shipping.selfTest.noOptionsFix'), evidence);
    }
    const priced = options.map((o) => msg('shipping.selfTest.option', { name: o.name, price: o.price, currency: o.currency }));
    return pass(id, title, msg('shipping.selfTest.ok', { count: options.length, ms: run.latencyMs ?? '?', options: list(priced, 'comma') }), { evidence });
  } catch (e) {
    return fail(id, title, msg('shipping.selfTest.couldNotRun', { reason: reasonOf(e) }), msg('check.tryAgainOrSupport'), { url: config.url });
  }
}
