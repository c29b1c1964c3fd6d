import type { SyncSummary } from '../../shared/contract';
import { startEngine } from '../../electron/core/engine';
import type { Served } from '../../electron/core/engine-types';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../electron/sandbox/index';
import { tempDir } from './tmp';

export type TestEngine = Awaited<ReturnType<typeof startEngine>>;

export interface Harness {
  sandbox: Sandbox;
  engine: TestEngine;
  server: Served;
  dataDir: string;
  /** Imports the sandbox's configuration, with optional changes. */
  configure(edit?: (cfg: ReturnType<Sandbox['connection']>['config']) => void): Promise<void>;
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
    async configure(edit) {
      const { config } = sandbox.connection({ publicBaseUrl: server.url });
      edit?.(config);
      const r = await engine.call('config.import', { json: JSON.stringify(config) });
      if (!r.ok) throw new Error(`config rejected: ${JSON.stringify(r.problems)}`);
    },
    async sync() {
      const r = await engine.call('sync.now', {});
      if (!r.summary) throw new Error(`sync did not run: ${r.reason}`);
      return r.summary;
    },
    async close() {
      await server.close();
      await engine.stop();
      await sandbox.close();
      t.cleanup();
    },
  };
}
