import { useSyncExternalStore } from 'react';

export const PAGES = ['dashboard', 'orders', 'attention', 'mappings', 'checklist', 'setup', 'troubleshooting', 'settings'] as const;
export type Page = (typeof PAGES)[number];

// Hash routing: works identically from file:// (Electron) and from the headless server.
function current(): { page: Page; param: string | null } {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const [p, param] = raw.split('/');
  const page = (PAGES as readonly string[]).includes(p ?? '') ? (p as Page) : 'dashboard';
  return { page, param: param ? decodeURIComponent(param) : null };
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

export function navigate(page: Page, param?: string): void {
  window.location.hash = `#/${page}${param ? `/${encodeURIComponent(param)}` : ''}`;
}
