import type { CallInput, CallOutput, OrderRow } from '../../../shared/contract';

/**
 * The order log's rows, fetched in windows as they scroll into view.
 *
 * Why a module of its own, and no React in it: this is the part of the order log that decides
 * what to ask the engine and which answer to believe, and every rule in it was a bug once (a
 * late answer showing an older search, a failed window re-asked on every render, a retry going
 * on after the page was left). As a plain class it is tested with fake timers and a fake `list`
 * (test/unit/renderer-order-window.test.ts); `useOrderWindow` in ./use-order-window.ts is the
 * thin hook that re-renders the page when it changes.
 *
 * Rows are fetched in windows of PAGE and kept by position, so the table stays smooth with
 * 100,000 orders without holding them all.
 *
 * Filters are sent as they change (no debounce: the engine answers a search in tens of ms).
 * A new filter's first window replaces the shown view in one step, rows and total together,
 * and only if no newer filter was asked for since: an answer that lands late is dropped, so
 * typing fast can never end on an earlier query's rows, and the table goes from one result
 * straight to the next without blanking in between.
 *
 * A load that fails is not asked for again on the next render (the page re-renders on every
 * scroll, which used to retry a failing engine in a tight loop): it is retried after a growing
 * delay (1 s, 2 s, 4 s … up to 30 s), or at once when the user asks (`retry`), and its error
 * stays shown until then. Once detached (the page was left) nothing is retried.
 */

export const PAGE = 200;

export type OrderFilters = Omit<CallInput<'orders.list'>, 'offset' | 'limit'>;
export type ListOrders = (input: CallInput<'orders.list'>) => Promise<CallOutput<'orders.list'>>;

/** One filter's answer as the table shows it: rows kept by position, and their total. */
interface OrderView {
  /** The filters (as JSON) these rows answer; null before the first answer. */
  key: string | null;
  filters: OrderFilters | null;
  rows: Map<number, OrderRow>;
  /** A failed window stays marked until its retry is due, so rendering does not re-ask for it. */
  pages: Map<number, 'loading' | 'done' | 'failed'>;
  total: number | null;
}

const emptyView = (filters: OrderFilters | null): OrderView => ({ key: filters && JSON.stringify(filters), filters, rows: new Map(), pages: new Map(), total: null });

/** Waits before retrying a failed load on its own: 1 s, 2 s, 4 s … up to 30 s. */
export const retryDelay = (attempts: number) => Math.min(30_000, 1000 * 2 ** Math.max(0, attempts - 1));

export class OrderWindow {
  private view: OrderView = emptyView(null);
  /** The filters the page shows now; refetches and `pending` are measured against them. */
  private latest: OrderFilters;
  // Counts every replacement asked for; an answer started under an older count is stale.
  private generation = 0;
  // The filters last sent, so a filter sent from an event handler is not sent again by the effect.
  private requested: string | null = null;
  private err: unknown = null;
  // What failed and is waiting to be tried again, and how many automatic attempts in a row failed.
  private again: (() => void)[] = [];
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  // An answer can fail after the page is left; retrying it then would go on in the background.
  private attached = false;

  constructor(
    private readonly list: ListOrders,
    /** Called whenever what the table shows may have changed. */
    private readonly changed: () => void,
    filters: OrderFilters,
  ) {
    this.latest = filters;
  }

  /** The page is on screen: failures from now on are retried. */
  attach(): void {
    this.attached = true;
  }

