import { ConfigSchema } from '../../../../shared/config';
import type { Cfg } from '../../api/config';
import { sameSlice } from '../../setup/connection';
import { issuesToErrors, type FieldErrors } from '../../setup/fieldErrors';
import { STEPS, type StepName } from '../../setup/steps';
import { gelatoRules } from './gelato.rules';
import { infigoRules } from './infigo.rules';
import { orderTypesRules } from './orderTypes.rules';
import { shippingRules } from './shipping.rules';
import { statusUpdatesRules } from './statusUpdates.rules';
import type { StepRules } from './types';

// How the wizard saves. A step validates only its own fields; the configuration is saved as a
// whole, but only once it is complete: the stores of step 2 need their GelatoConnect customer
// from step 3, so step 2's fields wait in the wizard and are saved with step 3. Saving writes
// only the parts of the steps being saved onto the latest saved config, so what another window,
// the mapping editor or the CLI saved meanwhile is kept.

export const RULES: Partial<Record<StepName, StepRules>> = {
  infigo: infigoRules as StepRules,
  gelato: gelatoRules as StepRules,
  orderTypes: orderTypesRules as StepRules,
  shipping: shippingRules as StepRules,
  statusUpdates: statusUpdatesRules as StepRules,
};

const order = (a: StepName, b: StepName) => STEPS.indexOf(a) - STEPS.indexOf(b);

/** The first step that edits a config path; null for parts no step edits (files, sync, …). */
export function ownerOf(path: string): StepName | null {
  for (const s of STEPS) if (RULES[s]?.owns(path)) return s;
  return null;
}

/** Writes the given steps' parts of `from` onto `base`, in step order. */
export function rebase(base: Cfg, from: Cfg, steps: Iterable<StepName>): Cfg {
  let out = base;
  for (const s of [...new Set(steps)].sort(order)) {
    const r = RULES[s];
    if (r) out = r.put(out, r.pick(from));
  }
  return out;
}

/** True when the step's part of `draft` differs from `reference`'s. */
export function isDirty(step: StepName, draft: Cfg | null, reference: Cfg | null): boolean {
  const r = RULES[step];
  if (!r || !draft || !reference) return false;
  return !sameSlice(r.pick(draft), r.pick(reference));
}

export type SavePlan =
  /** Save this config; it holds the given steps' parts. */
  | { kind: 'save'; config: Cfg; steps: StepName[] }
  /** Valid so far, but the config is not complete before these later steps are filled in. */
  | { kind: 'wait'; waitingFor: StepName[] }
  /** Something this step or an earlier one owns is wrong: errors by step. */
  | { kind: 'blocked'; errors: Partial<Record<StepName | 'other', FieldErrors>> };

/**
 * What "Save and continue" on `current` does, given the latest saved config, the wizard's
 * draft and the earlier steps whose parts wait to be saved (`waiting`).
 */
export function planSave(latest: Cfg, draft: Cfg, current: StepName, waiting: readonly StepName[]): SavePlan {
  const steps = [...new Set([...waiting, current])].filter((s) => RULES[s]).sort(order);
  const config = rebase(latest, draft, steps);
  const r = ConfigSchema.safeParse(config);
  if (r.success) return { kind: 'save', config, steps };
  const errors = issuesToErrors(r.error.issues, config);
  const byStep: Partial<Record<StepName | 'other', FieldErrors>> = {};
  const later = new Set<StepName>();
  for (const [path, e] of Object.entries(errors)) {
    const owner = ownerOf(path);
    if (owner && order(owner, current) > 0) {
      later.add(owner);
      continue;
    }
    const key = owner ?? 'other';
    byStep[key] = { ...(byStep[key] ?? {}), [path]: e };
  }
  if (Object.keys(byStep).length) return { kind: 'blocked', errors: byStep };
  return { kind: 'wait', waitingFor: [...later].sort(order) };
}
