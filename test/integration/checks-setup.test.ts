import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../shared/contract';
import { startEngine } from '../../electron/core/engine';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index';
import { tempDir } from '../helpers/tmp';

// The wizard's connection checks against the sandbox storefront and tenant over real HTTP.

let sandbox: Sandbox;
let engine: Awaited<ReturnType<typeof startEngine>>;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  tmp = tempDir('presslink-checks-setup-');
  sandbox = await startSandbox({ storeCount: 1, ordersPerStore: 3, pdfBytes: 4_000 });
  engine = await startEngine({ dataDir: tmp.dir, mode: 'headless', schedule: false });
});

afterAll(async () => {
  await engine?.stop();
  await sandbox?.close();
  tmp?.cleanup();
});

const byId = (rs: CheckResult[], id: string) => {
  const r = rs.find((x) => x.id === id);
  if (!r) throw new Error(`no result ${id} in ${rs.map((x) => x.id).join(', ')}`);
  return r;
};

describe('setup.checkInfigo', () => {
  it('passes every step with the store\'s real token, and reads an order and a line', async () => {
    const store = sandbox.infigo.stores[0]!;
    const rs = await engine.call('setup.checkInfigo', { baseUrl: store.baseUrl, apiToken: store.token });
    expect(rs.map((r) => [r.id, r.status])).toEqual([
      ['infigo-url', 'pass'],
      ['infigo-reachable', 'pass'],
      ['infigo-token', 'pass'],
      ['infigo-list-orders', 'pass'],
      ['infigo-read-order', 'pass'],
      ['infigo-catalogue', 'pass'],
    ]);
    expect(byId(rs, 'infigo-list-orders').message).toContain('3 orders');
    expect(JSON.stringify(rs)).not.toContain(store.token);
  });

  it('fails the token step with the account-manager advice, and never echoes the token', async () => {
    const store = sandbox.infigo.stores[0]!;
    const wrong = 'V3JvbmdUb2tlbi1kb2VzLW5vdC1leGlzdA==';
    const rs = await engine.call('setup.checkInfigo', { baseUrl: store.baseUrl, apiToken: wrong });
    const token = byId(rs, 'infigo-token');
    expect(token.status).toBe('fail');
    expect(token.fix).toMatch(/API token was refused/);
    expect(token.fix).toMatch(/Infigo account manager/);
    expect(byId(rs, 'infigo-reachable').status).toBe('pass');
    expect(byId(rs, 'infigo-list-orders').status).toBe('skip');
    const text = JSON.stringify(rs);
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(encodeURIComponent(wrong));
    expect(text).not.toContain(store.token);
  });

  it('fails "reachable" with the base-URL fix when nothing answers', async () => {
    const rs = await engine.call('setup.checkInfigo', { baseUrl: 'http://127.0.0.1:1/s/acme', apiToken: 'some-token-value' });
    const reach = byId(rs, 'infigo-reachable');
    expect(reach.status).toBe('fail');
    expect(reach.fix).toContain('https://yourcompany.infigo.net');
    expect(byId(rs, 'infigo-token').status).toBe('skip');
    expect(JSON.stringify(rs)).not.toContain('some-token-value');
  });

  it('refuses a malformed address and plain http to a remote host before any call', async () => {
    const bad = await engine.call('setup.checkInfigo', { baseUrl: 'not a url at all', apiToken: 'x-token-1234' });
    expect(byId(bad, 'infigo-url').status).toBe('fail');
    expect(byId(bad, 'infigo-url').fix).toContain('https://yourcompany.infigo.net');
    const http = await engine.call('setup.checkInfigo', { baseUrl: 'http://shop.example.com', apiToken: 'x-token-1234' });
    expect(byId(http, 'infigo-url').status).toBe('fail');
    expect(byId(http, 'infigo-url').fix).toContain('https://shop.example.com');
  });
});

describe('setup.checkGelato', () => {
  const endpoints = () => {
    const e = sandbox.gelato.endpoints;
    return { submitOrder: e.submitOrder, getOrder: e.getOrder, searchOrders: e.searchOrders, cancelOrder: e.cancelOrder, updateShipment: e.updateShipment };
  };

  it('accepts the tenant\'s key and customer reference', async () => {
    const rs = await engine.call('setup.checkGelato', { apiKey: sandbox.gelato.apiKey, endpoints: endpoints(), customerReferenceId: 'acme-ltd' });
    expect(rs.map((r) => [r.id, r.status])).toEqual([
      ['gelato-key-format', 'pass'],
      ['gelato-endpoints', 'pass'],
      ['gelato-key', 'pass'],
      ['gelato-search', 'pass'],
      ['gelato-customer', 'pass'],
    ]);
  });

  it('reports a refused key without showing it', async () => {
    const bad = `${sandbox.gelato.apiKey.split(':')[0]}:not-the-right-secret-123`;
    const rs = await engine.call('setup.checkGelato', { apiKey: bad, endpoints: endpoints() });
    const key = byId(rs, 'gelato-key');
    expect(key.status).toBe('fail');
    expect(key.message).toMatch(/refused the API key/);
    expect(key.fix).toMatch(/key:secret/);
    expect(JSON.stringify(rs)).not.toContain('not-the-right-secret-123');
  });

  it('checks the key format and the endpoint addresses before calling anything', async () => {
    const rs = await engine.call('setup.checkGelato', {
      apiKey: 'justakey',
      endpoints: { ...endpoints(), getOrder: 'http://api.partner-connect.io/api/x/order/y', searchOrders: '' },
    });
    expect(byId(rs, 'gelato-key-format').status).toBe('fail');
    const ep = byId(rs, 'gelato-endpoints');
    expect(ep.status).toBe('fail');
    expect(ep.message).toContain('getOrder: must be https://');
    expect(ep.message).toContain('searchOrders: missing');
    expect(byId(rs, 'gelato-key').status).toBe('skip');
  });
});
