import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORDER_STATES } from '../../shared/domain/order-state';
import en from '../../renderer/src/i18n/en.json';
import itRes from '../../renderer/src/i18n/it.json';

function flatten(obj: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === 'object') for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
      else out.set(key, v);
    }
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

const enKeys = flatten(en);
const itKeys = flatten(itRes);

// i18next plurals: `key_one`, `key_other` … per the language's plural rules (Intl.PluralRules),
// asked for in code as t('key', { count }).
const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (k: string) => k.replace(PLURAL, '');
/** Each key as code asks for it: plural forms folded into their base key. */
const baseKeys = (keys: Map<string, unknown>) => new Set([...keys.keys()].map(base));
/** The plural forms present per base key. */
function pluralForms(keys: Map<string, unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of keys.keys()) {
    const m = PLURAL.exec(k);
    if (m) out.set(base(k), [...(out.get(base(k)) ?? []), m[1]!].sort());
  }
  return out;
}

describe('renderer translations', () => {
  it('English and Italian have exactly the same keys (a plural key counts once, whatever its forms)', () => {
    const enBase = baseKeys(enKeys);
    const itBase = baseKeys(itKeys);
    const onlyEn = [...enBase].filter((k) => !itBase.has(k));
    const onlyIt = [...itBase].filter((k) => !enBase.has(k));
    expect({ onlyEn, onlyIt }).toEqual({ onlyEn: [], onlyIt: [] });
    // A key is plural in both languages or in neither.
    expect([...pluralForms(enKeys).keys()].sort()).toEqual([...pluralForms(itKeys).keys()].sort());
  });

  it('every plural key has each form its language needs, and no other', () => {
    for (const [lang, keys] of [['en', enKeys], ['it', itKeys]] as const) {
      // i18next picks the form by Intl.PluralRules; a missing one falls back to no text at all
      // (Italian has a "many" form, chosen for 1,000,000).
      const needed = [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort();
      for (const [k, forms] of pluralForms(keys)) expect(forms, `${lang} ${k}`).toEqual(needed);
      // A plural key has no plain form beside its plural ones.
      for (const k of pluralForms(keys).keys()) expect(keys.has(k), `${lang} ${k}`).toBe(false);
    }
  });

  it('counts are written with plural forms, not "(s)"', () => {
    const bad = [...enKeys].filter(([, v]) => /\(s\)/.test(String(v))).map(([k, v]) => `${k}: ${String(v)}`);
    expect(bad).toEqual([]);
    const badIt = [...itKeys].filter(([, v]) => /\w\((i|e|o|a)\)/.test(String(v))).map(([k, v]) => `${k}: ${String(v)}`);
    expect(badIt).toEqual([]);
  });

  it('a number is not followed by a noun that would need a plural form (use _one/_other, or "Label: n")', () => {
    // Placeholders that carry a count; "{{minutes}} minutes" reads "1 minutes" when it is 1.
    const number = /\{\{\s*(count|n|total|done|pass|fail|warn|skip|waived|submitted|attention|minutes|changed|formatted)\s*\}\}\s+(?!of\b|su\b|di\b)\p{L}{4,}/u;
    for (const [lang, keys] of [['en', enKeys], ['it', itKeys]] as const) {
      const bad = [...keys].filter(([k, v]) => !PLURAL.test(k) && number.test(String(v))).map(([k, v]) => `${k}: ${String(v)}`);
      expect(bad, lang).toEqual([]);
    }
  });

  it('Italian says "la sandbox" (feminine), never "il/nel/del/al sandbox"', () => {
    const bad = [...itKeys].filter(([, v]) => /\b(il|nel|del|al|dal|sul|un|lo) sandbox/i.test(String(v))).map(([k, v]) => `${k}: ${String(v)}`);
    expect(bad).toEqual([]);
  });

  it('no value is empty or left untranslated as a non-string', () => {
    for (const [name, keys] of [['en', enKeys], ['it', itKeys]] as const) {
      const bad = [...keys].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
      expect(bad, `${name} has empty values`).toEqual([]);
    }
  });

  it('both files use the same interpolation placeholders per key', () => {
    const vars = (s: unknown) => [...String(s).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    // A plural form is compared with the other language's "other" form.
    const counterpart = (keys: Map<string, unknown>, k: string) => (keys.has(k) ? keys.get(k) : keys.get(`${base(k)}_other`));
    const mismatched = [...enKeys.keys(), ...itKeys.keys()].filter((k) => JSON.stringify(vars(counterpart(enKeys, k))) !== JSON.stringify(vars(counterpart(itKeys, k))));
    expect(mismatched).toEqual([]);
  });

  it('every order state has a label', () => {
    for (const s of ORDER_STATES) {
      expect(enKeys.has(`state.${s}`), `en state.${s}`).toBe(true);
      expect(itKeys.has(`state.${s}`), `it state.${s}`).toBe(true);
    }
  });

  it('every literal key the renderer asks for exists', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(join(__dirname, '../../renderer/src'))) {
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
      // Keys kept in tables (navigation labels) are written as quoted dotted strings.
      for (const m of src.matchAll(/'((?:nav|health|state)\.[a-zA-Z_]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    const enBase = baseKeys(enKeys);
    const missing = [...used].filter((k) => !enKeys.has(k) && !(enBase.has(k) && pluralForms(enKeys).has(k)));
    expect(missing).toEqual([]);
  });

  it('a plural key is asked for with a count (without one i18next shows the key itself)', () => {
    const plural = pluralForms(enKeys);
    const bad: string[] = [];
    for (const file of sourceFiles(join(__dirname, '../../renderer/src'))) {
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) {
        if (!plural.has(m[1]!)) continue;
        // The call's own arguments: up to its closing parenthesis.
        let depth = 0;
        let end = m.index!;
        for (let i = m.index! + 1; i < src.length; i++) {
          if (src[i] === '(') depth++;
          else if (src[i] === ')' && --depth === 0) {
            end = i;
            break;
          }
        }
        if (!/\bcount\b/.test(src.slice(m.index!, end))) bad.push(`${file.replace(/.*renderer\/src\//, '')}: ${m[1]}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
