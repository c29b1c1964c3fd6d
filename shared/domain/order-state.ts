// The order state machine. Every engine transition goes through `canTransition`
// so that an illegal move (say, a late "in production" after "shipped") is
// refused in one place instead of being special-cased at each caller.

export const ORDER_STATES = [
  'discovered',
  'classified',
  'files',
  'submitting',
  'submitted',
  'in_production',
  'shipped',
  'delivered',
  'needs_attention',
  'skipped',
  'failed',
  'canceled',
  // Placed in Infigo before Presslink went live (the cut-over taken at activation): recorded,
  // never submitted unless a person sends it explicitly (docs/go-live.md).
  'before_go_live',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** States in which the pipeline still owes the order work. */
export const ACTIVE_STATES: readonly OrderState[] = ['discovered', 'classified', 'files', 'submitting'];
/** States after submission that back-sync still follows. */
export const OPEN_SUBMITTED_STATES: readonly OrderState[] = ['submitted', 'in_production', 'shipped'];
export const FINAL_STATES: readonly OrderState[] = ['delivered', 'skipped', 'canceled', 'before_go_live'];

const FORWARD: Record<OrderState, readonly OrderState[]> = {
  discovered: ['classified', 'needs_attention', 'skipped', 'canceled', 'before_go_live'],
  classified: ['files', 'submitting', 'needs_attention', 'skipped', 'canceled'],
  files: ['submitting', 'needs_attention', 'skipped', 'canceled'],
  submitting: ['submitted', 'needs_attention', 'failed', 'canceled'],
  submitted: ['in_production', 'shipped', 'delivered', 'failed', 'canceled', 'needs_attention'],
  in_production: ['shipped', 'delivered', 'failed', 'canceled', 'needs_attention'],
  shipped: ['delivered', 'needs_attention'],
  delivered: [],
  // From needs attention a retry resumes wherever the order had got to.
  needs_attention: ['discovered', 'classified', 'files', 'submitting', 'submitted', 'skipped', 'canceled', 'failed'],
  skipped: ['discovered'],
  failed: ['discovered', 'submitting', 'needs_attention', 'canceled', 'skipped'],
  canceled: [],
  // Only a person's explicit "send these older orders" moves it on.
  before_go_live: ['discovered'],
};

export function canTransition(from: OrderState, to: OrderState): boolean {
  return from === to || FORWARD[from].includes(to);
}

export const STATE_LABEL_KEYS: Record<OrderState, string> = Object.fromEntries(
  ORDER_STATES.map((s) => [s, `state.${s}`]),
) as Record<OrderState, string>;
