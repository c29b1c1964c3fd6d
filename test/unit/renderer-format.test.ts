import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { fmtAge, fmtBytes, fmtCurrency, fmtDateTime, fmtNumber } from '../../renderer/src/format';

// Dates, numbers and amounts follow the UI language, not the machine's locale.
describe('renderer formatting follows the UI language', () => {
  beforeAll(async () => {
    await i18next.init({ lng: 'en', resources: {} });
  });
  afterAll(async () => {
    await i18next.changeLanguage('en');
  });

  it('formats numbers, amounts and sizes per language', async () => {
    await i18next.changeLanguage('en');
    expect(fmtNumber(100000)).toBe('100,000');
    expect(fmtCurrency(1234.5, 'EUR')).toBe('€1,234.50');
    await i18next.changeLanguage('it');
    expect(fmtNumber(100000)).toBe('100.000');
    expect(fmtCurrency(12345.5, 'EUR')).toMatch(/^12\.345,50\s€$/);
    expect(fmtBytes(1536)).toMatch(/^1,5\s?kB$/);
  });

  it('formats dates and ages per language, with a dash for missing values', async () => {
    const iso = '2026-03-05T14:30:00Z';
    await i18next.changeLanguage('en');
    expect(fmtDateTime(iso)).toContain('Mar 2026');
    await i18next.changeLanguage('it');
    expect(fmtDateTime(iso)).toContain('mar 2026');
    expect(fmtDateTime(null)).toBe('—');
    const now = Date.parse('2026-03-07T14:30:00Z');
    expect(fmtAge(iso, now)).toMatch(/^2\sgiorni$/);
    await i18next.changeLanguage('en');
    expect(fmtAge(iso, now)).toMatch(/^2\sdays$/);
  });
});
