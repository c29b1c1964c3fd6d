import { execFileSync } from 'node:child_process';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { parsePostback, postbackDedupeKey, postbackTemplate, POSTBACK_EVENTS } from '../../electron/core/backsync/postback-format';

// The trigger templates must render valid JSON from any event data GelatoConnect may hand
// them (the data of most events is [unknown]), in nunjucks and in real Jinja2, and the
// intake's parser must read what they render.

const env = new nunjucks.Environment(null, { autoescape: false });
// Jinja2's tojson: JSON text of the value (null for none).
env.addFilter('tojson', (v: unknown) => JSON.stringify(v ?? null));

let jinjaSkip: string | null = null;
try {
  execFileSync('python3', ['-c', 'import jinja2'], { stdio: 'pipe' });
} catch (e) {
  jinjaSkip = `python3 with jinja2 is not installed (${(e as Error).message.split('\n')[0]})`;
}

type Job = { t: string; c: unknown };

/** One python3 process renders a batch (starting one per template would be slow). */
function jinja(jobs: Job[]): string[] {
  const py = 'import sys, json, jinja2\nenv = jinja2.Environment()\nprint(json.dumps([env.from_string(j["t"]).render(**j["c"]) for j in json.load(sys.stdin)]))';
  return JSON.parse(execFileSync('python3', ['-c', py], { input: JSON.stringify(jobs), encoding: 'utf8' })) as string[];
}

const documented = {
  customer: { id: 'c0a8', name: 'Acme "Print" Ltd', referenceId: 'acme-ltd' },
  order: { id: '32884a3e-bd09-42be-8225-c5cea7d24611', referenceId: 'acme-10452', metadata: { isRush: 'False' } },
  package: { id: 'pkg-1', status: 'shipped', weight: 9, items: [{ id: 'i1', quantity: 1, referenceId: 's1', metadata: {} }] },
  shipment: {
    fulfillmentLocation: { country: 'GB', stateProvince: '' },
    method: { id: 'dhl_parcel', name: 'DHL Parcel </script> «Europe»' },
    tracking: { code: 'JD0146', url: 'https://www.dhl.com/track?tracking-id=JD0146&lang=en' },
  },
};

const renderers: [string, (jobs: Job[]) => string[]][] = [['nunjucks', (jobs) => jobs.map((j) => env.renderString(j.t, j.c as object))]];
if (!jinjaSkip) renderers.push(['jinja2', jinja]);
else console.warn(`[trigger-template] Jinja2 half skipped: ${jinjaSkip}`);

describe.each(renderers)('templates rendered by %s', (_name, render) => {
  it('turn the documented event data into a postback the parser reads field for field, quotes and markup included', () => {
    const e = POSTBACK_EVENTS.find((x) => x.key === 'order.shipped')!;
    const body = JSON.parse(render([{ t: postbackTemplate(e), c: documented }])[0]!);
    const p = parsePostback(body);
    expect(p.ok && 'value' in p && p.value).toEqual({
      eventKey: 'order.shipped',
      status: 'shipped',
      orderId: documented.order.id,
      orderReferenceId: 'acme-10452',
      customerReferenceId: 'acme-ltd',
      packageId: 'pkg-1',
      shippingMethod: documented.shipment.method.name,
      trackingCode: 'JD0146',
      trackingUrl: documented.shipment.tracking.url,
    });
  });

  it('render valid JSON with nulls when an event carries no package or shipment, and every event maps to its status', () => {
    const sparse = (e: (typeof POSTBACK_EVENTS)[number]) => ({ customer: documented.customer, order: documented.order, ...(e.status === null ? { package: { id: 'p9', status: 'in_production' } } : {}) });
    const out = render(POSTBACK_EVENTS.map((e) => ({ t: postbackTemplate(e), c: sparse(e) })));
    for (const [i, e] of POSTBACK_EVENTS.entries()) {
      const body = JSON.parse(out[i]!);
      expect(body.trackingCode).toBeNull();
      const p = parsePostback(body);
      if (!p.ok || !('value' in p)) throw new Error(`${e.event}: ${JSON.stringify(p)}`);
      expect(p.value.status).toBe(e.status ?? 'in_production');
      expect(p.value.orderReferenceId).toBe('acme-10452');
    }
  });

  it('render an order reference that is missing as null, which the parser refuses by name', () => {
    const body = JSON.parse(render([{ t: postbackTemplate(POSTBACK_EVENTS[0]!), c: {} }])[0]!);
    const p = parsePostback(body);
    expect(p.ok).toBe(false);
    expect(!p.ok && p.message).toMatch(/orderReferenceId/);
  });
});

describe('postback parser', () => {
  it('reads the event as the status (an order event is authoritative), package events by package.status', () => {
    const base = { presslink: 1, orderReferenceId: 'r1' };
    const ok = (b: object) => {
      const p = parsePostback(b);
      if (!p.ok || !('value' in p)) throw new Error(JSON.stringify(p));
      return p.value;
    };
    expect(ok({ ...base, event: 'order.produced', status: 'printed' }).status).toBe('printed');
    expect(ok({ ...base, event: 'order.canceled', status: null }).status).toBe('canceled');
    expect(ok({ ...base, event: 'package.status_updated', status: 'In Transit' }).status).toBe('in_transit');
    expect(parsePostback({ ...base, event: 'package.status_updated', status: null }).ok).toBe(false);
    expect(parsePostback([1, 2]).ok).toBe(false);
    expect(parsePostback({ event: 'presslink.ping' })).toEqual({ ok: true, ping: true });
  });

  it('gives the same dedupe key to the same news from two triggers, a different one per parcel', () => {
    const a = parsePostback({ presslink: 1, event: 'order.shipped', orderReferenceId: 'r1', status: 'shipped', packageId: 'p1', trackingCode: 'T1' });
    const b = parsePostback({ presslink: 1, event: 'package.status_updated', orderReferenceId: 'r1', status: 'shipped', packageId: 'p1', trackingCode: 'T1', shippingMethod: 'x' });
    const c = parsePostback({ presslink: 1, event: 'package.status_updated', orderReferenceId: 'r1', status: 'shipped', packageId: 'p2', trackingCode: 'T2' });
    const key = (p: ReturnType<typeof parsePostback>) => (p.ok && 'value' in p ? postbackDedupeKey(p.value) : '');
    expect(key(a)).toBe(key(b));
    expect(key(a)).not.toBe(key(c));
  });
});
