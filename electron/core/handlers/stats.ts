import type { DailyStat } from '../../../shared/contract';
import type { HandlersOf } from '../context';

/** stats.*: orders, failures and sync runs per day for the dashboard chart. */
export const statsHandlers = {
  'stats.daily': (ctx, { days }) => {
    const since = new Date(Date.now() - days * 86_400_000).toISOString();
    const byDay = new Map<string, DailyStat>();
    for (let i = days - 1; i >= 0; i--) {
      const day = new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10);
      byDay.set(day, { day, orders: 0, failures: 0, syncRuns: 0, avgSyncMs: null });
    }
    for (const o of ctx.repo.perDay(since)) Object.assign(byDay.get(o.day) ?? {}, { orders: o.orders, failures: o.failures });
    for (const r of ctx.repos.runs.perDay(since)) Object.assign(byDay.get(r.day) ?? {}, { syncRuns: r.n, avgSyncMs: r.avgMs === null ? null : Math.round(r.avgMs) });
    return [...byDay.values()];
  },
} satisfies HandlersOf<'stats'>;
