// The security sweep: a full sandbox sync with postbacks and status pushes, then a search
// for every secret in everything Presslink writes or answers, plus the inbound endpoints'
// authentication, the default bind, file-name containment and download-host pinning.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startEngine } from '../../electron/core/engine';
import { activate } from '../../electron/core/golive/activation';
import { signFileUrl } from '../../electron/core/files/delivery';
import { startServer } from '../../electron/core/server/index';
import { fileSigningKey } from '../../electron/core/connections';
import type { PostbackTrigger } from '../../electron/sandbox/gelato/index';
import { rawRequest } from '../helpers/raw-http';
import { SANDBOX_STATUS_PATH } from '../../electron/sandbox/index';
import { readTree } from '../helpers/tmp';
import { ACTIVE_STATES, startRelSandbox } from './lib';
import { startInfigoProxy } from './infigo-proxy';

export interface Leak {
  secret: string;
  where: string;
}

export interface EndpointCheck {
  what: string;
  status: number;
  expected: number[];
}

export interface SecurityResult {
  secretsChecked: string[];
  textsScanned: number;
  leaks: Leak[];
  /** Secrets found in the secret store file (a positive control for the search). */
  controlHits: number;
  endpoints: EndpointCheck[];
  defaultBind: string;
  filesOutsideRoot: string[];
  canaryHits: string[];
  submitted: number;
  postbacksDelivered: number;
  statusWrites: number;
  errorsSeen: number;
}

/** The forms a secret could leak in: as is, URL-encoded, base64. */
function forms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')])];
}

