import { useSyncExternalStore } from 'react';

export const PAGES = ['dashboard', 'orders', 'attention', 'mappings', 'checklist', 'setup', 'troubleshooting', 'settings'] as const;
export type Page = (typeof PAGES)[number];

// Hash routing: works identically from file:// (Electron) and from the headless server.
// `landing` is true when the address names no page (the app was just opened): the app then
// picks the page — the setup wizard for an install not set up or not activated yet (nothing is
// imported before activation), else the dashboard.
function current(): { page: Page; param: string | null; landing: boolean } {
  // Outside a browser (unit tests of the pure parts) there is no address: the landing page.
  if (typeof window === 'undefined') return { page: 'dashboard', param: null, landing: true };
  const raw = window.location.hash.replace(/^#\/?/, '');
  const [p, param] = raw.split('/');
  const page = (PAGES as readonly string[]).includes(p ?? '') ? (p as Page) : 'dashboard';
  return { page, param: param ? decodeURIComponent(param) : null, landing: raw === '' };
}

let snapshot = current();
const listeners = new Set<() => void>();
let listening = false;

/**
 * A page holding work not saved yet (the mapping editor's rows) registers a guard: when the
 * address is about to show another page, the guard is asked instead, the address goes back,
 * and `proceed` (called once the person chose to save or discard) goes on to the page asked
 * for. Hash links cannot be cancelled before they change the address, so the change is undone
 * at once, before any page renders it.
 */
export interface LeaveGuard {
  dirty(): boolean;
  ask(proceed: () => void): void;
}
let guard: LeaveGuard | null = null;
let passing = false;

/** Registers the guard of the page on screen; returns its removal. */
export function setLeaveGuard(g: LeaveGuard): () => void {
  guard = g;
  return () => {
    if (guard === g) guard = null;
  };
}

function onHashChange(e: HashChangeEvent): void {
  const next = current();
  if (guard?.dirty() && !passing && next.page !== snapshot.page) {
    const target = window.location.hash;
    window.history.replaceState(window.history.state, '', new URL(e.oldURL).hash || '#/');
    guard.ask(() => {
      passing = true;
      window.location.hash = target;
    });
    return;
  }
  passing = false;
  snapshot = next;
  for (const cb of listeners) cb();
}

function subscribe(cb: () => void): () => void {
  listeners.add(cb);
  if (!listening) {
    window.addEventListener('hashchange', onHashChange);
    listening = true;
  }
  return () => listeners.delete(cb);
}

export function useRoute() {
  return useSyncExternalStore(subscribe, () => snapshot);
}

/** The page an opened app lands on: the dashboard once Presslink is set up and live, else the wizard. */
export function landingPage(configured: boolean, activated: boolean): Page {
  return configured && activated ? 'dashboard' : 'setup';
}

/** Goes to a page without leaving the landing address in the history (Back does not return to it). */
export function replaceRoute(page: Page): void {
  window.location.replace(`#/${page}`);
}

export function navigate(page: Page, param?: string): void {
  window.location.hash = `#/${page}${param ? `/${encodeURIComponent(param)}` : ''}`;
}
