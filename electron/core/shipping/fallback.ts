import type { Msg } from '../../../shared/messages/index';
import type { EngineContext } from '../context';
import { textOf } from '../i18n';

// When GelatoConnect Logistics cannot price a checkout (not set up, refused, slow, down, or it
// quoted no method the shop mapped) the rate table answers, so the customer still sees delivery
// options. That must not be silent: each fallback is counted and its reason kept (settings, so
// the CLI and the app see the same), shown in engine.status() for the dashboard, by the GCL
// setup check, and logged (at most once a minute per reason, a checkout can be busy).

const KEY = 'shipping.quoteFallback';
const WRITE_EVERY_MS = 10_000;
const LOG_EVERY_MS = 60_000;
/** Older fallbacks no longer show on the dashboard. */
export const FALLBACK_SHOWN_MS = 24 * 3_600_000;

export interface QuoteFallbackInfo {
  firstAt: string;
  lastAt: string;
  reason: string;
  /** The reason as a message, for the admin's language (absent in records of an older Presslink). */
  reasonMsg?: Msg;
  count: number;
}

export function quoteFallback(ctx: Pick<EngineContext, 'repos'>, now = Date.now()): QuoteFallbackInfo | null {
  const f = ctx.repos.settings.get<QuoteFallbackInfo>(KEY) ?? null;
  return f && now - Date.parse(f.lastAt) < FALLBACK_SHOWN_MS ? f : null;
}

export class FallbackRecorder {
  private pending: { n: number; reason: Msg; at: string } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly logged = new Map<string, number>();

  constructor(private readonly ctx: Pick<EngineContext, 'repos' | 'log' | 'onStop'>) {
    ctx.onStop(() => this.flush());
  }

  record(reason: Msg): void {
    const at = new Date().toISOString();
    this.pending = { n: (this.pending?.n ?? 0) + 1, reason, at };
    const text = textOf(reason);
    const last = this.logged.get(text) ?? 0;
    if (Date.now() - last > LOG_EVERY_MS) {
      this.logged.set(text, Date.now());
      this.ctx.log.warn({ reason: text }, `GelatoConnect Logistics did not price a checkout; the rate table answered: ${text}`);
    }
    if (!this.timer) {
      this.flush();
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, WRITE_EVERY_MS);
      this.timer.unref();
    }
  }

  flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    try {
      const prev = this.ctx.repos.settings.get<QuoteFallbackInfo>(KEY);
      const fresh = !prev || Date.now() - Date.parse(prev.lastAt) >= FALLBACK_SHOWN_MS;
      this.ctx.repos.settings.set(KEY, { firstAt: fresh ? p.at : prev.firstAt, lastAt: p.at, reason: textOf(p.reason), reasonMsg: p.reason, count: (fresh ? 0 : prev.count) + p.n } satisfies QuoteFallbackInfo);
    } catch {
      // the database is closing; the log line above still tells
    }
  }
}
