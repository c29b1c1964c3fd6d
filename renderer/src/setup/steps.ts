// The wizard's steps in order and what "done" means for them, kept apart from React so the
// rules can be tested on their own. The engine stores only the numbers of the steps done
// (setup.progress); every view of progress — the stepper's ticks, "N of 9 steps done", where
// the wizard opens — is computed here from that one list, except "Activate", whose done-ness
// is the engine's activation itself (engine.status().activatedAt): nothing is imported before
// it, so test orders placed in a real store can flow only after it (docs/go-live.md).

export const STEPS = ['welcome', 'infigo', 'gelato', 'orderTypes', 'products', 'shipping', 'statusUpdates', 'activate', 'testOrders'] as const;
export type StepName = (typeof STEPS)[number];
export const STEP_COUNT = STEPS.length;

/** 1-based step number, as the engine stores it. */
export function stepNumber(name: StepName): number {
  return STEPS.indexOf(name) + 1;
}

export function stepName(n: number): StepName {
  return STEPS[Math.min(STEP_COUNT, Math.max(1, Math.trunc(n))) - 1] ?? 'welcome';
}

export function isStepName(v: string | null | undefined): v is StepName {
  return !!v && (STEPS as readonly string[]).includes(v);
}

/** The engine's list cleaned up: known step numbers only, each once, in order. */
export function normaliseDone(completed: readonly number[] | null | undefined): number[] {
  return [...new Set((completed ?? []).filter((n) => Number.isInteger(n) && n >= 1 && n <= STEP_COUNT))].sort((a, b) => a - b);
}

/** Marks one step done or not done; the other steps keep their state. */
export function setDone(completed: readonly number[], step: number, done: boolean): number[] {
  const rest = normaliseDone(completed).filter((n) => n !== step);
  return done ? normaliseDone([...rest, step]) : rest;
}

/** Where the wizard opens: the first step not done, or the last step when every step is done. */
export function firstNotDone(completed: readonly number[]): number {
  const done = new Set(normaliseDone(completed));
  for (let n = 1; n <= STEP_COUNT; n++) if (!done.has(n)) return n;
  return STEP_COUNT;
}

/** The Activate step's number. */
export const ACTIVATE_STEP = STEPS.indexOf('activate') + 1;

/**
 * The steps done as every view shows them: the stored list, with "Activate" done exactly when
 * the engine is activated. `activated` null = not known yet (the list is taken as it is).
 */
export function withActivation(completed: readonly number[] | null | undefined, activated: boolean | null): number[] {
  const list = normaliseDone(completed);
  return activated === null ? list : setDone(list, ACTIVATE_STEP, activated);
}
