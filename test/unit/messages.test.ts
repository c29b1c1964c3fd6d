import { describe, expect, it as test } from 'vitest';
import { en } from '../../shared/messages/en';
import { it } from '../../shared/messages/it';
import { msg } from '../../shared/messages/index';
import { cliLanguage, renderMsg } from '../../electron/core/i18n';

// The engine's message catalogue: every English message has an Italian one that
// uses the same placeholders (a missing key does not even compile: it.ts is typed
// from en.ts), and messages render in both languages, nested ones too.

type Tree = { [k: string]: string | Tree };

function leaves(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    if (typeof v === 'string') out.set(`${prefix}${k}`, v);
    else for (const [kk, vv] of leaves(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]).sort();

describe('engine message catalogue', () => {
  const enLeaves = leaves(en as unknown as Tree);
  const itLeaves = leaves(it as unknown as Tree);

  test('has the same keys in English and Italian, none empty', () => {
    expect([...itLeaves.keys()].sort()).toEqual([...enLeaves.keys()].sort());
    for (const [k, v] of [...enLeaves, ...itLeaves]) expect(v.trim(), k).not.toBe('');
  });

  test('uses the same placeholders in both languages', () => {
    for (const [k, v] of enLeaves) expect(placeholders(itLeaves.get(k) ?? ''), k).toEqual(placeholders(v));
  });

  test('renders a message, and a message inside its parameters, in each language', () => {
    const m = msg('common.store', { store: 'acme' });
    expect(renderMsg(m)).toBe('store acme');
    expect(renderMsg(m, 'it')).toBe('negozio acme');
    const nested = msg('orders.skipReason', { reason: msg('orders.noReasonGiven') });
    expect(renderMsg(nested)).toBe('Skipped: no reason given');
    expect(renderMsg(nested, 'it')).toBe('Saltato: nessun motivo indicato');
    // Plural forms follow {{count}}; a moment is formatted in the language.
    expect(renderMsg(msg('health.cause.attention', { count: 1 }))).toBe('1 order needs attention.');
    expect(renderMsg(msg('health.cause.attention', { count: 3 }), 'it')).toBe('3 ordini da controllare.');
    const overdue = msg('health.cause.overdue', { at: '2026-03-02T10:05:00Z' });
    expect(renderMsg(overdue)).not.toContain('2026-03-02T');
    expect(renderMsg(overdue, 'it')).toMatch(/02\/03\/26/);
  });

  test('the command line follows --lang, else the locale', () => {
    expect(cliLanguage('it', {})).toBe('it');
    expect(cliLanguage(undefined, { LANG: 'it_IT.UTF-8' })).toBe('it');
    expect(cliLanguage(undefined, { LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(cliLanguage('en', { LANG: 'it_IT.UTF-8' })).toBe('en');
  });
});
