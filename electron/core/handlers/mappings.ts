import { CallError, type OrderLine, type UnmappedSku } from '../../../shared/contract';
import { classifyLine } from '../../../shared/domain/classify';
import { convertOrder, resolveProduct } from '../../../shared/domain/convert';
import { lineAttributeMap, type InfigoOrder } from '../../../shared/domain/infigo';
import type { HandlerMap } from '../engine';
import { connections } from '../sync/connections';

// What the mapping editor and the wizard show: SKUs seen in orders that no
// mapping covers, the GelatoConnect payload an order would produce now, and how
// the current order-type rules classify recent lines.

export const mappingHandlers: HandlerMap = {
  'mappings.unmapped': (ctx) => {
    const products = ctx.config.get().products;
    const rows = ctx.db
      .prepare(
        `SELECT l.sku, l.attributes_json AS attrs, count(*) AS n, max(o.created_at) AS last
         FROM order_lines l JOIN orders o ON o.id = l.order_id
         WHERE l.kind = 'printable' GROUP BY l.sku, l.attributes_json ORDER BY n DESC LIMIT 2000`,
      )
      .all() as { sku: string | null; attrs: string; n: number; last: string }[];
    const out = new Map<string, UnmappedSku>();
    for (const r of rows) {
      const attributes = JSON.parse(r.attrs) as Record<string, string>;
      if (resolveProduct({ jobId: '-', sku: r.sku, attributes }, products).ok) continue;
      const sku = r.sku ?? '(no SKU)';
      const key = `${sku}\n${r.attrs}`;
      const prev = out.get(key);
      out.set(key, { sku, attributes, count: (prev?.count ?? 0) + r.n, lastSeen: prev && prev.lastSeen > r.last ? prev.lastSeen : r.last });
    }
    return [...out.values()].sort((a, b) => b.count - a.count);
  },

  'mappings.preview': (ctx, { orderId }) => {
    const o = ctx.repo.byId(orderId);
    if (!o) throw new CallError('not_found', `There is no order ${orderId}.`);
    const store = ctx.config.get().stores.find((s) => s.id === o.storeId);
    if (!store) throw new CallError('not_found', `Order ${o.infigoOrderId} belongs to store "${o.storeId}", which is no longer configured.`);
    if (!o.infigoJson) return { payload: null, problems: [{ path: 'order', message: 'The order has not been read from Infigo yet; run a sync first.' }] };
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
    if (r.nothingToProduce) return { payload: null, problems: [{ path: 'order', message: r.reason }] };
    return { payload: null, problems: r.problems.map((p) => ({ path: p.code, message: `${p.message} ${p.fix}` })) };
  },

  'mappings.classifyPreview': async (ctx, { storeId, limit }) => {
    const cfg = ctx.config.get();
    const stores = cfg.stores.filter((s) => !storeId || s.id === storeId);
    const out: { orderId: number; storeId: string; lines: OrderLine[] }[] = [];
    for (const store of stores) {
      const recent = ctx.db.prepare('SELECT id, infigo_order_id FROM orders WHERE store_id = ? ORDER BY infigo_order_id DESC LIMIT ?').all(store.id, limit) as { id: number; infigo_order_id: number }[];
      if (recent.length) {
        for (const r of recent) {
          const raw = ctx.db.prepare('SELECT line_json FROM order_lines WHERE order_id = ? ORDER BY rowid').pluck().all(r.id) as (string | null)[];
          const lines = ctx.repo.lines(r.id).map((l, i) => {
            const tags = (JSON.parse(raw[i] ?? '{}') as { ProductTags?: string[] }).ProductTags ?? [];
            return { ...l, kind: classifyLine({ sku: l.sku, productType: l.productType, tags }, cfg.orderTypes).kind };
          });
          out.push({ orderId: r.infigo_order_id, storeId: store.id, lines });
        }
        continue;
      }
      // Nothing imported yet (first setup): read the newest orders straight from Infigo.
      const infigo = connections(ctx).infigo(store);
      const ids = (await infigo.listOrderIds()).sort((a, b) => b - a).slice(0, limit);
      for (const id of ids) {
        const order = await infigo.getOrder(id);
        const lines: OrderLine[] = [];
        for (const jobId of order.OrderLineItems) {
          const line = await infigo.getOrderLine(jobId);
          const rawTags = (line as unknown as { ProductTags?: unknown }).ProductTags;
          const tags = Array.isArray(rawTags) ? rawTags.filter((t): t is string => typeof t === 'string') : [];
          lines.push({
            jobId: line.Id,
            sku: line.Sku ?? null,
            name: line.ProductName ?? null,
            quantity: line.Quantity,
            productType: line.Type,
            kind: classifyLine({ sku: line.Sku ?? null, productType: line.Type, tags }, cfg.orderTypes).kind,
            attributes: lineAttributeMap(line),
          });
        }
        out.push({ orderId: id, storeId: store.id, lines });
      }
    }
    return out;
  },
};
