import { useSyncExternalStore } from 'react';

export const PAGES = ['dashboard', 'orders', 'attention', 'mappings', 'checklist', 'setup', 'troubleshooting', 'settings'] as const;
export type Page = (typeof PAGES)[number];

// Hash routing: works identically from file:// (Electron) and from the headless server.
// `landing` is true when the address names no page (the app was just opened): the app then
// picks the page — the setup wizard for an install not set up yet, else the dashboard.
function current(): { page: Page; param: string | null; landing: boolean } {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const [p, param] = raw.split('/');
  const page = (PAGES as readonly string[]).includes(p ?? '') ? (p as Page) : 'dashboard';
  return { page, param: param ? decodeURIComponent(param) : null, landing: raw === '' };
}

let snapshot = current();
function subscribe(cb: () => void): () => void {
  const h = () => {
    snapshot = current();
    cb();
  };
  window.addEventListener('hashchange', h);
  return () => window.removeEventListener('hashchange', h);
}

export function useRoute() {
  return useSyncExternalStore(subscribe, () => snapshot);
}

/** The page an opened app lands on. */
export function landingPage(configured: boolean): Page {
  return configured ? 'dashboard' : 'setup';
}

/** Goes to a page without leaving the landing address in the history (Back does not return to it). */
export function replaceRoute(page: Page): void {
  window.location.replace(`#/${page}`);
}

export function navigate(page: Page, param?: string): void {
  window.location.hash = `#/${page}${param ? `/${encodeURIComponent(param)}` : ''}`;
}
