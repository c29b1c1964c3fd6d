import { z } from 'zod';
import { normaliseGelatoStatus, type GelatoStatus } from '../../../shared/domain/gelato';
import { list, msg, type Msg } from '../../../shared/messages/index';
import { issueMsg } from '../../../shared/messages/zod';
import { textOf } from '../i18n';

// The postback wire format is whatever the PSP's Jinja2 template renders (reference
// gelatoconnect-api.md §3.4, §8.2), so Presslink writes the template itself and parses only
// what that template produces. The template reads nothing but the documented event data
// (customer, order, package, shipment — §3.4) and guards every level, because the data of
// events other than "Package Status Updated" is [unknown]: a missing part renders as null
// instead of failing the render (Jinja2 raises on attribute access of an undefined value).

export interface PostbackEvent {
  /** The event name as GelatoConnect's trigger screen offers it (§3.2). */
  event: string;
  /** What the rendered body carries in "event". */
  key: string;
  /** The status this event means; null when it is read from package.status. */
  status: GelatoStatus | null;
}

export const POSTBACK_EVENTS: readonly PostbackEvent[] = [
  { event: 'Order received', key: 'order.received', status: 'received' },
  { event: 'Order failed', key: 'order.failed', status: 'failed' },
  { event: 'Order canceled', key: 'order.canceled', status: 'canceled' },
  { event: 'Order produced', key: 'order.produced', status: 'printed' },
  { event: 'Order shipped', key: 'order.shipped', status: 'shipped' },
  { event: 'Order in transit', key: 'order.in_transit', status: 'in_transit' },
  { event: 'Order delivered', key: 'order.delivered', status: 'delivered' },
  { event: 'Order returned', key: 'order.returned', status: 'returned' },
  // Order events carry one parcel's tracking; this one fires per parcel, so every
  // tracking code of a multi-parcel shipment arrives.
  { event: 'Package Status Updated', key: 'package.status_updated', status: null },
];

/** Sent by Presslink's own reachability check; answered, never stored. */
export const PING_EVENT = 'presslink.ping';

/** The Jinja2 template to paste into the trigger for one event. */
export function postbackTemplate(e: PostbackEvent): string {
  // `x.items` / `x.keys` would resolve to dict methods in Jinja2, so only plain field names
  // are read; `|default(none)|tojson` quotes and escapes strings and turns absent values
  // into null in both Jinja2 and nunjucks.
  return [
    '{%- set c = customer if customer is defined else {} -%}',
    '{%- set o = order if order is defined else {} -%}',
    '{%- set p = package if package is defined else {} -%}',
    '{%- set s = shipment if shipment is defined else {} -%}',
    '{%- set m = s.method if s.method is defined else {} -%}',
    '{%- set t = s.tracking if s.tracking is defined else {} -%}',
    `{"presslink": 1, "event": "${e.key}",`,
    ' "orderId": {{ o.id|default(none)|tojson }},',
    ' "orderReferenceId": {{ o.referenceId|default(none)|tojson }},',
    ' "customerReferenceId": {{ c.referenceId|default(none)|tojson }},',
    ' "status": {{ p.status|default(none)|tojson }},',
    ' "packageId": {{ p.id|default(none)|tojson }},',
    ' "shippingMethod": {{ m.name|default(none)|tojson }},',
    ' "trackingCode": {{ t.code|default(none)|tojson }},',
    ' "trackingUrl": {{ t.url|default(none)|tojson }}}',
  ].join('\n');
}

const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim()));

export const postbackBodySchema = z.looseObject({
  presslink: z.literal(1).optional(),
  event: z.string({ error: '"event" is required (a text such as "order.shipped")' }).trim().min(1, '"event" must not be empty'),
  orderId: text,
  orderReferenceId: z
    .union([z.string(), z.number()], { error: '"orderReferenceId" is required' })
    .transform((v) => String(v).trim())
    .pipe(z.string().min(1, '"orderReferenceId" must not be empty')),
  customerReferenceId: text,
  status: text,
  packageId: text,
  shippingMethod: text,
  trackingCode: text,
  trackingUrl: text,
});

export interface ParsedPostback {
  eventKey: string;
  status: GelatoStatus;
  orderId: string | null;
  orderReferenceId: string;
  customerReferenceId: string | null;
  packageId: string | null;
  shippingMethod: string | null;
  trackingCode: string | null;
  trackingUrl: string | null;
}

/** A refusal says why in English (`message`) and as a message (`msg`), for whoever reads GelatoConnect's trigger log. */
export type PostbackParse = { ok: true; value: ParsedPostback } | { ok: true; ping: true } | { ok: false; message: string; msg: Msg };

const refused = (m: Msg): { ok: false; message: string; msg: Msg } => ({ ok: false, message: textOf(m), msg: m });

/** Validates a decoded body; the message says which field is wrong and how. */
export function parsePostback(body: unknown): PostbackParse {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return refused(msg('postback.notObject'));
  }
  if ((body as { event?: unknown }).event === PING_EVENT) return { ok: true, ping: true };
  const r = postbackBodySchema.safeParse(body);
  if (!r.success) {
    const fields = r.error.issues.map((i) => msg('common.about', { subject: i.path.join('.') || '(body)', text: issueMsg(i) }));
    return refused(msg('postback.badFields', { fields: list(fields, 'clauses') }));
  }
  const b = r.data;
  const known = POSTBACK_EVENTS.find((e) => e.key === b.event);
  // An unknown event name is still usable when it names a status ("order.in_production").
  const status = known?.status ?? normaliseGelatoStatus(known ? b.status : b.event.replace(/^(order|package)\./, '')) ?? normaliseGelatoStatus(b.status);
  if (!status) {
    return refused(msg('postback.unknownStatus', { event: b.event, status: b.status ?? '' }));
  }
  return {
    ok: true,
    value: {
      eventKey: b.event,
      status,
      orderId: b.orderId,
      orderReferenceId: b.orderReferenceId,
      customerReferenceId: b.customerReferenceId,
      packageId: b.packageId,
      shippingMethod: b.shippingMethod,
      trackingCode: b.trackingCode,
      trackingUrl: b.trackingUrl,
    },
  };
}

/** Same order, status, parcel and tracking = the same news; a retry or a second trigger for it is a duplicate. */
export function postbackDedupeKey(p: ParsedPostback): string {
  return [p.orderReferenceId, p.status, p.packageId ?? '', p.trackingCode ?? ''].join('|');
}
