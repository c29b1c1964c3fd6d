import { parseConfig, type ConfigParse, type ConfigProblem } from '../../../shared/config';
import type { Msg } from '../../../shared/messages/index';
import { textOf } from '../i18n';

// Problems with a configuration, in the engine's words: each carries its message (shared/
// messages) and, as `message`, that message's English — shared/config.ts cannot render the
// catalogue (it is pure), so the engine fills the English in here for every problem it sends.

/** A problem at a path, as a message and its English. */
export function problem(path: string, m: Msg): ConfigProblem {
  return { path, message: textOf(m), msg: m };
}

/** Problems with their English taken from their message where they have one. */
export function worded(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.map((p) => (p.msg ? { ...p, message: textOf(p.msg) } : p));
}

/** parseConfig, its problems worded by the engine. */
export function parseConfigWorded(input: unknown): ConfigParse {
  const r = parseConfig(input);
  return r.ok ? r : { ok: false, problems: worded(r.problems) };
}
