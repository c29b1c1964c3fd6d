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
