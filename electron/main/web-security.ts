import fs from 'node:fs/promises';
import { BrowserWindow, app, dialog, protocol, session, shell, type Session, type WebContents } from 'electron';
import { APP_ORIGIN, APP_SCHEME, buildCsp, decideNavigation, decideWindowOpen, mimeType, resolveAppFile } from './security';

// Electron wiring for security.ts: the app:// protocol that serves the built
// renderer, the CSP header, a deny-all permission policy, and navigation /
// window.open guards applied to every web contents the app ever creates.

/** Must run before `app.ready`. */
export function registerAppScheme(): void {
  // standard: absolute asset paths (/assets/x.js) resolve; corsEnabled: Vite's
  // <script type="module" crossorigin> loads in CORS mode. Other origins still
  // cannot read our responses: none carries Access-Control-Allow-Origin.
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
  ]);
}

export function serveRenderer(rendererDir: string, ses: Session = session.defaultSession): void {
  const csp = buildCsp();
  ses.protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await fs.readFile(file);
      return new Response(body, {
        status: 200,
        headers: { 'Content-Type': mimeType(file), 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

export function applySessionPolicy(ses: Session = session.defaultSession): void {
  const csp = buildCsp();
  // The protocol handler already sends the CSP; this covers any response that reaches our origin another way.
  ses.webRequest.onHeadersReceived({ urls: [`${APP_ORIGIN}/*`] }, (details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-security-policy') delete headers[k];
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
  // The UI needs no camera, microphone, location, notifications-from-page or similar.
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

/** Guards every web contents: no in-window navigation away from the app, no new windows, no webviews. */
export function guardAllWebContents(allowedHosts: () => readonly string[], log: (msg: string) => void): void {
  app.on('web-contents-created', (_e, contents) => guardWebContents(contents, allowedHosts, log));
}

function guardWebContents(contents: WebContents, allowedHosts: () => readonly string[], log: (msg: string) => void): void {
  const onNavigate = (event: { preventDefault(): void }, url: string) => {
    const d = decideNavigation(url, allowedHosts());
    if (d.action === 'allow') return;
    event.preventDefault();
    if (d.action === 'open-external') void shell.openExternal(d.url);
    else log(`blocked navigation to ${redactUrl(url)}`);
  };
  contents.on('will-navigate', (event, url) => onNavigate(event, url));
  contents.on('will-redirect', (event, url) => onNavigate(event, url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const d = decideWindowOpen(url, allowedHosts());
    if (d.action === 'open-external') void shell.openExternal(d.url);
    else if (d.action === 'confirm-external') void confirmThenOpen(contents, d.url, d.host);
    else log(`blocked window.open to ${redactUrl(url)}`);
    return { action: 'deny' };
  });
}

async function confirmThenOpen(contents: WebContents, url: string, host: string): Promise<void> {
  const box = {
    type: 'question' as const,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
    message: `Open ${host} in your browser?`,
    detail: url.length > 300 ? `${url.slice(0, 299)}…` : url,
  };
  const win = BrowserWindow.fromWebContents(contents);
  const { response } = win ? await dialog.showMessageBox(win, box) : await dialog.showMessageBox(box);
  if (response === 0) await shell.openExternal(url);
}

/** Logs only scheme and host: a query string may carry a token. */
function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(invalid URL)';
  }
}
