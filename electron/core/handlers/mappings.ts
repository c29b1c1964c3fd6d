import { CallError, type OrderLine, type UnmappedSku } from '../../../shared/contract';
import { classifyLine } from '../../../shared/domain/classify';
import { convertOrder, resolveProduct } from '../../../shared/domain/convert';
import type { InfigoOrder } from '../../../shared/domain/infigo';
import { lineTags, toOrderLine, uniqueJobIds } from '../../../shared/domain/order-line';
import { msg, type Msg } from '../../../shared/messages/index';
import { connections } from '../connections';
import type { HandlersOf } from '../context';
import { sentences, textOf } from '../i18n';

const notFound = (m: Msg) => new CallError('not_found', textOf(m), undefined, m);

// mappings.*: what the mapping editor and the wizard show: SKUs seen in orders
// that no mapping covers, the GelatoConnect payload an order would produce now,
// and how the current order-type rules classify recent lines — read the way the
// sync reads them (shared/domain/order-line.ts), so the preview never shows
// what the sync would not do.

export const mappingHandlers = {
  'mappings.unmapped': (ctx) => {
    const products = ctx.config.get().products;
    const out = new Map<string, UnmappedSku>();
    for (const r of ctx.repo.printableSkus(2000)) {
      const attributes = JSON.parse(r.attributesJson) as Record<string, string>;
      if (resolveProduct({ jobId: '-', sku: r.sku, attributes }, products).ok) continue;
      const sku = r.sku ?? '(no SKU)';
      const key = `${sku}\n${r.attributesJson}`;
      const prev = out.get(key);
      out.set(key, { sku, attributes, count: (prev?.count ?? 0) + r.count, lastSeen: prev && prev.lastSeen > r.last ? prev.lastSeen : r.last });
    }
    return [...out.values()].sort((a, b) => b.count - a.count);
  },

  'mappings.preview': (ctx, { orderId }) => {
    const o = ctx.repo.byId(orderId);
    if (!o) throw notFound(msg('orders.notFound', { id: orderId }));
    const store = ctx.config.get().stores.find((s) => s.id === o.storeId);
    if (!store) throw notFound(msg('mappings.storeGone', { order: o.infigoOrderId, store: o.storeId }));
    if (!o.infigoJson) {
      const notRead = msg('mappings.notReadYet');
      return { payload: null, problems: [{ path: 'order', message: textOf(notRead), msg: notRead }] };
    }
    const lines = ctx.repo.lines(o.id);
    const r = convertOrder({
      store,
      order: JSON.parse(o.infigoJson) as InfigoOrder,
      lines,
      config: ctx.config.get(),
      orderReferenceId: o.orderReferenceId,
      // Real links are issued at submission; the preview shows where each file goes.
      fileUrls: Object.fromEntries(lines.filter((l) => l.kind === 'printable').map((l) => [l.jobId, `(print file for ${l.jobId})`])),
    });
    if (r.ok) return { payload: r.payload, problems: [] };
    if (r.nothingToProduce) return { payload: null, problems: [{ path: 'order', message: textOf(r.reason), msg: r.reason }] };
    return {
      payload: null,
      problems: r.problems.map((p) => {
        const said = sentences(p.message, p.fix);
        return { path: p.code, message: textOf(said), msg: said };
      }),
    };
  },

  'mappings.classifyPreview': async (ctx, { storeId, limit }) => {
    const cfg = ctx.config.get();
    const stores = cfg.stores.filter((s) => !storeId || s.id === storeId);
    const out: { orderId: number; storeId: string; lines: OrderLine[] }[] = [];
    for (const store of stores) {
      const recent = ctx.repo.newestOfStore(store.id, limit);
      if (recent.length) {
        // Imported lines, classified again by the rules as they are now.
        for (const r of recent) {
          const lines = ctx.repo.linesWithRaw([r.id]).map(({ orderId: _o, raw, ...l }) => ({ ...l, kind: classifyLine({ sku: l.sku, productType: l.productType, tags: lineTags(raw) }, cfg.orderTypes).kind }));
          out.push({ orderId: r.infigoOrderId, storeId: store.id, lines });
        }
        continue;
      }
      // Nothing imported yet (first setup): read the newest orders straight from Infigo.
      const infigo = connections(ctx).infigo(store);
      const ids = (await infigo.listOrderIds()).sort((a, b) => b - a).slice(0, limit);
      for (const id of ids) {
        const order = await infigo.getOrder(id);
        const lines: OrderLine[] = [];
        for (const jobId of uniqueJobIds(order.OrderLineItems)) lines.push(toOrderLine(await infigo.getOrderLine(jobId), cfg.orderTypes).line);
        out.push({ orderId: id, storeId: store.id, lines });
      }
    }
    return out;
  },
} satisfies HandlersOf<'mappings'>;
