import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OneTimeCodes, apiKeyFor, apiKeyFromFile, loadServerSecret, mintSession, verifySession } from '../../electron/core/server/credentials';
import { fetchSiteAllowed, hostAllowed, isLoopbackHost, originVerdict, parseHostHeader } from '../../electron/core/server/guard';

// The local API's decisions that need no server: which Host names cannot come from a
// rebinding page, which Origin is the server's own, and the credentials' lifetimes.

describe('isLoopbackHost (the bind address: decides whether an access token is made and printed)', () => {
  it('knows the whole loopback range and its spellings', () => {
    for (const h of ['127.0.0.1', '127.0.0.2', '127.255.255.254', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'app.localhost']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.5', '10.0.0.1', '128.0.0.1', 'localhost.example.com', '127.0.0.1.nip.io', '::ffff:10.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
  });
});

describe('Host allow-list', () => {
  const policy = { allowHosts: ['printshop.lan'], publicHosts: () => ['print.example.com'] };
  it('accepts IP literals, localhost, this machine and --allow-host names; refuses any other name', () => {
    for (const h of ['127.0.0.1:4780', '[::1]:4780', '192.168.1.5:4780', '10.0.0.7', 'localhost:4780', 'printshop.lan:8080', `${os.hostname()}:4780`]) expect(hostAllowed(h, policy, true), h).toBe(true);
    for (const h of ['attacker.example:4780', '127.0.0.1.attacker.example:4780', 'print.example.com', undefined, '', 'a b', 'x:99999999']) expect(hostAllowed(h, policy, true), String(h)).toBe(false);
  });
  it('the configured public host opens the public routes only, never /api', () => {
    expect(hostAllowed('print.example.com', policy, false)).toBe(true);
    expect(hostAllowed('PRINT.example.com.:443', policy, false)).toBe(true);
    expect(hostAllowed('print.example.com', policy, true)).toBe(false);
    expect(hostAllowed('other.example.com', policy, false)).toBe(false);
  });
  it('parses Host headers strictly', () => {
    expect(parseHostHeader('Example.COM:8080')).toEqual({ name: 'example.com', port: 8080 });
    expect(parseHostHeader('[::1]:4780')).toEqual({ name: '::1', port: 4780 });
    expect(parseHostHeader('user@evil:80')).toBeNull();
    expect(parseHostHeader('evil.example/path')).toBeNull();
  });
});

describe('Origin check', () => {
  it("'same' only for the scheme + host the request was addressed to", () => {
    expect(originVerdict(undefined, '127.0.0.1:4780')).toBe('absent');
    expect(originVerdict('http://127.0.0.1:4780', '127.0.0.1:4780')).toBe('same');
    expect(originVerdict('https://print.example.com', 'print.example.com:443')).toBe('same');
    expect(originVerdict('http://127.0.0.1:4781', '127.0.0.1:4780')).toBe('foreign');
    expect(originVerdict('http://localhost:4780', '127.0.0.1:4780')).toBe('foreign');
    expect(originVerdict('null', '127.0.0.1:4780')).toBe('foreign');
    expect(originVerdict('file://', '127.0.0.1:4780')).toBe('foreign');
  });
  it('Sec-Fetch-Site: same-origin or none (typed by the user) only', () => {
    expect(fetchSiteAllowed(undefined)).toBe(true);
    expect(fetchSiteAllowed('same-origin')).toBe(true);
    expect(fetchSiteAllowed('none')).toBe(true);
    expect(fetchSiteAllowed('same-site')).toBe(false);
    expect(fetchSiteAllowed('cross-site')).toBe(false);
  });
});

describe('credentials', () => {
  it('a one-time code works once, and not after 15 minutes', () => {
    let now = 1_000_000;
    const codes = new OneTimeCodes(15 * 60_000, () => now);
    const a = codes.mint();
    const b = codes.mint();
    expect(codes.redeem(a)).toBe(true);
    expect(codes.redeem(a)).toBe(false);
    now += 15 * 60_000;
    expect(codes.redeem(b)).toBe(false);
    expect(codes.redeem(undefined)).toBe(false);
    expect(codes.redeem('x'.repeat(32))).toBe(false);
  });

  it('a session cookie is valid for 30 days, for this secret only, and cannot be altered', () => {
    const secret = loadServerSecret();
    const t0 = Date.UTC(2026, 0, 1);
    const s = mintSession(secret, t0);
    expect(verifySession(secret, s, t0 + 29 * 86_400_000)).toBe(true);
    expect(verifySession(secret, s, t0 + 31 * 86_400_000)).toBe(false);
    expect(verifySession(loadServerSecret(), s, t0)).toBe(false);
    const [v, exp, nonce, sig] = s.split('.');
    expect(verifySession(secret, [v, String(Number(exp) + 86_400 * 365), nonce, sig].join('.'), t0)).toBe(false);
    expect(verifySession(secret, undefined, t0)).toBe(false);
  });

  it('the server secret is made once, owner-only, and two loads agree on the API key', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-auth-'));
    try {
      const file = path.join(dir, 'server-auth.json');
      const a = loadServerSecret(file);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(apiKeyFor(loadServerSecret(file))).toBe(apiKeyFor(a));
      expect(apiKeyFromFile(file)).toBe(apiKeyFor(a));
      fs.writeFileSync(file, '{not json');
      expect(() => loadServerSecret(file)).toThrow(/damaged: delete it/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
