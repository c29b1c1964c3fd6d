import type { CheckResult } from '../../../shared/contract';

// One shape for every check a person reads (setup, checklist, doctor): what was
// checked, what was found, and — when something is wrong — what to do.

type Extra = { fix?: string; evidence?: unknown };

export const pass = (id: string, title: string, message: string, extra: Extra = {}): CheckResult => ({ id, ok: true, status: 'pass', title, message, ...extra });
export const fail = (id: string, title: string, message: string, fix: string, evidence?: unknown): CheckResult => ({
  id,
  ok: false,
  status: 'fail',
  title,
  message,
  fix,
  ...(evidence === undefined ? {} : { evidence }),
});
/** Works, but something deserves a look; does not fail the run. */
export const warn = (id: string, title: string, message: string, extra: Extra = {}): CheckResult => ({ id, ok: true, status: 'warn', title, message, ...extra });
/** Could not be checked (not configured, depends on an earlier failure, not available yet). */
export const skip = (id: string, title: string, message: string, extra: Extra = {}): CheckResult => ({ id, ok: true, status: 'skip', title, message, ...extra });

/** Runs a check; an unexpected exception becomes a failed result instead of failing the whole list. */
export async function guarded(id: string, title: string, fn: () => Promise<CheckResult | CheckResult[]> | CheckResult | CheckResult[]): Promise<CheckResult[]> {
  try {
    const r = await fn();
    return Array.isArray(r) ? r : [r];
  } catch (e) {
    return [fail(id, title, `The check itself could not run: ${(e as Error).message}`, 'Try again; if it keeps failing, send the diagnostics bundle to support.')];
  }
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Replaces every occurrence of a secret (raw or URL-encoded) in the results' text with "***". */
export function scrubSecrets<T>(value: T, secrets: (string | undefined | null)[]): T {
  const list = [...new Set(secrets.filter((s): s is string => !!s && s.length >= 4).flatMap((s) => [s, encodeURIComponent(s)]))].sort((a, b) => b.length - a.length);
  if (!list.length) return value;
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return list.reduce((acc, s) => acc.split(s).join('***'), v);
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]));
    return v;
  };
  return scrub(value) as T;
}
