import type { OrderState } from './order-state';

/**
 * Which of a person's actions on an order (retry, skip, fetch the files again, cancel in
 * GelatoConnect) its state allows, and for each one it does not, why.
 *
 * Why a module of its own: the order log offered Retry, Skip and Cancel on a delivered order,
 * and Retry then answered "Retried: 0". The engine already refused what the state machine does
 * not allow, but the UI could not know that in advance nor say why. One pure table now answers
 * both: the drawer and the bulk bar offer only what is allowed and say why the rest is not (in
 * the UI's language, from the reason code), and the engine's handlers can refuse by the same
 * rules (`electron/core/handlers/orders.ts` has the same lists today; the lead moves it onto this).
 *
 * The rules, as the engine applies them:
 * - retry: from needs attention, skipped or failed (a failed order gets a new reference);
 * - skip: from needs attention, failed, or before submission (discovered, classified, files);
 * - redownload: from needs attention, failed, files or skipped;
 * - cancel: from submitted or in production (GelatoConnect accepts a cancel until it ships).
 */

export const ORDER_ACTIONS = ['retry', 'skip', 'redownload', 'cancel'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/** Why an action is not offered. Each code has a sentence in the renderer's languages (order.why.<code>). */
export const REFUSAL_CODES = [
  /** Presslink is working on it now (discovered, classified, files): the next sync takes it on. */
  'in_progress',
  /** It is being submitted to GelatoConnect at this moment. */
  'submitting',
  /** GelatoConnect has it and is producing it (submitted, in production). */
  'in_gelato',
  /** It has left the printer. */
  'shipped',
  'delivered',
  'canceled',
  /** Skip: it is skipped already. */
  'already_skipped',
  /** Cancel: it never reached GelatoConnect, so there is nothing to cancel there (skip it instead). */
  'not_in_gelato',
  /** Cancel: GelatoConnect failed it; nothing is being produced. */
  'failed_in_gelato',
  /** Cancel: it is held by Presslink; retry or skip it first. */
  'on_hold',
  /** Redownload: its files have not been fetched yet. */
  'no_files_yet',
  /** Placed before Presslink went live: it is produced only when a person sends it ("Send older orders"). */
  'before_go_live',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export type ActionVerdict = { allowed: true } | { allowed: false; reason: RefusalCode };

const ALLOWED: Record<OrderAction, readonly OrderState[]> = {
  retry: ['needs_attention', 'skipped', 'failed'],
  skip: ['needs_attention', 'failed', 'discovered', 'classified', 'files'],
  redownload: ['needs_attention', 'failed', 'files', 'skipped'],
  cancel: ['submitted', 'in_production'],
};

/** The reason for each state in which an action is not allowed. */
const REFUSED: { [A in OrderAction]: Partial<Record<OrderState, RefusalCode>> } = {
  retry: {
    before_go_live: 'before_go_live',
    discovered: 'in_progress',
    classified: 'in_progress',
    files: 'in_progress',
    submitting: 'submitting',
    submitted: 'in_gelato',
    in_production: 'in_gelato',
    shipped: 'shipped',
    delivered: 'delivered',
    canceled: 'canceled',
  },
  skip: {
    before_go_live: 'before_go_live',
    submitting: 'submitting',
    submitted: 'in_gelato',
    in_production: 'in_gelato',
    shipped: 'shipped',
    delivered: 'delivered',
    skipped: 'already_skipped',
    canceled: 'canceled',
  },
  redownload: {
    before_go_live: 'no_files_yet',
    discovered: 'no_files_yet',
    classified: 'no_files_yet',
    submitting: 'submitting',
    submitted: 'in_gelato',
    in_production: 'in_gelato',
    shipped: 'shipped',
    delivered: 'delivered',
    canceled: 'canceled',
  },
  cancel: {
    before_go_live: 'not_in_gelato',
    discovered: 'not_in_gelato',
    classified: 'not_in_gelato',
    files: 'not_in_gelato',
    skipped: 'not_in_gelato',
    submitting: 'submitting',
    needs_attention: 'on_hold',
    failed: 'failed_in_gelato',
    shipped: 'shipped',
    delivered: 'delivered',
    canceled: 'canceled',
  },
};

export function actionAllowed(action: OrderAction, state: OrderState): boolean {
  return ALLOWED[action].includes(state);
}

export function verdict(action: OrderAction, state: OrderState): ActionVerdict {
  if (actionAllowed(action, state)) return { allowed: true };
  const reason = REFUSED[action][state];
  // Every (action, state) pair is either allowed or has a reason; the unit test walks them all.
  if (!reason) throw new Error(`order-actions: no rule for ${action} from ${state}`);
  return { allowed: false, reason };
}

/** Every action's verdict for an order in `state`. */
export function orderActions(state: OrderState): Record<OrderAction, ActionVerdict> {
  return Object.fromEntries(ORDER_ACTIONS.map((a) => [a, verdict(a, state)])) as Record<OrderAction, ActionVerdict>;
}

/** For a selection of orders: which of them an action applies to, and why the others are left out. */
export function bulkVerdict(action: OrderAction, orders: readonly { id: number; state: OrderState }[]): { ids: number[]; refused: Map<RefusalCode, number> } {
  const ids: number[] = [];
  const refused = new Map<RefusalCode, number>();
  for (const o of orders) {
    const v = verdict(action, o.state);
    if (v.allowed) ids.push(o.id);
    else refused.set(v.reason, (refused.get(v.reason) ?? 0) + 1);
  }
  return { ids, refused };
}
