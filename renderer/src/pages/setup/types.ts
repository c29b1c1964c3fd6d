import type { Dispatch, SetStateAction } from 'react';
import type { Cfg } from '../../api/config';
import type { ConnectionSpec } from '../../setup/connection';
import type { FieldErrors } from '../../setup/fieldErrors';
import type { StepName } from '../../setup/steps';

// What a step file gives the wizard shell. A step that edits the configuration says which part
// of it is its own (pick/put), how that part is validated (validate), which config paths it
// answers for (owns — so a problem anywhere in the config is shown on the step that can fix it)
// and, for a connection, what to check before it counts as done.

export type Store = NonNullable<Cfg['stores']>[number];
export type Gelato = NonNullable<Cfg['gelato']>;

export interface StepRules<S = unknown> {
  name: StepName;
  /** The step's own part of the config; the step has unsaved changes when this differs from the saved one. */
  pick(cfg: Cfg): S;
  /** Writes the step's part into a config (to save it onto the latest config, or to discard edits). */
  put(cfg: Cfg, slice: S): Cfg;
  /** Errors by config path, in plain words; empty when the step's fields are valid. */
  validate(cfg: Cfg): FieldErrors;
  /** True for a config path ("stores[0].infigo.baseUrl") that this step edits. */
  owns(path: string): boolean;
  /** The connections to check before the step counts as done. */
  connections?(cfg: Cfg): ConnectionSpec[];
}

/** What the shell gives a step component. */
export interface StepProps {
  draft: Cfg;
  setDraft: (f: (d: Cfg) => Cfg) => void;
  /** Errors to show next to fields: empty until the person first tries to continue. */
  errors: FieldErrors;
  /** Errors a step finds in what it keeps outside the config (e.g. half-filled table rows). */
  setLocalErrors: Dispatch<SetStateAction<FieldErrors>>;
  /** Saves this step's part now (as "Save and continue" would, without moving on); false when it could not. */
  saveNow: () => Promise<boolean>;
  /** Goes to another step (asking first about unsaved changes). */
  goTo: (step: number) => void;
}
