// When updates are checked and when a downloaded update may be installed.
// The shell never restarts by itself: the person chooses, and even then the
// restart waits for a sync in progress to finish.

/** A usable generic-provider feed URL, or null (updates off). https, or http only to this machine for testing. */
export function resolveUpdateFeed(setting: string | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  const raw = (env.PRESSLINK_UPDATE_URL ?? setting ?? '').trim();
  if (!raw) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (u.username || u.password) return null;
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) return null;
  return u.toString();
}

export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60_000;

export type RestartChoice = 'now' | 'later';

export interface UpdateDialogModel {
  title: string;
  message: string;
  detail: string;
  buttons: [string, string];
  defaultId: 0;
  cancelId: 1;
}

export function updateReadyDialog(version: string | undefined, syncing: boolean): UpdateDialogModel {
  return {
    title: 'Update ready',
    message: version ? `Presslink ${version} is ready to install.` : 'A Presslink update is ready to install.',
    detail: syncing
      ? 'A sync is running. If you restart now, Presslink waits for it to finish first. Otherwise the update installs the next time Presslink quits.'
      : 'Restart now to install it, or later: the update installs the next time Presslink quits.',
    buttons: ['Restart now', 'Later'],
    defaultId: 0,
    cancelId: 1,
  };
}

export function restartChoice(response: number): RestartChoice {
  return response === 0 ? 'now' : 'later';
}

/**
 * Waits until no sync is running, polling the engine's status. Resolves
 * false if it is still syncing after `maxWaitMs` (the caller then leaves the
 * update for the next quit instead of cutting a submission off).
 */
export async function waitUntilIdle(isSyncing: () => boolean, opts: { pollMs?: number; maxWaitMs?: number; sleep?: (ms: number) => Promise<void> } = {}): Promise<boolean> {
  const pollMs = opts.pollMs ?? 1000;
  const maxWaitMs = opts.maxWaitMs ?? 10 * 60_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let waited = 0;
  while (isSyncing()) {
    if (waited >= maxWaitMs) return false;
    await sleep(pollMs);
    waited += pollMs;
  }
  return true;
}
