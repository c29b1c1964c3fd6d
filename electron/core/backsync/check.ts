import type { CheckResult } from '../../../shared/contract';
import type { EngineContext } from '../context';
import { describeError } from '../http';
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
    return { id, ok: false, status: 'skip', title: 'Status updates', message: 'GelatoConnect is not set up yet, so no status can come back.', fix: 'Set up the GelatoConnect connection first.' };
  }
  if (cfg.statusUpdates.mode === 'postback') {
    const base = publicBaseUrl(ctx);
    const title = 'Status updates by postback';
    if (!base) {
      return { id, ok: false, status: 'fail', title, message: 'Postbacks are on, but Presslink does not know the public address GelatoConnect should post to.', fix: 'Set server.publicBaseUrl (Settings → Server) to the address of this machine as seen from the internet, or switch status updates to polling.' };
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
      if (!ok) return { id, ok: false, status: 'fail', title, message: `The postback address ${url} answered HTTP ${r.status} instead of Presslink's webhook.`, fix: 'Check that the public address forwards to this Presslink server.', evidence };
      if (!last) {
        return { id, ok: true, status: 'warn', title, message: `The webhook answers at ${url}, but no postback has arrived from GelatoConnect yet, so Presslink keeps polling until one does.`, fix: 'Paste the generated triggers into GelatoConnect (customer profile → Triggers), then advance a test order.', evidence };
      }
      return { id, ok: true, status: 'pass', title, message: `Postbacks are on: the webhook answers at ${url}; the last one arrived ${last}. Orders quiet for 6 hours are also polled.`, evidence };
    } catch (e) {
      return { id, ok: false, status: 'fail', title, message: `The postback address ${url} cannot be reached from this machine (${(e as Error).message}).`, fix: 'Check server.publicBaseUrl, port forwarding and the firewall, or switch status updates to polling.', evidence: { mode: 'postback', url } };
    }
  }
  const title = 'Status updates by polling';
  const started = Date.now();
  try {
    const gelato = connections(ctx).gelato();
    const open = ctx.repo.inStates(['submitted', 'in_production', 'shipped']);
    const sample = open[0];
    if (sample) {
      const store = cfg.stores.find((s) => s.id === sample.storeId);
      const g = await gelato.getOrder(sample.gelatoOrderId ?? sample.orderReferenceId, { customerReferenceId: store?.gelatoCustomerReferenceId });
      return { id, ok: true, status: 'pass', title, message: `Polling is on: GelatoConnect answered for order ${sample.orderReferenceId} (${g.rawStatus ?? 'no status'}); every open order is checked each sync.`, evidence: { mode: 'polling', order: sample.orderReferenceId, status: g.status, latencyMs: Date.now() - started, openOrders: open.length } };
    }
    const customer = cfg.stores[0]?.gelatoCustomerReferenceId;
    await gelato.searchOrders({ limit: 1 }, { customerReferenceId: customer });
    return { id, ok: true, status: 'pass', title, message: 'Polling is on: GelatoConnect answers order searches; no order is open yet.', evidence: { mode: 'polling', latencyMs: Date.now() - started, openOrders: 0 } };
  } catch (e) {
    const reason = describeError(e);
    return { id, ok: false, status: 'fail', title, message: `Polling is on, but GelatoConnect did not answer a status request: ${reason}`, fix: 'Check the GelatoConnect Get Order / Search Orders addresses and the API key.', evidence: { mode: 'polling' } };
  }
}
