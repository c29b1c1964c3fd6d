import path from 'node:path';

// Pure security policy for the desktop window: the page's CSP, which URLs may
// leave the app (to the system browser) and how app:// URLs map to files.
// Kept free of `electron` so every rule is unit-tested without the binary.

/** Our pages are served from this origin by a privileged custom protocol, never from file:// or the network. */
export const APP_SCHEME = 'presslink';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export function appUrl(route = ''): string {
  return `${APP_ORIGIN}/index.html${route}`;
}

/**
 * The Content-Security-Policy for our pages. Everything comes from our own
 * origin; no remote scripts, frames or connections. Inline style attributes
 * are allowed because the UI library sets element styles at runtime; inline
 * scripts and eval are not.
 */
export function buildCsp(opts: { origin?: string } = {}): string {
  const self = opts.origin ? `'self' ${opts.origin}` : "'self'";
  const directives: [string, string][] = [
    ['default-src', "'none'"],
    ['script-src', self],
    ['style-src', `${self} 'unsafe-inline'`],
    ['img-src', `${self} data: blob:`],
    ['font-src', `${self} data:`],
    ['connect-src', self],
    ['worker-src', "'none'"],
    ['manifest-src', "'none'"],
    ['media-src', "'none'"],
    ['object-src', "'none'"],
    ['frame-src', "'none'"],
    ['child-src', "'none'"],
    ['frame-ancestors', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
  ];
  return directives.map(([k, v]) => `${k} ${v}`).join('; ');
}

/** Hosts the app links to outside itself (documentation and the vendors' dashboards). */
export const DEFAULT_EXTERNAL_HOSTS: readonly string[] = [
  'academy.infigo.net',
  'connect-support.gelato.com',
  'support.gelato.com',
  'dashboard.gelato.com',
];

/** The hosts of the shop's own Infigo storefronts, read from the engine's config. */
export function storeHostsFromConfig(config: unknown): string[] {
  const stores = (config as { stores?: unknown } | null | undefined)?.stores;
  if (!Array.isArray(stores)) return [];
  const hosts: string[] = [];
  for (const s of stores) {
    const baseUrl = (s as { infigo?: { baseUrl?: unknown } } | null)?.infigo?.baseUrl;
    if (typeof baseUrl !== 'string') continue;
    try {
      const u = new URL(baseUrl);
      if (u.protocol === 'https:') hosts.push(u.hostname.toLowerCase());
    } catch {
      // An invalid URL in config is reported by config validation, not here.
    }
  }
  return [...new Set(hosts)];
}

export function isAppUrl(raw: string): boolean {
  const u = safeUrl(raw);
  return !!u && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
}

/**
 * Whether a link may be opened in the system browser: https only, no
 * credentials in the URL, and the host exactly on the allowlist. Anything
 * else stays blocked rather than being loaded in our window.
 */
export function isAllowedExternalUrl(raw: string, allowedHosts: readonly string[]): boolean {
  const u = safeUrl(raw);
  if (!u) return false;
  if (u.protocol !== 'https:') return false;
  if (u.username || u.password) return false;
  const host = u.hostname.toLowerCase();
  return allowedHosts.some((h) => h.toLowerCase() === host);
}

export type NavigationDecision =
  | { action: 'allow' }
  | { action: 'open-external'; url: string }
  | { action: 'confirm-external'; url: string; host: string }
  | { action: 'block' };

/** In-window navigation stays inside our origin; allowlisted links go to the browser; the rest is refused. */
export function decideNavigation(raw: string, allowedHosts: readonly string[]): NavigationDecision {
  if (isAppUrl(raw)) return { action: 'allow' };
  if (isAllowedExternalUrl(raw, allowedHosts)) return { action: 'open-external', url: new URL(raw).toString() };
  return { action: 'block' };
}

/**
 * `window.open` (links with target=_blank) never creates a window. An
 * allowlisted link goes to the browser; any other plain https link (a
 * carrier's tracking page, say) goes only after the person confirms the host.
 */
export function decideWindowOpen(raw: string, allowedHosts: readonly string[]): NavigationDecision {
  const d = decideNavigation(raw, allowedHosts);
  if (d.action === 'allow') return { action: 'block' };
  if (d.action === 'block' && isAllowedExternalUrl(raw, [safeUrl(raw)?.hostname ?? ''])) {
    const u = new URL(raw);
    return { action: 'confirm-external', url: u.toString(), host: u.hostname };
  }
  return d;
}

/**
 * Maps presslink://app/<path> to a file under the renderer's build folder.
 * Returns null for anything outside it (traversal, other hosts). Routes without
 * a file extension fall back to index.html so client-side routes survive a reload.
 */
export function resolveAppFile(rootDir: string, raw: string): string | null {
  const u = safeUrl(raw);
  if (!u || u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  if (rel === '/' || rel === '') rel = '/index.html';
  if (!path.posix.extname(rel)) rel = '/index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, '.' + path.posix.normalize(rel));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function safeUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}
