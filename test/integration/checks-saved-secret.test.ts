import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('checking a saved connection', () => {
  it('checks the saved token without it being typed again, but never sends it to another address', async () => {
    h = await startHarness({ ordersPerStore: 2 });
    await h.configure();
    const { config } = (await h.engine.call('config.get', {})) as { config: { stores: { infigo: { baseUrl: string; apiToken: string } }[]; gelato: { apiKey: string; endpoints: Record<string, string> } } };
    const store = config.stores[0]!;
    expect(store.infigo.apiToken).toMatch(/^secret:/);

    const ok = await h.engine.call('setup.checkInfigo', { baseUrl: store.infigo.baseUrl, apiToken: store.infigo.apiToken });
    expect(ok.find((c) => c.id === 'infigo-token')?.status).toBe('pass');

    await expect(h.engine.call('setup.checkInfigo', { baseUrl: 'http://127.0.0.1:9/s/elsewhere', apiToken: store.infigo.apiToken })).rejects.toThrow(/type the token or key again/);

    const g = await h.engine.call('setup.checkGelato', { apiKey: config.gelato.apiKey, endpoints: config.gelato.endpoints, customerReferenceId: 'acme-ltd' });
    expect(g.find((c) => c.id === 'gelato-key')?.status).toBe('pass');
    await expect(
      h.engine.call('setup.checkGelato', { apiKey: config.gelato.apiKey, endpoints: { ...config.gelato.endpoints, getOrder: 'http://127.0.0.1:9/steal' } }),
    ).rejects.toThrow(/type the token or key again/);
  });
});
