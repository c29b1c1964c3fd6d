import { describe, expect, it } from 'vitest';
import { MegaScriptStatusWriter } from '../../electron/core/infigo/status-writer';
import { runApiMegaScript, type Typings } from '../../electron/core/shipping/megascript-host';
import { statusScriptSource } from '../../electron/core/status-writer/megascript';
import { inMemoryOrder, writerIntoScript } from '../../electron/core/status-writer/self-test';

// The generated order-status MegaScript run in the MegaScript host (members of Infigo's typings
// only; newer and 1.0.x generations), called by Presslink's own MegaScriptStatusWriter the way
// every push is made, against an in-memory order implementing the declared Order interface.

const config = { token: 'status-script-token-0123456789', trackingNote: true, trackingNoteToCustomer: false };

function setup(typings: Typings = 'newer') {
  const fake = inMemoryOrder(4711);
  const seen = { violations: [] as string[], probed: [] as string[], logs: [] as string[] };
  const writer = writerIntoScript(config, (id) => (id === 4711 ? fake.order : null), typings, seen);
  return { fake, seen, writer };
}

describe('generated status MegaScript', () => {
  for (const typings of ['newer', 'older'] as const) {
    it(`sets order status, shipping status, tracking, notes and line status with declared members only (${typings} typings), and answers with the order read back`, async () => {
      const { fake, seen, writer } = setup(typings);
      const r = await writer.push({ orderId: 4711, orderStatus: 'Complete', shippingStatus: 'Delivered', trackingNumber: 'JD0146', trackingUrl: 'https://dhl.example/JD0146', carrier: 'DHL', note: 'Shipped in 2 parcels', lineStatuses: [{ jobId: 's5001', status: 'Shipped' }] });
      expect(seen.violations).toEqual([]);
      expect(fake.state).toMatchObject({ OrderStatus: 'Complete', ShippingStatus: 'Delivered', TrackingNumber: 'JD0146', lineStatus: { s5001: 'Shipped' } });
      expect(fake.state.notes).toEqual([
        { note: 'Tracking JD0146 (DHL): https://dhl.example/JD0146', toCustomer: false },
        { note: 'Shipped in 2 parcels', toCustomer: false },
      ]);
      expect(r.readBack).toEqual({ orderStatus: 'Complete', shippingStatus: 'Delivered', paymentStatus: 'Paid', trackingNumber: 'JD0146', notes: 2 });
    });
  }

  it('refuses a caller without the token (401), and takes the token from the body when Infigo passes no custom header', async () => {
    const fake = inMemoryOrder(4711);
    const run = (headers: Record<string, string>, body: unknown) => runApiMegaScript(statusScriptSource(), { config, request: { method: 'POST', headers, body: JSON.stringify(body) }, findOrder: () => fake.order });
    const denied = run({ 'content-type': 'application/json' }, { orderId: 4711, orderStatus: 'Complete', token: 'guess' });
    expect(denied.status).toBe(401);
    expect(fake.state.OrderStatus).toBe('Processing');
    const lower = run({ 'x-presslink-token': config.token }, { orderId: 4711, orderStatus: 'Complete' });
    expect([lower.status, fake.state.OrderStatus]).toEqual([200, 'Complete']);
    const bodyOnly = run({}, { orderId: 4711, shippingStatus: 'Shipped', token: config.token });
    expect([bodyOnly.status, fake.state.ShippingStatus]).toEqual([200, 'Shipped']);
  });

  it('reports what Infigo refused and an unknown order as a failure Presslink shows, not a transport error', async () => {
    const { fake, writer } = setup();
    const bad = await writer.push({ orderId: 4711, orderStatus: 'Teleported', shippingStatus: 'Shipped' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'client_error', retryable: false, userMessage: expect.stringMatching(/could not update order 4711: Not applied: order status Teleported \(Infigo refused it\)/) });
    expect(fake.state.ShippingStatus).toBe('Shipped');
    const missing = await writer.push({ orderId: 999, orderStatus: 'Complete' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ userMessage: expect.stringMatching(/Infigo has no order 999/) });
  });

  it('says which Order method an older Infigo lacks instead of failing', () => {
    const fake = inMemoryOrder(4711);
    delete fake.order.AddOrderNotes;
    const run = runApiMegaScript(statusScriptSource(), { config, request: { method: 'POST', headers: { 'X-Presslink-Token': config.token }, body: JSON.stringify({ orderId: 4711, trackingNumber: 'T1', note: 'n' }) }, findOrder: () => fake.order });
    const body = JSON.parse(run.body!) as { ok: boolean; applied: string[]; failed: string[] };
    expect(body.ok).toBe(false);
    expect(body.applied).toEqual(['tracking number']);
    expect(body.failed).toEqual(['note (this Infigo does not offer Order.AddOrderNotes)']);
    expect(fake.state.TrackingNumber).toBe('T1');
  });

  it('the writer sends the token in the header and the body, and JSON the script reads', async () => {
    const seen: { headers: Headers; body: unknown }[] = [];
    const w = new MegaScriptStatusWriter({
      url: 'https://shop.example/megascript/presslink-status',
      token: 'tok-0123456789',
      fetch: async (_u, init) => {
        seen.push({ headers: new Headers(init?.headers), body: JSON.parse(String(init?.body)) });
        return new Response(JSON.stringify({ ok: true, order: { orderStatus: 'Complete' } }), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const r = await w.push({ orderId: 7, orderStatus: 'Complete' });
    expect(seen[0]!.headers.get('x-presslink-token')).toBe('tok-0123456789');
    expect(seen[0]!.body).toEqual({ orderId: 7, token: 'tok-0123456789', orderStatus: 'Complete' });
    expect(r.readBack).toMatchObject({ orderStatus: 'Complete', shippingStatus: null });
  });
});
