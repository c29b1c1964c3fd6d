import type { CheckResult } from '../../../shared/contract';
import { msg } from '../../../shared/messages/index';
import { fail, pass, skip, warn } from '../checks/result';
import { where } from '../checks/places';
import type { EngineContext } from '../context';
import { describeMsg } from '../http';
import { reasonOf } from '../i18n';
import { connections } from '../connections';
import { POSTBACK_PATH, postbackUrl } from './intake';
import { PING_EVENT } from './postback-format';
import { publicBaseUrl } from '../public-url';
import { postbackSecret } from './settings';

/**
 * Which status channel is active and whether it works: with postbacks, the webhook answers at
 * the public address with the secret (and when GelatoConnect last posted); with polling,
 * GelatoConnect answers a status request. For the checks module and `doctor`.
 */
export async function checkStatusUpdates(ctx: EngineContext): Promise<CheckResult> {
  const cfg = ctx.config.get();
  const id = 'status-updates';
  if (!cfg.gelato) {
    return skip(id, msg('statusCheck.title.plain'), msg('statusCheck.noGelato'), { fix: msg('statusCheck.noGelatoFix', { where: where.setupGelato }) });
  }
  if (cfg.statusUpdates.mode === 'postback') {
    const base = publicBaseUrl(ctx);
    const title = msg('statusCheck.title.postback');
    if (!base) {
      return fail(id, title, msg('statusCheck.noAddress'), msg('statusCheck.noAddressFix', { where: where.setupStatusUpdates }));
    }
    const auth = cfg.statusUpdates.postbackAuth;
    const secret = postbackSecret(ctx);
    const target = postbackUrl(base, secret, auth);
    // Shown without the secret (the path form carries it).
    const url = `${base}${POSTBACK_PATH}${auth === 'path' ? '/…' : ''}`;
    const started = Date.now();
    try {
      const r = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth === 'header' ? { 'X-Presslink-Secret': secret } : {}) },
        body: JSON.stringify({ event: PING_EVENT }),
        signal: AbortSignal.timeout(5_000),
      });
      const ok = r.status === 200 && ((await r.json().catch(() => null)) as { pong?: boolean } | null)?.pong === true;
      const last = ctx.repos.postbacks.lastWithReferenceAt();
      const evidence = { mode: 'postback', url, status: r.status, latencyMs: Date.now() - started, lastPostbackAt: last };
      if (!ok) return fail(id, title, msg('statusCheck.wrongAnswer', { url, status: r.status }), msg('statusCheck.wrongAnswerFix'), evidence);
      if (!last) return warn(id, title, msg('statusCheck.noneYet', { url }), { fix: msg('statusCheck.noneYetFix', { where: where.setupStatusUpdates }), evidence });
      return pass(id, title, msg('statusCheck.ok', { url, at: last }), { evidence });
    } catch (e) {
      return fail(id, title, msg('statusCheck.unreachable', { url, reason: reasonOf(e) }), msg('statusCheck.unreachableFix', { where: where.setupStatusUpdates }), { mode: 'postback', url });
    }
  }
  const title = msg('statusCheck.title.polling');
  const started = Date.now();
  try {
    const gelato = connections(ctx).gelato();
    const open = ctx.repo.inStates(['submitted', 'in_production', 'shipped']);
    const sample = open[0];
    if (sample) {
      const store = cfg.stores.find((s) => s.id === sample.storeId);
      const g = await gelato.getOrder(sample.gelatoOrderId ?? sample.orderReferenceId, { customerReferenceId: store?.gelatoCustomerReferenceId });
      return pass(id, title, msg('statusCheck.polling', { reference: sample.orderReferenceId, status: g.rawStatus ?? msg('statusCheck.noStatus') }), {
        evidence: { mode: 'polling', order: sample.orderReferenceId, status: g.status, latencyMs: Date.now() - started, openOrders: open.length },
      });
    }
    const customer = cfg.stores[0]?.gelatoCustomerReferenceId;
    await gelato.searchOrders({ limit: 1 }, { customerReferenceId: customer });
    return pass(id, title, msg('statusCheck.pollingNoOrder'), { evidence: { mode: 'polling', latencyMs: Date.now() - started, openOrders: 0 } });
  } catch (e) {
    return fail(id, title, msg('statusCheck.pollingFailed', { reason: describeMsg(e) }), msg('statusCheck.pollingFailedFix', { where: where.setupGelato }), { mode: 'polling' });
  }
}
