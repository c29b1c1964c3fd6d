// Pure lifecycle rules: what closing the window does, and how quitting waits
// for the engine to stop before the process exits.

export type CloseAction = 'hide' | 'close';

/** Closing hides to the tray only when that is wanted and a tray icon actually exists to bring it back. */
export function closeAction(opts: { quitting: boolean; closeToTray: boolean; trayAvailable: boolean }): CloseAction {
  if (opts.quitting) return 'close';
  return opts.closeToTray && opts.trayAvailable ? 'hide' : 'close';
}

/** Whether the app should quit when its last window is gone. */
export function quitWhenAllWindowsClosed(opts: { platform: NodeJS.Platform; closeToTray: boolean; trayAvailable: boolean }): boolean {
  if (opts.closeToTray && opts.trayAvailable) return false;
  // macOS apps conventionally stay in the dock; the tray/dock brings the window back.
  return opts.platform !== 'darwin';
}

export interface QuitCoordinatorOptions {
  stopEngine: () => Promise<void>;
  /** Called once the engine has stopped (or the wait timed out) to finish quitting. */
  exit: () => void;
  timeoutMs?: number;
  onTimeout?: () => void;
  onError?: (err: unknown) => void;
}

/**
 * Quit in two steps: the first quit request is held while the engine
 * finishes the transaction in flight; then the quit goes through. A second
 * request while stopping is held too, so the engine is never cut off.
 */
export function createQuitCoordinator(opts: QuitCoordinatorOptions) {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  let stopping: Promise<void> | null = null;
  const timeoutMs = opts.timeoutMs ?? 20_000;

  function stop(): Promise<void> {
    if (!stopping) {
      state = 'stopping';
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          opts.onTimeout?.();
          resolve();
        }, timeoutMs);
      });
      stopping = Promise.race([
        opts.stopEngine().catch((err: unknown) => {
          opts.onError?.(err);
        }),
        timeout,
      ]).finally(() => {
        clearTimeout(timer);
        state = 'stopped';
      });
    }
    return stopping;
  }

  return {
    get state() {
      return state;
    },
    /** For `before-quit`: returns true when the quit must be held (call preventDefault). */
    onBeforeQuit(): boolean {
      if (state === 'stopped') return false;
      if (state === 'running') void stop().then(() => opts.exit());
      return true;
    },
    /** Stops the engine without quitting, e.g. before an update installs. */
    stopEngine: stop,
  };
}
