import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  DEFAULT_EXTERNAL_HOSTS,
  appUrl,
  buildCsp,
  decideNavigation,
  decideWindowOpen,
  isAllowedExternalUrl,
  mimeType,
  resolveAppFile,
  storeHostsFromConfig,
} from '../../electron/main/security';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

describe('content security policy', () => {
  const csp = directives(buildCsp());

  it('denies by default and allows scripts only from our own origin', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
  });

  it('never allows inline scripts, eval or remote hosts for scripts and connections', () => {
    for (const d of ['script-src', 'connect-src']) {
      const v = csp.get(d)!.join(' ');
      expect(v).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    }
  });

  it('forbids plugins, frames, base-tag hijacking and form posts', () => {
    for (const d of ['object-src', 'frame-src', 'frame-ancestors', 'base-uri', 'form-action']) expect(csp.get(d)).toEqual(["'none'"]);
  });

  it('lets images and fonts come from data: URLs but not from the network', () => {
    expect(csp.get('img-src')).toContain('data:');
    expect(csp.get('img-src')!.some((v) => v.startsWith('http'))).toBe(false);
  });
});

describe('navigation allowlist', () => {
  const hosts = [...DEFAULT_EXTERNAL_HOSTS, 'acme.infigo.net'];

  it('keeps our own pages in the window', () => {
    expect(decideNavigation(appUrl('#/attention'), hosts)).toEqual({ action: 'allow' });
    expect(decideNavigation(`${APP_ORIGIN}/index.html`, hosts)).toEqual({ action: 'allow' });
  });

  it('sends allowlisted https links to the system browser', () => {
    expect(decideNavigation('https://acme.infigo.net/Admin/Order/Edit/12', hosts)).toEqual({
      action: 'open-external',
      url: 'https://acme.infigo.net/Admin/Order/Edit/12',
    });
    expect(decideNavigation('https://academy.infigo.net/docs', hosts).action).toBe('open-external');
  });

  it('blocks http, other schemes, other hosts and look-alike hosts', () => {
    for (const url of [
      'http://acme.infigo.net/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://evil.example/',
      'https://acme.infigo.net.evil.example/',
      'https://evilacme.infigo.net/',
      'presslink://other/index.html',
      'https://user:pw@acme.infigo.net/',
      'not a url',
    ]) {
      expect(decideNavigation(url, hosts), url).toEqual({ action: 'block' });
    }
  });

  it('matches hosts case-insensitively', () => {
    expect(isAllowedExternalUrl('https://ACME.Infigo.NET/x', hosts)).toBe(true);
  });

  it('never opens a new window, even for our own pages', () => {
    expect(decideWindowOpen(appUrl(), hosts)).toEqual({ action: 'block' });
    expect(decideWindowOpen('https://acme.infigo.net/', hosts).action).toBe('open-external');
  });

  it('asks before sending any other https link (a tracking page) to the browser', () => {
    expect(decideWindowOpen('https://www.dhl.com/track?id=1', hosts)).toEqual({ action: 'confirm-external', url: 'https://www.dhl.com/track?id=1', host: 'www.dhl.com' });
    for (const url of ['http://www.dhl.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'https://u:p@www.dhl.com/', 'smb://server/share']) {
      expect(decideWindowOpen(url, hosts), url).toEqual({ action: 'block' });
    }
    // In-window navigation never asks: it is simply refused.
    expect(decideNavigation('https://www.dhl.com/', hosts)).toEqual({ action: 'block' });
  });

  it('reads the shop storefront hosts from the config, https only', () => {
    const config = {
      stores: [
        { infigo: { baseUrl: 'https://acme.infigo.net' } },
        { infigo: { baseUrl: 'https://Shop.Example.com:8443/base' } },
        { infigo: { baseUrl: 'http://127.0.0.1:4000' } },
        { infigo: { baseUrl: 'nonsense' } },
        { infigo: {} },
        null,
      ],
    };
    expect(storeHostsFromConfig(config)).toEqual(['acme.infigo.net', 'shop.example.com']);
    expect(storeHostsFromConfig(undefined)).toEqual([]);
    expect(storeHostsFromConfig({ stores: 'x' })).toEqual([]);
  });
});

describe('app protocol file mapping', () => {
  const root = path.resolve('/opt/presslink/dist/renderer');

  it('maps our URLs to files under the renderer build', () => {
    expect(resolveAppFile(root, `${APP_ORIGIN}/index.html`)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, `${APP_ORIGIN}/assets/app-1a2b.js`)).toBe(path.join(root, 'assets', 'app-1a2b.js'));
    expect(resolveAppFile(root, `${APP_ORIGIN}/`)).toBe(path.join(root, 'index.html'));
  });

  it('serves index.html for extension-less routes', () => {
    expect(resolveAppFile(root, `${APP_ORIGIN}/orders/12`)).toBe(path.join(root, 'index.html'));
  });

  it('refuses to leave the renderer folder', () => {
    for (const url of [
      `${APP_ORIGIN}/../../../etc/passwd.txt`,
      `${APP_ORIGIN}/%2e%2e/%2e%2e/secrets.json`,
      `${APP_ORIGIN}/assets/..%2f..%2f..%2fconfig.json`,
      `${APP_ORIGIN}/..%5c..%5cconfig.json`,
    ]) {
      const file = resolveAppFile(root, url);
      if (file !== null) expect(file.startsWith(root + path.sep), `${url} -> ${file}`).toBe(true);
    }
  });

  it('answers only for our scheme and host', () => {
    expect(resolveAppFile(root, 'presslink://evil/index.html')).toBeNull();
    expect(resolveAppFile(root, 'https://app/index.html')).toBeNull();
    expect(resolveAppFile(root, `${APP_ORIGIN}/%E0%A4%A.js`)).toBeNull();
  });

  it('names the content type browsers need to run modules', () => {
    expect(mimeType('a/b.js')).toMatch(/^text\/javascript/);
    expect(mimeType('index.html')).toMatch(/^text\/html/);
    expect(mimeType('x.unknown')).toBe('application/octet-stream');
  });
});
