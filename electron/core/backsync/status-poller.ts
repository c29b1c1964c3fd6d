import type { SyncSummary } from '../../../shared/contract';
import type { EngineContext } from '../context';
import { connections } from '../connections';
import { statusPollRun } from './index';
import { effectiveStatusMode } from './settings';
import { asMsg, reasonOf, syncError } from '../i18n';

/**
 * In polling mode, asks GelatoConnect about open orders every `statusUpdates.pollMinutes`,
 * between sync cycles (which run every `sync.intervalMinutes`, often less often). It never runs
 * beside a cycle: a tick is skipped while one runs, and a cycle waits for a running tick
 * (`idle()`) before it starts, so no update to Infigo is ever pushed twice.
 */
export class StatusPoller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private everyMinutes: number | null = null;

  constructor(
    private readonly ctx: EngineContext,
    /** False while a sync cycle runs, the engine is paused, unconfigured or unscheduled. */
    private readonly mayRun: () => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** (Re)arms the timer for the current configuration; off once postbacks are in effect. */
  configure(): void {
    const su = this.ctx.config.get().statusUpdates;
    const every = effectiveStatusMode(this.ctx) === 'polling' ? su.pollMinutes : null;
    if (every === this.everyMinutes) return;
    this.clear();
    this.everyMinutes = every;
    if (every === null) return;
    this.timer = setInterval(() => void this.tick(), every * 60_000);
    this.timer.unref();
  }

  /** One poll of the orders that are due, unless a cycle (or another tick) is under way. */
  async tick(): Promise<void> {
    if (this.running || this.ctx.stopping.value || !this.mayRun()) return;
    this.running = (async () => {
      const errors: SyncSummary['errors'] = [];
      try {
        await statusPollRun(this.ctx, connections(this.ctx), errors, this.now());
      } catch (e) {
        errors.push(syncError(asMsg(reasonOf(e))));
      }
      this.ctx.bus.emit('attention.count', { count: this.ctx.repo.attentionCount() });
      if (errors.length) this.ctx.log.warn({ errors: errors.slice(0, 20), count: errors.length }, 'status poll had errors; the next poll or sync tries again');
    })().finally(() => {
      this.running = null;
    });
    await this.running;
  }

  /** Resolves when no tick is running. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.clear();
    this.everyMinutes = null;
    await this.idle();
  }

  private clear(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
