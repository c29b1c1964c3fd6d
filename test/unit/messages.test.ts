import { describe, expect, it as test } from 'vitest';
import { en } from '../../shared/messages/en';
import { it } from '../../shared/messages/it';
import { list, mapMsgText, msg } from '../../shared/messages/index';
import { cliLanguage, renderMsg } from '../../electron/core/i18n';
import i18next from '../../renderer/src/i18n/index';
import { callErrorText, checkFix, checkMessage, checkTitle, engineText, fileErrorText, olderNoteTexts } from '../../renderer/src/i18n/engine-text';
import { CallError } from '../../shared/contract';
import { ORDER_STATES } from '../../shared/domain/order-state';
import { GELATO_STATUSES } from '../../shared/domain/gelato';
import { ATTENTION_MARKERS } from '../../electron/core/backsync/push';

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

// i18next's plural forms are sibling keys; a message names their stem.
const PLURAL = /_(zero|one|two|few|many|other)$/;
const stem = (k: string) => k.replace(PLURAL, '');
function pluralForms(keys: Iterable<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of keys) {
    const m = PLURAL.exec(k);
    if (m) out.set(stem(k), [...(out.get(stem(k)) ?? []), m[1]!].sort());
  }
  return out;
}

describe('engine message catalogue', () => {
  const enLeaves = leaves(en as unknown as Tree);
  const itLeaves = leaves(it as unknown as Tree);

  test('has the same messages in English and Italian (a plural one counts once, whatever its forms), none empty', () => {
    const stems = (m: Map<string, string>) => [...new Set([...m.keys()].map(stem))].sort();
    expect(stems(itLeaves)).toEqual(stems(enLeaves));
    expect([...pluralForms(itLeaves.keys()).keys()].sort()).toEqual([...pluralForms(enLeaves.keys()).keys()].sort());
    for (const [k, v] of [...enLeaves, ...itLeaves]) expect(v.trim(), k).not.toBe('');
  });

  test('every plural message has each form its language needs, and no other (i18next shows nothing for a missing one)', () => {
    for (const [lang, leaves] of [['en', enLeaves], ['it', itLeaves]] as const) {
      const needed = [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort();
      for (const [k, forms] of pluralForms(leaves.keys())) expect(forms, `${lang} ${k}`).toEqual(needed);
    }
    expect(renderMsg(msg('health.cause.attention', { count: 1_000_000 }), 'it')).toBe('1000000 ordini da controllare.');
  });

  test('counts are plural forms, not "order(s)"', () => {
    const bad = [...enLeaves, ...itLeaves].filter(([, v]) => /\w\((s|i|e|o|a|es)\)/.test(v)).map(([k, v]) => `${k}: ${v}`);
    expect(bad).toEqual([]);
  });

  test('no Italian message is the English one copied: equal texts hold only placeholders and words both languages use', () => {
    // Words Italian uses as they are (names, units, protocol words).
    const SHARED = new Set(['GelatoConnect', 'HTTP', 'SKU', 'postback', 'min', 'KB', 'MB', 'GB']);
    const copied = [...enLeaves]
      .filter(([k, v]) => itLeaves.get(k) === v)
      .filter(([, v]) => (v.replace(/\{\{[^}]*\}\}/g, ' ').match(/[A-Za-z]{3,}/g) ?? []).some((w) => !SHARED.has(w)))
      .map(([k, v]) => `${k}: ${v}`);
    expect(copied).toEqual([]);
  });

  test('every order state, GelatoConnect status and timeline kind the engine writes by rule has words in both languages', () => {
    const has = (m: Map<string, string>, k: string) => m.has(k) || m.has(`${k}_other`);
    const keys = [
      ...ORDER_STATES.map((st) => `state.${st}`),
      ...GELATO_STATUSES.flatMap((st) => [`gelatoStatus.${st}`, `timeline.gelato_${st}`]),
      // A GelatoConnect side exit after the goods left is recorded as gelato_<status>_after_<state>.
      ...['failed', 'canceled'].flatMap((st) => ['shipped', 'delivered'].map((state) => `timeline.gelato_${st}_after_${state}`)),
      ...ATTENTION_MARKERS.map((code) => `timeline.${code}`),
    ];
    for (const k of keys) {
      expect(has(enLeaves, k), `${k} in English`).toBe(true);
      expect(has(itLeaves, k), `${k} in Italian`).toBe(true);
    }
  });

  test('Italian says "la sandbox" (feminine)', () => {
    const bad = [...itLeaves].filter(([, v]) => /\b(il|nel|del|al|dal|sul|un|lo) sandbox/i.test(v)).map(([k, v]) => `${k}: ${v}`);
    expect(bad).toEqual([]);
  });

  test('uses the same placeholders in both languages', () => {
    // A plural form is compared with the other language's "other" form.
    const counterpart = (m: Map<string, string>, k: string) => m.get(k) ?? m.get(`${stem(k)}_other`) ?? '';
    for (const [k, v] of enLeaves) expect(placeholders(counterpart(itLeaves, k)), k).toEqual(placeholders(v));
    for (const [k, v] of itLeaves) expect(placeholders(v), k).toEqual(placeholders(counterpart(enLeaves, k)));
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

  test('a list parameter is joined the way each language joins lists, its items rendered in that language', () => {
    const reasons = list([msg('orders.noReasonGiven'), 'a service said no', msg('common.store', { store: 'acme' })]);
    const m = msg('orders.skipReason', { reason: reasons });
    expect(renderMsg(m)).toBe('Skipped: no reason given, a service said no, and store acme');
    expect(renderMsg(m, 'it')).toBe('Saltato: nessun motivo indicato, a service said no e negozio acme');
    expect(renderMsg(msg('orders.skipReason', { reason: list(['a, b', 'c'], 'clauses') }), 'it')).toBe('Saltato: a, b; c');
    expect(renderMsg(msg('orders.skipReason', { reason: list(['A.', 'B.'], 'sentences') }))).toBe('Skipped: A. B.');
    expect(renderMsg(msg('orders.skipReason', { reason: list([1001, 1002], 'comma') }))).toBe('Skipped: 1001, 1002');
    expect(renderMsg(msg('orders.skipReason', { reason: list(['x', 'y'], 'or') }), 'it')).toBe('Saltato: x o y');
    // Lists and messages nest: a list of messages whose own parameters are lists.
    const nested = list([msg('orders.skipReason', { reason: list(['p', 'q']) })], 'clauses');
    expect(renderMsg(msg('orders.skipReason', { reason: nested }), 'it')).toBe('Saltato: Saltato: p e q');
  });

  test('the renderer shows a message in the UI language, plural messages too, and text where there is no message', () => {
    void i18next.changeLanguage('en');
    expect(engineText(null, msg('health.cause.attention', { count: 3 }))).toBe('3 orders need attention.');
    expect(engineText('fallback', msg('orders.skipReason', { reason: list(['a', 'b']) }))).toBe('Skipped: a and b');
    void i18next.changeLanguage('it');
    expect(engineText(null, msg('health.cause.attention', { count: 1 }))).toBe('1 ordine da controllare.');
    expect(engineText('3 orders need attention.', msg('health.cause.attention', { count: 3 }))).toBe('3 ordini da controllare.');
    expect(engineText('fallback', msg('orders.skipReason', { reason: list(['a', 'b']) }))).toBe('Saltato: a e b');
    expect(engineText('written by an older Presslink', null)).toBe('written by an older Presslink');
    void i18next.changeLanguage('en');
  });

  test('the renderer shows check results and refused calls from their messages, in the UI language', () => {
    void i18next.changeLanguage('it');
    const r = { id: 'x', ok: false, status: 'fail' as const, title: 'Store address', message: 'No store address was entered.', fix: 'fallback fix', msgs: { title: msg('setupInfigo.title.url'), message: msg('setupInfigo.url.empty') } };
    expect(checkTitle(r)).toBe('Indirizzo del negozio');
    expect(checkMessage(r)).toBe("Non è stato inserito l'indirizzo del negozio.");
    expect(checkFix(r)).toBe('fallback fix'); // no message for it: the text as it came
    expect(callErrorText(new CallError('not_found', 'There is no order 7.', undefined, msg('orders.notFound', { id: 7 })))).toBe("Non esiste l'ordine 7.");
    expect(callErrorText(new Error('plain'))).toBe('plain');
    void i18next.changeLanguage('en');
  });

  test("the renderer's helpers for pass B's fields show the message in the UI language, else the text", () => {
    void i18next.changeLanguage('it');
    const tooBig = msg('download.tooLarge', { size: msg('units.mb', { n: 2.4 }), limit: msg('units.mbWhole', { n: 1 }) });
    expect(fileErrorText({ error: 'The print file is 2.4 MB…', errorMsg: tooBig })).toBe('Il file di stampa pesa 2,4 MB, più del limite di 1 MB per un file di stampa; non è stato scaricato.');
    expect(fileErrorText({ error: 'written by an older Presslink', errorMsg: null })).toBe('written by an older Presslink');
    expect(olderNoteTexts({ notes: ['Order 7 was placed on 2026-01-02.'], noteMsgs: [msg('golive.previewOld', { order: 7, placed: '2026-01-02' })] })).toEqual(["L'ordine 7 è stato fatto il 2026-01-02."]);
    void i18next.changeLanguage('en');
  });

  test('a message can be scrubbed param by param, nested messages and lists included, keys untouched', () => {
    const m = msg('orders.skipReason', { reason: list([msg('common.store', { store: 'tok-SECRET' }), 'SECRET here', 3]) });
    const out = mapMsgText(m, (s) => s.split('SECRET').join('***'));
    expect(JSON.stringify(out)).not.toContain('SECRET');
    expect(renderMsg(out)).toBe('Skipped: store tok-***, *** here, and 3');
  });

  test('the command line follows --lang, else the locale', () => {
    expect(cliLanguage('it', {})).toBe('it');
    expect(cliLanguage(undefined, { LANG: 'it_IT.UTF-8' })).toBe('it');
    expect(cliLanguage(undefined, { LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(cliLanguage('en', { LANG: 'it_IT.UTF-8' })).toBe('en');
  });
});