  /** The page was left: no retry is scheduled and failures that land later are ignored. */
  detach(): void {
    this.attached = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get total(): number | null {
    return this.view.total;
  }

  get error(): unknown {
    return this.err;
  }

  /** The filters (as JSON) the rows on screen answer; changes when a new filter's rows replace them. */
  get shownKey(): string | null {
    return this.view.key;
  }

  /** The rows on screen still answer earlier filters; the latest are on their way. */
  get pending(): boolean {
    return this.view.key !== JSON.stringify(this.latest);
  }

  /** Records the filters the page now shows, without sending them (see `request`). */
  setFilters(filters: OrderFilters): void {
    this.latest = filters;
  }

  /** Sends filters now unless they were the last sent; called from event handlers, ahead of rendering. */
  request(filters: OrderFilters): void {
    this.latest = filters;
    if (JSON.stringify(filters) !== this.requested) this.replace(filters, 0, 0);
  }

  rowAt(i: number): OrderRow | undefined {
    return this.view.rows.get(i);
  }

  /** Whether the window holding row `i` failed to load (its rows say so instead of "Loading…"). */
  failedAt(i: number): boolean {
    return this.view.pages.get(Math.floor(i / PAGE)) === 'failed';
  }

  /** Loads the windows holding rows `start..end` of the shown view that are not loaded or loading. */
  ensure(start: number, end: number): void {
    for (let p = Math.floor(start / PAGE); p <= Math.floor(end / PAGE); p++) void this.loadPage(p);
  }

  /** Replaces a row in place when the engine reports a change; returns false if it is not loaded. */
  patch(row: OrderRow): boolean {
    for (const [i, r] of this.view.rows) {
      if (r.id === row.id) {
        this.view.rows.set(i, row);
        this.changed();
        return true;
      }
    }
    return false;
  }

  /**
   * New orders shift every position: reload what is on screen and swap it in when it is all
   * there. If a newer filter is still on its way, reload that one from the top instead, so a
   * refetch never brings back the filter the user has just left.
   */
  refetch(start: number, end: number): void {
    if (this.view.key === JSON.stringify(this.latest)) this.replace(this.latest, start, end);
    else this.replace(this.latest, 0, 0);
  }

  loadedRows(): OrderRow[] {
    return [...this.view.rows.values()];
  }

  /** Tries what failed again now, instead of waiting for the automatic retry. */
  retry = (): void => {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const again = this.again;
    this.again = [];
    // Nothing left to retry (say the failed rows were scrolled away): the error has no use.
    if (again.length === 0) this.err = null;
    for (const a of again) a();
    this.changed();
  };

  private failed(e: unknown, again: () => void): void {
    if (!this.attached) return;
    this.again.push(again);
    if (!this.timer) {
      this.attempts++;
      this.timer = setTimeout(this.retry, retryDelay(this.attempts));
    }
    this.err = e;
    this.changed();
  }

  /** A load succeeded: the error goes once nothing failed is left waiting. */
  private succeeded(replaced: boolean): void {
    if (replaced) {
      // The failures belonged to the view just replaced.
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.again = [];
    }
    if (this.again.length === 0) {
      this.attempts = 0;
      this.err = null;
    }
  }

  /** Loads the pages holding rows `start..end` for `f`, then shows them as the whole view. */
  private replace(f: OrderFilters, start: number, end: number): void {
    const gen = ++this.generation;
    this.requested = JSON.stringify(f);
    const pageNos: number[] = [];
    for (let p = Math.floor(start / PAGE); p <= Math.floor(end / PAGE); p++) pageNos.push(p);
    Promise.all(pageNos.map((p) => this.list({ ...f, offset: p * PAGE, limit: PAGE }))).then(
      (answers) => {
        if (gen !== this.generation) return;
        const next = emptyView(f);
        answers.forEach((r, k) => {
          const p = pageNos[k]!;
          r.rows.forEach((row, i) => next.rows.set(p * PAGE + i, row));
          next.pages.set(p, 'done');
          next.total = r.total;
        });
        this.view = next;
        this.succeeded(true);
        this.changed();
      },
      (e: unknown) => {
        if (gen !== this.generation) return;
        // Rows of another filter under this error would pass for this filter's; a failed
        // refetch of the same filter keeps its (possibly dated) rows.
        if (this.view.key !== JSON.stringify(f)) this.view = emptyView(f);
        // Unless a newer filter or refetch went out meanwhile, which supersedes this one.
        this.failed(e, () => {
          if (gen === this.generation) this.replace(f, start, end);
        });
      },
    );
  }

  /** Fills a window of the shown view as it scrolls into sight. */
  private async loadPage(page: number): Promise<void> {
    const v = this.view;
    if (!v.filters || v.pages.has(page)) return;
    v.pages.set(page, 'loading');
    try {
      const r = await this.list({ ...v.filters, offset: page * PAGE, limit: PAGE });
      // Replaced meanwhile (new filter or refetch): these rows belong to a view no longer shown.
      if (this.view !== v) return;
      r.rows.forEach((row, i) => v.rows.set(page * PAGE + i, row));
      v.pages.set(page, 'done');
      v.total = r.total;
      this.succeeded(false);
      this.changed();
    } catch (e) {
      if (this.view !== v) return;
      v.pages.set(page, 'failed');
      // Unmarked when the retry is due; the next render's `ensure` loads it if still in sight.
      this.failed(e, () => {
        if (v.pages.get(page) === 'failed') v.pages.delete(page);
      });
    }
  }
}
