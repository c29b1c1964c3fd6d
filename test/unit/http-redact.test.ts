import { describe, expect, it } from 'vitest';
import { HttpClient, HttpError, redact, redactHeaders } from '../../electron/core/http';

const TOKEN = 'ZmFrZS10b2tlbi0xMjM0NTY3ODkw';
const KEY = 'gc_live_key_1234:gc_secret_abcdefgh';

describe('redact', () => {
  it('removes known secrets in plain, URL-encoded and base64 forms, and each half of key:secret', () => {
    const text = [
      `token ${TOKEN}`,
      `path /x/${encodeURIComponent(KEY)}`,
      `b64 ${Buffer.from(`${TOKEN}:`).toString('base64')}`,
      `half gc_secret_abcdefgh`,
    ].join('\n');
    const out = redact(text, [TOKEN, KEY]);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain('gc_secret_abcdefgh');
    expect(out).not.toContain('gc_live_key_1234');
    expect(out).not.toContain(Buffer.from(`${TOKEN}:`).toString('base64'));
    expect(out).toContain('[redacted]');
  });

  it('masks credential-looking patterns it was not told about', () => {
    const out = redact(
      'Authorization: Basic dXNlcjpwYXNzMTIz x-api-key=abc:def https://h/services/api/auth/SECRETTOKEN?x=1 ' +
        'https://h/f.pdf?signature=abc123&expires=9 {"apiKey":"k-1","name":"ok"} https://user:pw@host/p',
    );
    for (const s of ['dXNlcjpwYXNzMTIz', 'abc:def', 'SECRETTOKEN', 'abc123', 'k-1', 'user:pw']) expect(out).not.toContain(s);
    expect(out).toContain('"name":"ok"');
    expect(out).toContain('expires=9');
  });

  it('keeps ordinary prose intact', () => {
    expect(redact('Basic information about the order')).toBe('Basic information about the order');
  });

  it('masks sensitive headers entirely', () => {
    expect(redactHeaders({ Authorization: 'Basic x', 'X-API-KEY': 'k:s', Accept: 'application/json' })).toEqual({
      Authorization: '[redacted]',
      'X-API-KEY': '[redacted]',
      Accept: 'application/json',
    });
  });
});

describe('HttpError never carries secrets', () => {
  it('redacts the URL, the response body and the serialised error', async () => {
    const fetch = async () =>
      new Response(`invalid token ${TOKEN}; your key was ${KEY}`, { status: 401 });
    const c = new HttpClient({ service: 'Infigo', fetch, secrets: [TOKEN, KEY], sleep: async () => {} });
    const err = await c.json(`https://store.example/services/api/auth/${TOKEN}?apiKey=${encodeURIComponent(KEY)}`).catch((e) => e);
    const everything = [err.message, err.userMessage, err.hint, err.url, err.detail, JSON.stringify(err), String(err.stack)].join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('gc_secret_abcdefgh');
    expect(everything).not.toContain(encodeURIComponent(KEY));
    expect(err.code).toBe('unauthorized');
    expect(err.detail).toContain('invalid token [redacted]');
  });
});

describe('retry reports never carry secrets', () => {
  it('redacts the URL given to onRetry', async () => {
    let n = 0;
    const fetch = async () => (++n === 1 ? new Response('{}', { status: 503 }) : new Response('[]', { status: 200 }));
    const seen: string[] = [];
    const c = new HttpClient({ service: 'Infigo', fetch, secrets: [TOKEN], sleep: async () => {}, onRetry: (i) => seen.push(`${i.method} ${i.url} ${i.reason}`) });
    await c.json(`https://store.example/services/api/auth/${TOKEN}`);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^GET https:\/\/store\.example\/services\/api\/auth\/\[redacted\] HTTP 503$/);
  });

  it('masks credential-shaped text even in messages a client wrote itself', () => {
    const e = new HttpError({ code: 'client_error', service: 'X', method: 'GET', url: 'https://h/p?token=abc123', userMessage: 'failed with Authorization: Bearer abcdef123456', hint: 'h' });
    expect(e.message).not.toContain('abcdef123456');
    expect(e.url).not.toContain('abc123');
  });
});
