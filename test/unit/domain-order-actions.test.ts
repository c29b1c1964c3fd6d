import { describe, expect, it } from 'vitest';
import { ORDER_ACTIONS, REFUSAL_CODES, actionAllowed, bulkVerdict, orderActions, verdict, type OrderAction } from '../../shared/domain/order-actions';
import { ORDER_STATES, canTransition, type OrderState } from '../../shared/domain/order-state';

// The rules the order log offers actions by. They mirror what the engine's handlers accept
// (electron/core/handlers/orders.ts), written out here as the specification.
const ENGINE_RULES: Record<OrderAction, OrderState[]> = {
  retry: ['needs_attention', 'skipped', 'failed'],
  skip: ['needs_attention', 'failed', 'discovered', 'classified', 'files'],
  redownload: ['needs_attention', 'failed', 'files', 'skipped'],
  cancel: ['submitted', 'in_production'],
};

describe('order actions by state', () => {
  it('allows exactly what the engine accepts', () => {
    for (const a of ORDER_ACTIONS) {
      expect(ORDER_STATES.filter((s) => actionAllowed(a, s)), a).toEqual(ORDER_STATES.filter((s) => ENGINE_RULES[a].includes(s)));
    }
  });

  it('gives a reason for every action it refuses, in every state', () => {
    for (const s of ORDER_STATES) {
      for (const [a, v] of Object.entries(orderActions(s))) {
        if (v.allowed) continue;
        expect(REFUSAL_CODES, `${a} from ${s}`).toContain(v.reason);
      }
    }
  });

  it('a delivered order offers nothing: each action says the order has been delivered', () => {
    expect(orderActions('delivered')).toEqual({
      retry: { allowed: false, reason: 'delivered' },
      skip: { allowed: false, reason: 'delivered' },
      redownload: { allowed: false, reason: 'delivered' },
      cancel: { allowed: false, reason: 'delivered' },
    });
    expect(verdict('cancel', 'shipped')).toEqual({ allowed: false, reason: 'shipped' });
    expect(verdict('cancel', 'discovered')).toEqual({ allowed: false, reason: 'not_in_gelato' });
    expect(verdict('skip', 'in_production')).toEqual({ allowed: false, reason: 'in_gelato' });
  });

  it('every allowed retry, skip and cancel is a move the state machine allows', () => {
    const target: Partial<Record<OrderAction, OrderState>> = { retry: 'discovered', skip: 'skipped', cancel: 'canceled' };
    for (const a of ORDER_ACTIONS) {
      const to = target[a];
      if (!to) continue;
      for (const s of ORDER_STATES) if (actionAllowed(a, s)) expect(canTransition(s, to), `${a}: ${s} → ${to}`).toBe(true);
    }
  });

  it('a bulk action takes the orders that allow it and counts the others by reason', () => {
    const orders = [
      { id: 1, state: 'needs_attention' as const },
      { id: 2, state: 'delivered' as const },
      { id: 3, state: 'failed' as const },
      { id: 4, state: 'delivered' as const },
      { id: 5, state: 'files' as const },
    ];
    const r = bulkVerdict('retry', orders);
    expect(r.ids).toEqual([1, 3]);
    expect([...r.refused]).toEqual([
      ['delivered', 2],
      ['in_progress', 1],
    ]);
    expect(bulkVerdict('skip', orders).ids).toEqual([1, 3, 5]);
  });
});
