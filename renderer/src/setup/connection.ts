import type { CheckResult } from '../../../shared/contract';
import { checkMessage, checkTitle } from '../i18n/engine-text';

// A connection step (Infigo, GelatoConnect, the public address or bucket) is done only when its check passed for exactly the
// values being saved. Results are kept per fingerprint of the inputs: change a field and the
// old results no longer describe it — they are not shown, and saving asks for a new check.

export type CheckRun = { state: 'running' } | { state: 'done'; results: CheckResult[] } | { state: 'error'; message: string };

export type Verdict = 'unchecked' | 'running' | 'pass' | 'fail';

/** What is checked for one connection: the call and the exact input it gets. */
export interface ConnectionSpec {
  /** Stable within the step ("store-0", "customer-1"): which connection, whatever its values. */
  id: string;
  /** Shown to the person: the store's name, "GelatoConnect", … */
  label: string;
  call: 'setup.checkInfigo' | 'setup.checkGelato' | 'setup.checkDelivery';
  input: Record<string, unknown>;
}

function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, stable(x)]),
    );
  }
  return v;
}

/** The same inputs give the same fingerprint, whatever the key order. */
export function fingerprint(spec: Pick<ConnectionSpec, 'call' | 'input'>): string {
  return `${spec.call}:${JSON.stringify(stable(spec.input))}`;
}

export function verdict(run: CheckRun | undefined): Verdict {
  if (!run) return 'unchecked';
  if (run.state === 'running') return 'running';
  if (run.state === 'error') return 'fail';
  return run.results.some((r) => !r.ok) ? 'fail' : 'pass';
}

/** The failures of a run, as "title: message", for the "save anyway?" question. */
export function failureReasons(run: CheckRun | undefined): string[] {
  if (!run || run.state === 'running') return [];
  if (run.state === 'error') return [run.message];
  return run.results.filter((r) => !r.ok).map((r) => `${checkTitle(r)}: ${checkMessage(r)}`);
}

/** Deep equality of two config slices, ignoring key order and absent-vs-undefined. */
export function sameSlice(a: unknown, b: unknown): boolean {
  return JSON.stringify(stable(a)) === JSON.stringify(stable(b));
}
