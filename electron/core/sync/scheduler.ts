import schedule from 'node-schedule';

/**
 * Runs `task` every `intervalMinutes`, plus on demand. A run never overlaps the
 * previous one: a request while a run is in flight is answered "already running"
 * instead of queueing a second cycle behind it.
 */
export class SyncScheduler<T> {
  private job: schedule.Job | null = null;
  private running: Promise<T> | null = null;
  private paused = false;
  private intervalMinutes: number;

  constructor(
    private readonly task: (trigger: 'schedule' | 'manual' | 'startup') => Promise<T>,
    intervalMinutes: number,
    private readonly onChange: () => void = () => {},
  ) {
    this.intervalMinutes = intervalMinutes;
  }

  start(): void {
    this.stopJob();
    if (this.paused) return;
    // A one-shot job re-armed after each tick: "every N minutes from now" for
    // any N, which a cron rule cannot express (every 90 minutes, every 7).
    const arm = () => {
      this.job = schedule.scheduleJob(new Date(Date.now() + this.intervalMinutes * 60_000), () => {
        arm();
        void this.trigger('schedule');
      });
      this.onChange();
    };
    arm();
  }

  setInterval(minutes: number): void {
    if (minutes === this.intervalMinutes) return;
    this.intervalMinutes = minutes;
    if (this.job) this.start();
  }

  isRunning(): boolean {
    return this.running !== null;
  }
  isPaused(): boolean {
    return this.paused;
  }

  nextRunAt(): Date | null {
    if (this.paused || !this.job) return null;
    const next = this.job.nextInvocation();
    return next ? new Date(next.getTime()) : null;
  }

  /** Starts a run unless one is in flight; resolves with the result, or null when it did not start. */
  async trigger(trigger: 'schedule' | 'manual' | 'startup'): Promise<{ started: boolean; result?: T }> {
    if (this.running) return { started: false };
    if (this.paused && trigger === 'schedule') return { started: false };
    this.running = this.task(trigger);
    this.onChange();
    try {
      return { started: true, result: await this.running };
    } finally {
      this.running = null;
      this.onChange();
    }
  }

  pause(): void {
    this.paused = true;
    this.stopJob();
    this.onChange();
  }

  resume(): void {
    this.paused = false;
    this.start();
  }

  /** Stops scheduling and waits for the run in flight, so quitting never cuts a cycle mid-write. */
  async stop(): Promise<void> {
    this.stopJob();
    if (this.running) await this.running.catch(() => undefined);
  }

  private stopJob(): void {
    this.job?.cancel();
    this.job = null;
  }
}
