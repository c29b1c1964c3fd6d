import type { SyncSummary } from '../../../shared/contract';
import { StatusPoller } from '../backsync/status-poller';
import type { EngineContext, SyncControl } from '../context';
import { isActivated } from '../golive/activation';
import { runSyncCycle } from './cycle';
import { SyncScheduler } from './scheduler';

// The schedule of a running engine: cycles every `sync.intervalMinutes` (and on
// demand), a retry pressed during a cycle answered right after it, the status
// poller between cycles in polling mode, and "paused" kept across restarts. Nothing runs
// before the admin activates Presslink (golive/activation.ts): a scheduled tick before then
// does nothing, so a wizard saving its steps never imports or submits an order.

const PAUSED_KEY = 'paused';
/** When the schedule of the process that runs it fires next, for `presslink status` run beside it. */
export const SCHEDULE_KEY = 'schedule.next';

export interface ScheduleRecord {
  at: string | null;
  pid: number;
}

export interface SyncRuntime {
  control: SyncControl;
  requestSync(): void;
  /** Re-reads the schedule's settings after a configuration change. */
  configure(): void;
  start(): void;
  stop(): Promise<void>;
}

export function createSyncRuntime(ctx: EngineContext, opts: { schedule: boolean }): SyncRuntime {
  let rerun = false;
  const scheduler = new SyncScheduler<SyncSummary | null>(
    async (trigger) => {
      if (!isActivated(ctx)) return null;
      await poller.idle();
      let summary = await runSyncCycle(ctx, trigger);
      // A retry pressed during a cycle runs right after it rather than waiting 15 minutes.
      while (rerun && !ctx.stopping.value) {
        rerun = false;
        summary = await runSyncCycle(ctx, 'manual');
      }
      return summary;
    },
    ctx.config.get().sync.intervalMinutes,
    () => {
      if (opts.schedule && !ctx.stopping.value) ctx.repos.settings.set(SCHEDULE_KEY, { at: scheduler.nextRunAt()?.toISOString() ?? null, pid: process.pid } satisfies ScheduleRecord);
      ctx.bus.emit('status', ctx.status());
    },
  );
  if (ctx.repos.settings.get<boolean>(PAUSED_KEY) === true) scheduler.pause();
  const poller = new StatusPoller(ctx, () => opts.schedule && ctx.config.isConfigured() && isActivated(ctx) && !scheduler.isPaused() && !scheduler.isRunning());

  const control: SyncControl = {
    now: async () => {
      const r = await scheduler.trigger('manual');
      return r.started ? { started: true, summary: r.result ?? undefined } : { started: false };
    },
    pause: () => {
      scheduler.pause();
      ctx.repos.settings.set(PAUSED_KEY, true);
    },
    resume: () => {
      scheduler.resume();
      ctx.repos.settings.set(PAUSED_KEY, false);
    },
    isPaused: () => scheduler.isPaused(),
    isRunning: () => scheduler.isRunning(),
    nextRunAt: () => scheduler.nextRunAt(),
  };

  return {
    control,
    requestSync() {
      if (!ctx.config.isConfigured() || !isActivated(ctx) || ctx.stopping.value) return;
      if (scheduler.isRunning()) rerun = true;
      else void scheduler.trigger('manual');
    },
    configure() {
      scheduler.setInterval(ctx.config.get().sync.intervalMinutes);
      poller.configure();
    },
    start() {
      if (opts.schedule) scheduler.start();
      poller.configure();
    },
    async stop() {
      await poller.stop();
      await scheduler.stop();
      // Nothing is scheduled once this process stops.
      if (opts.schedule && ctx.repos.settings.get<ScheduleRecord>(SCHEDULE_KEY)?.pid === process.pid) ctx.repos.settings.set(SCHEDULE_KEY, null);
    },
  };
}
