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

describe('renderer translations', () => {
  it('English and Italian have exactly the same keys', () => {
    const onlyEn = [...enKeys.keys()].filter((k) => !itKeys.has(k));
    const onlyIt = [...itKeys.keys()].filter((k) => !enKeys.has(k));
    expect({ onlyEn, onlyIt }).toEqual({ onlyEn: [], onlyIt: [] });
  });

  it('no value is empty or left untranslated as a non-string', () => {
    for (const [name, keys] of [['en', enKeys], ['it', itKeys]] as const) {
      const bad = [...keys].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
      expect(bad, `${name} has empty values`).toEqual([]);
    }
  });

  it('both files use the same interpolation placeholders per key', () => {
    const vars = (s: unknown) => [...String(s).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    const mismatched = [...enKeys.keys()].filter((k) => JSON.stringify(vars(enKeys.get(k))) !== JSON.stringify(vars(itKeys.get(k))));
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
    const missing = [...used].filter((k) => !enKeys.has(k));
    expect(missing).toEqual([]);
  });
});
