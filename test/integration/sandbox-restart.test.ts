import { afterAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../electron/core/engine';
import { createSandboxLauncher } from '../../electron/sandbox/launcher';
import { tempDir } from '../helpers/tmp';

// "Try with the sandbox" after a restart: the simulated services stopped with the Presslink
// that started them, while the configuration still points at them. The engine says so at
// once — health error, naming the cause, with a button to start the sandbox again — and
// the test orders say the same, instead of a green header and a sync failing 22 s later.

const tmp = tempDir('presslink-sandbox-restart-');
afterAll(() => tmp.cleanup());

describe('sandbox mode across a restart', () => {
  it('reports the stopped sandbox plainly and comes back from the fix', async () => {
    const open = () => startEngine({ dataDir: tmp.dir, mode: 'headless', schedule: false, sandbox: createSandboxLauncher() });
    const first = await open();
    expect((await first.call('setup.useSandbox', { orders: 1 })).ok).toBe(true);
    expect(first.status().health).not.toBe('error');
    expect(first.status().sandbox).toBe('running');
    // The checkout script's configuration for each of the sandbox's storefronts.
    const ms = await first.call('shipping.megascript', {});
    expect(ms.perStore.map((p) => (JSON.parse(p.config) as { storefront: string }).storefront)).toEqual(((await first.call('config.get', {})).config as { stores: { infigo: { baseUrl: string } }[] }).stores.map((st) => st.infigo.baseUrl));
    expect(ms.perStore).toHaveLength(2);
    await first.stop();

    const second = await open();
    try {
      const s = second.status();
      expect(s.health).toBe('error');
      expect(s.healthCause?.key).toBe('health.cause.sandboxStopped');
      expect(s.healthFix).toMatchObject({ page: 'setup', action: 'restartSandbox' });
      expect(s.sandbox).toBe('stopped');
      await expect(second.call('checklist.placeTestOrders', {})).rejects.toThrow(/sandbox stopped when Presslink last stopped/);

      // The fix: start it again; the engine is back in sandbox mode and test orders can be placed.
      expect((await second.call('setup.useSandbox', { orders: 1 })).ok).toBe(true);
      expect(second.status().healthCause?.key).not.toBe('health.cause.sandboxStopped');
      expect(second.status().sandbox).toBe('running');
      expect((await second.call('checklist.placeTestOrders', {})).placed).toHaveLength(3);
    } finally {
      await second.stop();
    }
  });
});
