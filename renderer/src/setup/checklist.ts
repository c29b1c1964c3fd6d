import type { CheckResult } from '../../../shared/contract';

// The checklist page leads with the one thing to do next, worked out from the latest results:
// a real store not activated yet → activate first (nothing is imported before it, so test
// orders placed in the store could not flow); no test orders yet → place them; a point failing
// → that point and its fix; all passing → done. Pure, so the rule is tested without a browser.

/** The engine's checklist ids and the renderer's (translated) names for them. */
export const CHECKLIST_POINTS = [
  ['test-orders-placed', 'place'],
  ['order-appears', 'verify'],
  ['files-transferred', 'files'],
  ['order-to-delivery', 'endToEnd'],
  ['shipping-tracking-in-infigo', 'tracking'],
  ['status-writer', 'writer'],
  ['postbacks-tested', 'postbacks'],
  ['mixed-orders', 'mixed'],
  ['checkout-shipping', 'shipping'],
  ['product-types', 'types'],
] as const;

export type PointKey = (typeof CHECKLIST_POINTS)[number][1];

export function pointKey(id: string): PointKey | null {
  return CHECKLIST_POINTS.find(([i]) => i === id)?.[1] ?? null;
}

export type NextAction =
  | { kind: 'loading' }
  | { kind: 'activate' }
  | { kind: 'place' }
  | { kind: 'fix'; result: CheckResult }
  | { kind: 'done' };

const settled = (r: CheckResult) => r.status === 'pass' || r.status === 'waived' || r.status === 'warn';

/** `activated`: whether the engine is live (false: test orders cannot flow yet); null when not known. */
export function nextAction(results: readonly CheckResult[] | null, activated: boolean | null = null): NextAction {
  if (activated === false) return { kind: 'activate' };
  if (!results) return { kind: 'loading' };
  const placed = results.find((r) => r.id === 'test-orders-placed');
  if (placed && !settled(placed)) return { kind: 'place' };
  const open = results.find((r) => !settled(r));
  return open ? { kind: 'fix', result: open } : { kind: 'done' };
}

/**
 * Runs `run` after engine events, at most one run at a time and at most one waiting: events
 * that arrive while a run is waiting or under way fold into the next one.
 */
export function coalescer(run: () => Promise<unknown>, delayMs: number) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let again = false;
  let stopped = false;
  const fire = async () => {
    timer = null;
    if (stopped) return;
    running = true;
    try {
      await run();
    } catch {
      // The run shows its own error.
    } finally {
      running = false;
      if (again && !stopped) {
        again = false;
        timer = setTimeout(() => void fire(), delayMs);
      }
    }
  };
  return {
    poke() {
      if (stopped) return;
      if (running) again = true;
      else if (!timer) timer = setTimeout(() => void fire(), delayMs);
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
