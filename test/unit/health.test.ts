import { describe, expect, it } from 'vitest';
import { assessHealth, type HealthFacts } from '../../shared/domain/health';
import { renderMsg } from '../../electron/core/i18n';

// The one health model: every state that is not green names its cause and where to fix it.

const NOW = Date.parse('2026-03-02T10:00:00Z');
const base: HealthFacts = {
  configured: true,
  paused: false,
  syncing: false,
  lastSync: { ok: true, startedAt: '2026-03-02T09:55:00Z', finishedAt: '2026-03-02T09:56:00Z', errors: [] },
  nextSyncAt: '2026-03-02T10:10:00Z',
  attentionCount: 0,
};

describe('health', () => {
  it('is green with no cause only when all is well', () => {
    expect(assessHealth(base, NOW)).toEqual({ health: 'healthy', cause: null, fix: null });
  });

  it('names a cause and a fix for every other state, in both languages', () => {
    const cases: [Partial<HealthFacts>, string, string][] = [
      [{ configured: false }, 'unconfigured', 'setup'],
      [{ paused: true }, 'paused', 'dashboard'],
      [{ lastSync: { ...base.lastSync!, ok: false, errors: [{ reason: 'Cannot reach acme.infigo.net.' }] } }, 'error', 'troubleshooting'],
      [{ nextSyncAt: '2026-03-02T09:30:00Z' }, 'error', 'troubleshooting'],
      [{ attentionCount: 2 }, 'attention', 'attention'],
    ];
    for (const [facts, health, page] of cases) {
      const a = assessHealth({ ...base, ...facts }, NOW);
      expect(a.health).toBe(health);
      expect(a.fix?.page).toBe(page);
      for (const lang of ['en', 'it'] as const) {
        expect(renderMsg(a.cause!, lang).length).toBeGreaterThan(10);
        expect(renderMsg(a.fix!.label, lang).length).toBeGreaterThan(3);
      }
    }
  });

  it('says why the last sync failed, preferring the cycle\'s own error to an order\'s', () => {
    const a = assessHealth({ ...base, lastSync: { ...base.lastSync!, ok: false, errors: [{ orderId: 7, reason: 'order 7 refused' }, { reason: 'Cannot reach acme.infigo.net.' }] } }, NOW);
    expect(renderMsg(a.cause!)).toBe('The last sync had 2 problems, the first: Cannot reach acme.infigo.net.');
  });
});
