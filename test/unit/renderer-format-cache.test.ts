import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { fmtAge, fmtDateTime, fmtNumber, fmtRelative } from '../../renderer/src/format';

// The order log formats two dates per row on every filter change; building Intl formatters for
// each call cost 11–14 ms per change at 100,000 orders. They are built once per language.
describe('renderer formatting reuses its Intl formatters', () => {
  beforeAll(async () => {
    await i18next.init({ lng: 'en', resources: {} });
  });
  afterAll(async () => {
    await i18next.changeLanguage('en');
  });

  // Counts constructions while still building real formatters (a spy would hand back stubs).
  const originals = { DateTimeFormat: Intl.DateTimeFormat, NumberFormat: Intl.NumberFormat };
  const built = { DateTimeFormat: 0, NumberFormat: 0 };
  function countConstructions(): void {
    for (const name of ['DateTimeFormat', 'NumberFormat'] as const) {
      const counted = new Proxy(originals[name], {
        construct(target, args, newTarget) {
          built[name]++;
          return Reflect.construct(target, args, newTarget) as object;
        },
      });
      Object.defineProperty(Intl, name, { value: counted, configurable: true, writable: true });
    }
  }
  afterEach(() => {
    for (const name of ['DateTimeFormat', 'NumberFormat'] as const) Object.defineProperty(Intl, name, { value: originals[name], configurable: true, writable: true });
  });

  it('builds no formatter for rows after the first, in either language', async () => {
    const iso = '2026-03-05T14:30:00Z';
    const now = Date.parse('2026-03-07T14:30:00Z');
    countConstructions();
    for (const lng of ['en', 'it']) {
      await i18next.changeLanguage(lng);
      fmtDateTime(iso);
      fmtAge(iso, now);
      const d = built.DateTimeFormat;
      const n = built.NumberFormat;
      for (let i = 0; i < 50; i++) {
        fmtDateTime(new Date(Date.parse(iso) - i * 60_000).toISOString());
        fmtAge(iso, now + i * 86_400_000);
      }
      expect(built.DateTimeFormat).toBe(d);
      expect(built.NumberFormat).toBe(n);
    }
  });

  it('switching language back and forth keeps each language’s format', async () => {
    const iso = '2026-03-05T14:30:00Z';
    const now = Date.parse('2026-03-07T14:30:00Z');
    for (let pass = 0; pass < 2; pass++) {
      await i18next.changeLanguage('en');
      expect(fmtNumber(1234.5, 1)).toBe('1,234.5');
      expect(fmtDateTime(iso)).toContain('Mar 2026');
      expect(fmtAge(iso, now)).toMatch(/^2\sdays$/);
      expect(fmtRelative(iso, now + 3 * 86_400_000)).toBe('5 days ago');
      await i18next.changeLanguage('it');
      expect(fmtNumber(1234.5, 1)).toBe('1234,5');
      expect(fmtDateTime(iso)).toContain('mar 2026');
      expect(fmtAge(iso, now)).toMatch(/^2\sgiorni$/);
      expect(fmtRelative(iso, now + 3 * 86_400_000)).toBe('5 giorni fa');
    }
    // Different options in the same language are different formatters.
    expect(fmtNumber(1234.56, 0)).toBe('1235');
    expect(fmtNumber(1234.56, 2)).toBe('1234,56');
  });
});
