import type { SyncSummary } from '../../shared/contract';
import { startEngine } from '../../electron/core/engine';
import { activate } from '../../electron/core/golive/activation';
import type { Served } from '../../electron/core/engine-types';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../electron/sandbox/index';
import { tempDir } from './tmp';

export type TestEngine = Awaited<ReturnType<typeof startEngine>>;

export interface Harness {
  sandbox: Sandbox;
  engine: TestEngine;
  server: Served;
  dataDir: string;
  /**
   * Imports the sandbox's configuration, with optional changes, and activates Presslink the
   * way "Try with the sandbox" does: the simulated orders count as new (no cut-over), so they
   * flow. `activate: false` leaves it unactivated (the go-live tests activate it themselves).
   */
  configure(edit?: (cfg: ReturnType<Sandbox['connection']>['config']) => void, opts?: { activate?: boolean }): Promise<void>;
  sync(): Promise<SyncSummary>;
  close(): Promise<void>;
}

/** Sandbox + engine + its HTTP server (for signed file URLs) in a fresh data directory. */
export async function startHarness(opts: SandboxOptions & { dataDir?: string } = {}): Promise<Harness> {
  const t = opts.dataDir ? { dir: opts.dataDir, cleanup: () => {} } : tempDir('presslink-harness-');
  const sandbox = await startSandbox({ storeCount: 1, ordersPerStore: 20, pdfBytes: 8_000, ...opts });
  const engine = await startEngine({ dataDir: t.dir, mode: 'headless', schedule: false });
  const server = await engine.serve({ port: 0 });
  return {
    sandbox,
    engine,
    server,
    dataDir: t.dir,
    async configure(edit, o = {}) {
      const { config } = sandbox.connection({ publicBaseUrl: server.url });
      edit?.(config);
      const r = await engine.call('config.import', { json: JSON.stringify(config) });
      if (!r.ok) throw new Error(`config rejected: ${JSON.stringify(r.problems)}`);
      if (o.activate !== false) await activate(engine.ctx, { by: 'sandbox', cutover: 'none' });
    },
    async sync() {
      // A cycle the engine started by itself (after "send older orders" or a retry) may still
      // be running: a person pressing "Sync now" then is told so; a test waits for it to end
      // and runs its own, so the summary it reads is of a cycle that began after its setup.
      for (let waited = 0; ; ) {
        const r = await engine.call('sync.now', {});
        if (r.summary) return r.summary;
        if (!engine.ctx.sync.isRunning() || waited > 120_000) throw new Error(`sync did not run: ${r.reason}`);
        await new Promise((res) => setTimeout(res, 50));
        waited += 50;
      }
    },
    async close() {
      await server.close();
      await engine.stop();
      await sandbox.close();
      t.cleanup();
    },
  };
}