export async function securityRun(o: { orders: number }): Promise<SecurityResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-security-'));
  const sb = await startRelSandbox({ orders: o.orders, pdfBytes: 12_000, seed: 13, fileRetries: 3 });
  const proxy = await startInfigoProxy(sb.infigo.url);
  // Any request here means the engine followed a URL found in Infigo's data.
  const canaryHits: string[] = [];
  const canary = http.createServer((req, res) => {
    canaryHits.push(`${req.method} ${req.url}`);
    res.end('%PDF-1.4 not yours');
  });
  await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
  const canaryUrl = `http://127.0.0.1:${(canary.address() as { port: number }).port}`;

  const engine = await startEngine({ dataDir, mode: 'headless', schedule: false });
  const server = await engine.serve({ port: 0 });
  const texts: { where: string; text: string }[] = [];
  const endpoints: EndpointCheck[] = [];
  let errorsSeen = 0;
  try {
    const postbackSecret = `pbsec-${crypto.randomBytes(18).toString('base64url')}`;
    const quoteToken = `qtok-${crypto.randomBytes(18).toString('base64url')}`;
    const wrongInfigoToken = `WRONG-${crypto.randomBytes(12).toString('hex')}`;
    const store = sb.infigo.stores[0]!;
    const [gelatoKey, gelatoSecretPart] = sb.gelato.apiKey.split(':') as [string, string];
    const cfg = sb.config(server.url, (c) => {
      c.stores![0]!.infigo.baseUrl = `${proxy.url}/s/${sb.storeId}`;
      // A second store whose token Infigo refuses: its error messages are scanned too.
      c.stores!.push({ id: 'refused', name: 'Refused store', infigo: { baseUrl: `${proxy.url}/s/${sb.storeId}`, apiToken: wrongInfigoToken, statusWriter: { kind: 'rest', pathTemplate: SANDBOX_STATUS_PATH } }, gelatoCustomerReferenceId: 'refused-ltd', currency: 'GBP' });
      c.statusUpdates = { mode: 'postback', postbackSecret };
      c.shippingQuotes = { enabled: true, token: quoteToken, currency: 'GBP', source: 'rate-table', rateTable: [{ method: 'normal', country: '*', maxWeightGrams: 100_000, price: 4.5 }] };
      c.products = [...(c.products ?? []), { sku: '../../../../escape-me', productUid: 'large-posters_pf_a2_pt_200-gsm-coated-silk_cl_4-0_ver' }];
    });
    const secrets = [store.token, sb.gelato.apiKey, gelatoKey, gelatoSecretPart, postbackSecret, quoteToken, wrongInfigoToken];

    // Orders whose data tries to steer files: a traversal SKU, and URLs on another host.
    const evil = sb.infigo.addOrder(sb.storeId, { orderStatus: 'Pending', lines: [{ sku: '../../../../escape-me', quantity: 1 }] });
    const lured = sb.infigo.addOrder(sb.storeId, { orderStatus: 'Pending', lines: [{ sku: 'POSTER-A2', quantity: 1 }] });
    const lure = { DownloadUrl: `${canaryUrl}/steal.pdf`, OutputUrl: `${canaryUrl}/out.pdf`, ExtraData: { DownloadUrl: `${canaryUrl}/x.pdf`, PdfUrl: `${canaryUrl}/y.pdf` } };
    for (const l of lured.lines) {
      proxy.rewrites.set(`line:${l.jobId.toLowerCase()}`, { kind: 'patch', patch: lure });
      proxy.rewrites.set(`line:${l.jobNumber}`, { kind: 'patch', patch: lure });
    }
    proxy.rewrites.set(`detail:${lured.id}`, { kind: 'patch', patch: { ExtraData: { DownloadUrl: `${canaryUrl}/order.pdf` } } });

    const imported = await engine.call('config.import', { json: JSON.stringify(cfg) });
    if (!imported.ok) throw new Error(`config rejected: ${JSON.stringify(imported.problems)}`);
    await activate(engine.ctx, { by: 'sandbox', cutover: 'none' });
    const triggers = await engine.call('postbacks.triggers', {});
    sb.gelato.setTriggers(triggers.map((t) => ({ ...t, method: t.method as 'POST' | 'PUT', format: 'json' as const }) as PostbackTrigger));

    const call = async (name: string, body: unknown = {}) => {
      const res = await fetch(`${server.url}/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` }, body: JSON.stringify(body) });
      const text = await res.text();
      texts.push({ where: `HTTP answer of ${name} (${res.status})`, text });
      return JSON.parse(text) as { ok: boolean; result?: unknown; error?: { message: string } };
    };
    for (let i = 0; i < 4; i++) {
      const r = (await call('sync.now')) as { result?: { summary?: { errors: { reason: string }[] } } };
      errorsSeen += r.result?.summary?.errors.length ?? 0;
      const counts = engine.ctx.repo.counts();
      if (ACTIVE_STATES.every((s) => !counts[s as keyof typeof counts])) break;
    }
    // Move some orders along in GelatoConnect: postbacks come in, statuses go to Infigo.
    const submitted = sb.gelato.orders();
    for (const g of submitted) await sb.gelato.waitForFilesSettled(g.id, 30_000);
    for (const g of submitted.slice(0, 4)) {
      await sb.gelato.advance(g.id, 'shipped').catch(() => undefined);
    }
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && sb.gelato.postbacks().some((p) => p.attempts.length === 0)) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    await call('sync.now');

    // Error answers: bad input, unknown calls and orders, a quote with a wrong body.
    await call('orders.get', { id: 999_999 });
    await call('orders.get', { id: 'x' });
    await call('config.export', { includeSecrets: true });
    await call('no.such.call');
    await call('setup.checkInfigo', { baseUrl: store.baseUrl, apiToken: wrongInfigoToken });
    await call('setup.checkGelato', {}).catch(() => undefined);
    for (const ev of engine.ctx.db.prepare('SELECT message FROM events').pluck().all() as string[]) texts.push({ where: 'timeline event', text: ev });

    const exp = (await call('config.export', {})) as { result?: { json: string } };
    texts.push({ where: 'config export', text: exp.result?.json ?? '' });
    const diag = (await call('diagnostics.bundle')) as { result?: { json: string } };
    texts.push({ where: 'diagnostics bundle', text: diag.result?.json ?? '' });
    for (const name of ['engine.status', 'orders.list', 'config.get', 'doctor.run', 'checklist.run', 'stats.daily', 'mappings.unmapped']) await call(name);

    // ---- inbound endpoints ----
    const check = async (what: string, url: string, init: RequestInit, expected: number[]) => {
      const res = await fetch(url, init);
      const text = await res.text();
      texts.push({ where: `answer to ${what}`, text });
      endpoints.push({ what, status: res.status, expected });
    };
    const json = { 'content-type': 'application/json' };
    const pbBody = JSON.stringify({ event: 'order.shipped', status: 'shipped', orderReferenceId: 'PL-acme-10001', orderId: 'x' });
    await check('postback without secret', `${server.url}/hooks/gelato`, { method: 'POST', headers: json, body: pbBody }, [401]);
    await check('postback with wrong secret', `${server.url}/hooks/gelato`, { method: 'POST', headers: { ...json, 'x-presslink-secret': `${postbackSecret}x` }, body: pbBody }, [401]);
    await check('postback with the secret in the query instead', `${server.url}/hooks/gelato?secret=${encodeURIComponent(postbackSecret)}`, { method: 'POST', headers: json, body: pbBody }, [401]);
    const qBody = JSON.stringify({ country: 'GB', items: [] });
    await check('quote without token', `${server.url}/shipping/quote`, { method: 'POST', headers: json, body: qBody }, [401]);
    await check('quote with wrong token', `${server.url}/shipping/quote`, { method: 'POST', headers: { ...json, authorization: `Bearer ${quoteToken.slice(0, -1)}` }, body: qBody }, [401]);
    await check('quote with the postback secret', `${server.url}/shipping/quote`, { method: 'POST', headers: { ...json, authorization: `Bearer ${postbackSecret}` }, body: qBody }, [401]);

    const f = engine.ctx.db.prepare("SELECT id, name FROM files WHERE state = 'downloaded' LIMIT 1").get() as { id: number; name: string } | undefined;
    if (f) {
      const key = fileSigningKey(engine.ctx);
      const later = Math.floor(Date.now() / 1000) + 600;
      const good = signFileUrl(server.url, key, f.id, f.name, later);
      await check('file with a valid signature', good, {}, [200]);
      await check('file without signature', good.replace(/\?.*$/, ''), {}, [403]);
      await check('file with a wrong signature', good.replace(/sig=[^&]+/, 'sig=AAAA'), {}, [403]);
      await check('file with a changed expiry', good.replace(/exp=\d+/, `exp=${later + 3600}`), {}, [403]);
      await check('file with an expired signature', signFileUrl(server.url, key, f.id, f.name, Math.floor(Date.now() / 1000) - 5), {}, [410]);
      await check('file signed with another key', signFileUrl(server.url, 'not-the-key', f.id, f.name, later), {}, [403]);
      await check('another file id under the same signature', good.replace(`/files/${f.id}/`, `/files/${f.id + 1}/`), {}, [403]);
      await check('file path with ../', `${server.url}/files/${f.id}/..%2F..%2Fpresslink.db?exp=${later}&sig=x`, {}, [403, 404]);
    }

    // The local API on loopback: a credential on every call, Host and Origin checked (docs/security.md).
    const local = async (what: string, urlPath: string, init: { method?: string; headers?: Record<string, string>; body?: string }, expected: number[]) => {
      const res = await rawRequest(`${server.url}${urlPath}`, { ...init, headers: { host: `127.0.0.1:${server.port}`, ...init.headers } });
      texts.push({ where: `answer to ${what}`, text: res.text });
      endpoints.push({ what, status: res.status, expected });
    };
    await local('loopback call without a credential', '/api/call/config.export', { method: 'POST', headers: json, body: '{}' }, [401]);
    await local('loopback events without a credential', '/api/events', {}, [401]);
    await local("a web page's no-cors POST (no body)", '/api/call/sync.pause', { method: 'POST', headers: { origin: 'http://evil.example' } }, [403]);
    await local("a web page's form POST", '/api/call/sync.pause', { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }, [403]);
    await local('DNS rebinding: a foreign Host with its own origin', '/api/call/postbacks.triggers', { method: 'POST', headers: { ...json, host: `attacker.example:${server.port}`, origin: `http://attacker.example:${server.port}` }, body: '{}' }, [403]);
    await local('the API key in ?token= on a call', `/api/call/engine.status?token=${encodeURIComponent(server.apiKey)}`, { method: 'POST', headers: json, body: '{}' }, [400]);
    await local('a call with the API key but no JSON body', '/api/call/sync.pause', { method: 'POST', headers: { authorization: `Bearer ${server.apiKey}` } }, [415]);
    await local('a postback under a foreign Host', '/hooks/gelato', { method: 'POST', headers: { ...json, host: 'attacker.example', 'x-presslink-secret': postbackSecret }, body: pbBody }, [403]);
    secrets.push(server.apiKey);

    // A non-loopback bind: every contract call needs the access token. (Bound on all
    // interfaces for a moment; the test talks to it over 127.0.0.1 only.)
    const open = await startServer({ engine, host: '0.0.0.0', port: 0, tokenFile: path.join(dataDir, 'sec-token.json'), resetToken: true });
    try {
      const token = open.createdToken!;
      const url = `http://127.0.0.1:${open.port}`;
      await check('remote call without token', `${url}/api/call/engine.status`, { method: 'POST', headers: json, body: '{}' }, [401]);
      await check('remote call with wrong token', `${url}/api/call/engine.status`, { method: 'POST', headers: { ...json, authorization: 'Bearer nope' }, body: '{}' }, [401]);
      await check('remote call with token in a wrong scheme', `${url}/api/call/engine.status`, { method: 'POST', headers: { ...json, authorization: `Basic ${token}` }, body: '{}' }, [401]);
      await check('remote config export without token', `${url}/api/call/config.export`, { method: 'POST', headers: json, body: '{}' }, [401]);
      await check('remote events without token', `${url}/api/events`, {}, [401]);
      await check('remote call with the token', `${url}/api/call/engine.status`, { method: 'POST', headers: { ...json, authorization: `Bearer ${token}` }, body: '{}' }, [200]);
      secrets.push(token);
    } finally {
      await open.close();
    }
    const tokenFileText = fs.readFileSync(path.join(dataDir, 'sec-token.json'), 'utf8');
    texts.push({ where: 'access token file', text: tokenFileText });

    // Default bind.
    const dflt = await startServer({ engine, port: 0 });
    const defaultBind = (dflt.app.server.address() as { address: string }).address;
    await dflt.close();

    // Everything written: logs, every row of every table, config.json.
    engine.ctx.log.flush?.();
    await new Promise((r) => setTimeout(r, 300));
    const logDir = path.join(dataDir, 'logs');
    if (fs.existsSync(logDir)) for (const t of readTree(logDir)) texts.push({ where: `log ${path.basename(t.file)}`, text: t.text });
    for (const file of ['config.json']) {
      const p = path.join(dataDir, file);
      if (fs.existsSync(p)) texts.push({ where: file, text: fs.readFileSync(p, 'utf8') });
    }
    const db = new Database(path.join(dataDir, 'presslink.db'), { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      for (const t of tables) for (const row of db.prepare(`SELECT * FROM "${t}"`).all()) texts.push({ where: `table ${t}`, text: JSON.stringify(row) });
    } finally {
      db.close();
    }
    // The raw database file too (WAL checkpointed), in case of free pages holding old rows.
    engine.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    texts.push({ where: 'presslink.db file', text: fs.readFileSync(path.join(dataDir, 'presslink.db')).toString('latin1') });

    const leaks: Leak[] = [];
    for (const s of secrets) {
      for (const form of forms(s)) {
        for (const t of texts) if (t.text.includes(form)) leaks.push({ secret: `${s.slice(0, 4)}… (${s.length} chars${form !== s ? ', encoded' : ''})`, where: t.where });
      }
    }
    // Control: the secret store itself does hold them, so a search that finds nothing means something.
    const storeFile = fs.readdirSync(dataDir).find((n) => /secret/i.test(n) && n.endsWith('.json'));
    const storeText = storeFile ? fs.readFileSync(path.join(dataDir, storeFile), 'utf8') : '';
    const controlHits = secrets.filter((s) => storeText.includes(s)).length;
    const root = path.resolve(engine.ctx.config.get().files.folder ?? engine.ctx.files.files);
    const filesOutsideRoot = (engine.ctx.db.prepare('SELECT path FROM files').pluck().all() as string[]).filter((p) => !path.resolve(p).startsWith(root + path.sep));
    if (fs.existsSync(path.resolve(root, '../../../../escape-me'))) filesOutsideRoot.push('escape-me exists outside the files folder');
    void evil;
    return {
      secretsChecked: secrets.map((s) => `${s.slice(0, 4)}…`),
      textsScanned: texts.length,
      leaks,
      controlHits,
      endpoints,
      defaultBind,
      filesOutsideRoot,
      canaryHits,
      submitted: sb.gelato.orders().length,
      postbacksDelivered: sb.gelato.postbacks().filter((p) => p.attempts.some((a) => a.status === 200)).length,
      statusWrites: sb.infigo.statusWrites().length,
      errorsSeen,
    };
  } finally {
    await server.close();
    await engine.stop();
    await proxy.close();
    await new Promise((r) => canary.close(r));
    await sb.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
