import path from 'node:path';
import { Notification, nativeImage } from 'electron';
import type { Engine } from '../core/engine-types';
import { NotificationGrouper, notificationsEnabled, type Notice, type NoticeTarget } from './notifications';

// Native notifications from engine events, grouped by notifications.ts.
// Changes that arrive between cycles (postbacks) are gathered for a short
// while and summed up in one notice too.

const OUTSIDE_CYCLE_DELAY_MS = 20_000;

export function startNotifier(opts: {
  engine: Engine;
  resourcesDir: string;
  open: (target: NoticeTarget) => void;
  log: (msg: string, err?: unknown) => void;
}): () => void {
  const grouper = new NotificationGrouper();
  const shown = new Set<Notification>();
  // Loaded through nativeImage: it reads inside app.asar, a notification daemon given the bare path could not.
  const icon = nativeImage.createFromPath(path.join(opts.resourcesDir, 'icon-256.png'));
  let flushTimer: ReturnType<typeof setTimeout> | null = null;

  const show = async (notices: Notice[]) => {
    if (notices.length === 0) return;
    let enabled = true;
    try {
      enabled = notificationsEnabled(await opts.engine.call('config.get', {}));
    } catch (err) {
      opts.log('could not read notification setting; notifying anyway', err);
    }
    if (!enabled || !Notification.isSupported()) return;
    for (const n of notices) {
      const notification = new Notification({
        title: n.title,
        body: n.body,
        urgency: n.urgency,
        icon,
      });
      // Held until closed: a collected Notification loses its click handler.
      shown.add(notification);
      notification.on('click', () => opts.open(n.target));
      notification.on('close', () => shown.delete(notification));
      notification.show();
    }
  };

  const offs = [
    opts.engine.on('sync.started', () => grouper.onSyncStarted()),
    opts.engine.on('order.changed', (row) => {
      grouper.onOrderChanged(row);
      if (grouper.hasPendingOutsideCycle() && !flushTimer) {
        flushTimer = setTimeout(() => {
          flushTimer = null;
          void show(grouper.flush());
        }, OUTSIDE_CYCLE_DELAY_MS);
      }
    }),
    opts.engine.on('sync.finished', (summary) => void show(grouper.onSyncFinished(summary))),
  ];

  return () => {
    offs.forEach((off) => off());
    if (flushTimer) clearTimeout(flushTimer);
    shown.clear();
  };
}
