import { create } from 'zustand';
import type { Cfg } from '../../api/config';
import { fingerprint, type CheckRun, type ConnectionSpec } from '../../setup/connection';
import { STEPS, normaliseDone, type StepName } from '../../setup/steps';
import { api } from '../../store/engine';
import { isDirty, rebase, RULES } from './plan';
import { callErrorText } from '../../i18n/engine-text';

// The wizard's working state, outside React so it outlives the page: leave the wizard for the
// dashboard and come back, and the store typed in step 2 (not saved until step 3 completes
// the config) and every check result are still there. Secrets typed here live in memory only;
// they reach disk only through config.save, which moves them into the secret store.

export interface WizardState {
  /** The config as the engine last returned it. */
  saved: Cfg | null;
  /** What the steps edit. */
  draft: Cfg | null;
  loadError: unknown;
  /** Steps confirmed with "Continue" whose parts wait for a later step before the config can be saved. */
  waiting: StepName[];
  /** Each waiting step's part as it was confirmed: later edits to it are unsaved changes. */
  confirmed: Partial<Record<StepName, Cfg>>;
  /** Steps continued past with a failing connection check ("save anyway"): not done until checked again. */
  unverified: StepName[];
  /** Check results by input fingerprint. */
  runs: Record<string, CheckRun>;
  /** The fingerprint last checked per connection ("infigo:store-0"), to say "changed since the check". */
  lastChecked: Record<string, string>;
  /** Steps done (1-based), as the engine keeps them. Null until loaded. */
  done: number[] | null;
  /** Steps on which the person tried to continue: their errors are shown from then on, live. */
  tried: StepName[];
}

const initial: WizardState = {
  saved: null,
  draft: null,
  loadError: null,
  waiting: [],
  confirmed: {},
  unverified: [],
  runs: {},
  lastChecked: {},
  done: null,
  tried: [],
};

export const useWizard = create<WizardState>()(() => initial);

const set = useWizard.setState;
const get = useWizard.getState;

/** The reference a step's edits are compared with: what was confirmed for a waiting step, else what is saved. */
export function referenceFor(step: StepName, s: WizardState = get()): Cfg | null {
  return s.confirmed[step] ?? s.saved;
}

export function hasUnsavedChanges(step: StepName, s: WizardState = get()): boolean {
  return isDirty(step, s.draft, referenceFor(step, s));
}

/**
 * Loads the saved config and the progress. Edits made on an earlier visit and not saved are
 * carried onto the freshly loaded config (only the steps that changed, so what was saved
 * elsewhere meanwhile is kept).
 */
export async function loadWizard(): Promise<number[]> {
  try {
    const [c, p] = await Promise.all([api.call('config.get', {}), api.call('setup.progress', {})]);
    const fresh = (c.config ?? {}) as Cfg;
    const s = get();
    const carry = s.draft && s.saved ? STEPS.filter((st) => isDirty(st, s.draft, s.saved)) : [];
    const draft = s.draft && carry.length ? rebase(fresh, s.draft, carry) : fresh;
    const done = normaliseDone(p.completed);
    set({ saved: fresh, draft, done, loadError: null });
    return done;
  } catch (e) {
    set({ loadError: e });
    throw e;
  }
}

/** After a save: the engine's config becomes both saved and draft; nothing waits any more. */
export function savedNow(config: Cfg, steps: readonly StepName[]): void {
  const s = get();
  const confirmed = { ...s.confirmed };
  for (const st of steps) delete confirmed[st];
  set({ saved: config, draft: config, waiting: s.waiting.filter((w) => !steps.includes(w)), confirmed });
}

export function setDraft(f: (d: Cfg) => Cfg): void {
  set((s) => ({ draft: f(s.draft ?? {}) }));
}

export function markTried(step: StepName): void {
  set((s) => (s.tried.includes(step) ? s : { tried: [...s.tried, step] }));
}

export function setUnverified(step: StepName, on: boolean): void {
  set((s) => ({ unverified: on ? [...new Set([...s.unverified, step])] : s.unverified.filter((x) => x !== step) }));
}

/** Keeps a step's part in the wizard until a later step makes the config complete. */
export function wait(step: StepName): void {
  set((s) => ({
    waiting: s.waiting.includes(step) ? s.waiting : [...s.waiting, step],
    confirmed: { ...s.confirmed, [step]: s.draft ?? {} },
  }));
}

/** Drops a step's unsaved edits: back to what was confirmed or saved. */
export function discard(step: StepName): void {
  const s = get();
  const ref = referenceFor(step, s);
  const r = RULES[step];
  if (!s.draft || !ref || !r) return;
  set({ draft: r.put(s.draft, r.pick(ref)) });
}

/** Persists which steps are done (and, for the engine's older readers, the current step). */
export async function saveDone(done: number[], current: number): Promise<void> {
  set({ done });
  await api.call('setup.saveProgress', { step: current, completed: done });
}

export function connectionKey(step: StepName, spec: ConnectionSpec): string {
  return `${step}:${spec.id}`;
}

/** Runs one connection check; a new run replaces the results of the earlier one for the same inputs. */
export async function runCheck(step: StepName, spec: ConnectionSpec): Promise<CheckRun> {
  const fp = fingerprint(spec);
  set((s) => ({ runs: { ...s.runs, [fp]: { state: 'running' } }, lastChecked: { ...s.lastChecked, [connectionKey(step, spec)]: fp } }));
  let run: CheckRun;
  try {
    const results = await api.call(spec.call, spec.input as never);
    run = { state: 'done', results };
  } catch (e) {
    run = { state: 'error', message: callErrorText(e) };
  }
  set((s) => ({ runs: { ...s.runs, [fp]: run } }));
  return run;
}

export function runFor(spec: ConnectionSpec, s: WizardState = get()): CheckRun | undefined {
  return s.runs[fingerprint(spec)];
}

/** For tests of the page and for "Try with the sandbox": forget everything typed. */
export function resetWizard(): void {
  set(initial);
}
