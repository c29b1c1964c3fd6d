import type { SandboxLauncher, SandboxSession } from '../core/sandbox-port';
import { startSandbox, type Sandbox } from './index';

// The sandbox as the engine's port sees it (electron/core/sandbox-port.ts): the
// shells pass `sandboxLauncher` to startEngine, so the engine itself never
// imports the simulators.

/** `onStart` sees each sandbox as started (tests reach its simulators through it). */
export function createSandboxLauncher(opts: { onStart?: (sandbox: Sandbox) => void } = {}): SandboxLauncher {
  return {
    start: async ({ stores, ordersPerStore }) => {
      const sandbox = await startSandbox({ storeCount: stores, ordersPerStore, pdfBytes: 60_000, progression: 'manual' });
      opts.onStart?.(sandbox);
      return session(sandbox);
    },
  };
}

export const sandboxLauncher: SandboxLauncher = createSandboxLauncher();

function session(sandbox: Sandbox): SandboxSession {
  return {
    infigoUrl: sandbox.infigo.url,
    gelatoUrl: sandbox.gelato.url,
    storeIds: sandbox.infigo.stores.map((s) => s.id),
    connection: (publicBaseUrl) => sandbox.connection({ publicBaseUrl }).config,
    placeOrder: (storeId, order) => sandbox.infigo.addOrder(storeId, order).id,
    waitForFilesSettled: async (id, timeoutMs) => {
      const g = await sandbox.gelato.waitForFilesSettled(id, timeoutMs);
      return { status: g.status, failureReason: g.failureReason };
    },
    gelatoOrder: (id) => {
      const g = sandbox.gelato.order(id);
      return g && { status: g.status, files: g.files.map((f) => ({ itemReferenceId: f.itemReferenceId, status: f.status, bytes: f.bytes, sha256: f.sha256, problem: f.problem })) };
    },
    advance: (id, status) => sandbox.gelato.advance(id, status),
    infigoWrites: (storeId, orderId) => sandbox.infigo.statusWrites(storeId).filter((w) => w.orderId === orderId).map((w) => ({ at: w.at, changes: w.changes })),
    infigoOrder: (storeId, orderId) => {
      const d = sandbox.infigo.order(storeId, orderId)?.detail;
      return d && { OrderStatus: d.OrderStatus, ShippingStatus: d.ShippingStatus, TrackingNumber: d.TrackingNumber };
    },
    close: () => sandbox.close(),
  };
}
