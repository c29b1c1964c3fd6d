import type { OrderRow, SyncSummary } from '../../shared/contract';

// Decides which native notifications to show. One notice per sync cycle sums
// up every order that newly needs attention (never one balloon per order), a
// failing sync is announced once per streak rather than every cycle, and the
// recovery is announced too, so silence always means "still fine".

export type NoticeTarget = { page: 'order-log'; state: 'needs_attention' } | { page: 'order'; id: number } | { page: 'troubleshooting' } | { page: 'home' };

export interface Notice {
  kind: 'attention' | 'sync-failed' | 'sync-recovered';
  title: string;
  body: string;
  target: NoticeTarget;
  urgency: 'normal' | 'critical';
}

interface AttentionItem {
  id: number;
  label: string;
  reason: string | null;
}

const MAX_NAMED = 3;

export class NotificationGrouper {
  private inCycle = false;
  private pending = new Map<number, AttentionItem>();
  /** Orders already announced; an order is announced again only after it left Needs attention. */
  private announced = new Set<number>();
  private failing: string | null = null;

  onSyncStarted(): void {
    this.inCycle = true;
  }

  onOrderChanged(row: OrderRow): void {
    if (row.state !== 'needs_attention') {
      this.announced.delete(row.id);
      this.pending.delete(row.id);
      return;
    }
    if (this.announced.has(row.id)) return;
    this.pending.set(row.id, { id: row.id, label: `${row.storeId} #${row.infigoOrderId}`, reason: row.attentionReason });
  }

  /** Whether changes are waiting that arrived outside a sync cycle (postbacks, status polling). */
  hasPendingOutsideCycle(): boolean {
    return !this.inCycle && this.pending.size > 0;
  }

  onSyncFinished(summary: SyncSummary): Notice[] {
    this.inCycle = false;
    const out: Notice[] = [];
    const failure = cycleFailure(summary);
    if (failure) {
      if (this.failing !== failure) {
        out.push({
          kind: 'sync-failed',
          title: 'Presslink could not sync',
          body: `${failure} Orders wait safely and go out once this is fixed.`,
          target: { page: 'troubleshooting' },
          urgency: 'critical',
        });
      }
      this.failing = failure;
    } else if (this.failing !== null) {
      this.failing = null;
      out.push({ kind: 'sync-recovered', title: 'Presslink is syncing again', body: 'The last sync completed normally.', target: { page: 'home' }, urgency: 'normal' });
    }
    const attention = this.takeAttention(summary);
    if (attention) out.push(attention);
    return out;
  }

  /** Sums up attention changes that arrived between cycles. */
  flush(): Notice[] {
    if (this.inCycle) return [];
    const n = this.takeAttention(null);
    return n ? [n] : [];
  }

  private takeAttention(summary: SyncSummary | null): Notice | null {
    const items = [...this.pending.values()];
    this.pending.clear();
    for (const i of items) this.announced.add(i.id);
    // Without per-order events the summary's count still deserves a notice.
    const reported = summary?.needsAttention ?? 0;
    const count = items.length > 0 ? items.length : reported;
    if (count === 0) return null;
    if (items.length === 1) {
      const only = items[0]!;
      return {
        kind: 'attention',
        title: `Order ${only.label} needs attention`,
        body: only.reason ?? 'Open it to see what is missing and retry.',
        target: { page: 'order', id: only.id },
        urgency: 'normal',
      };
    }
    const named = items.slice(0, MAX_NAMED).map((i) => (i.reason ? `${i.label}: ${i.reason}` : i.label));
    const more = count - named.length;
    const body = named.length ? named.join('\n') + (more > 0 ? `\n…and ${more} more` : '') : 'Open the order log to see why and retry.';
    return { kind: 'attention', title: `${count} orders need attention`, body, target: { page: 'order-log', state: 'needs_attention' }, urgency: 'normal' };
  }
}

/** The reason a whole cycle failed (as opposed to single orders being held), or null. */
export function cycleFailure(s: SyncSummary): string | null {
  const general = s.errors.find((e) => e.orderId === undefined);
  if (!s.ok) return general?.reason ?? s.errors[0]?.reason ?? 'The sync did not complete.';
  if (general) return general.storeId ? `${general.storeId}: ${general.reason}` : general.reason;
  return null;
}

/** Notifications are on unless the engine's config turns them off. */
export function notificationsEnabled(configGetOutput: unknown): boolean {
  const enabled = (configGetOutput as { config?: { notifications?: { enabled?: unknown } } } | null)?.config?.notifications?.enabled;
  return enabled !== false;
}

/** The renderer route a notice (or tray item) opens: renderer/src/router.ts's hash routes. */
export function routeFor(target: NoticeTarget): string {
  switch (target.page) {
    case 'order-log':
      // The order log filtered to Needs attention is its own page.
      return '#/attention';
    case 'order':
      return `#/orders/${target.id}`;
    case 'troubleshooting':
      return '#/troubleshooting';
    case 'home':
      return '#/dashboard';
  }
}
