// Runs every fixture of test/fixtures/bad-input in ONE sync run beside good orders:
// each bad order must end in its own specific, readable state while the good ones
// go through. Fixtures describe an Infigo sandbox order (SandboxOrderSpec overrides),
// optional print-file kinds, product mappings, and rewrites of Infigo's answers that
// the sandbox cannot produce (served by a small proxy in front of it).
import { GOOD_ADDRESS } from '../helpers/fixtures';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigInput } from '../../shared/config';
import { startEngine } from '../../electron/core/engine';
import { activate } from '../../electron/core/golive/activation';
import type { InfigoAddressJson, LineFileKind, SandboxOrderSpec } from '../../electron/sandbox/infigo/index';
import { SANDBOX_SHIPPING } from '../../electron/sandbox/index';
import { ACTIVE_STATES, startRelSandbox } from './lib';
import { startInfigoProxy, type Rewrite } from './infigo-proxy';

export const FIXTURE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/bad-input');

type RewriteSpec = { raw: string } | { patch: unknown } | { status: number };

export interface BadInputFixture {
  kind: string;
  description: string;
  order: Partial<Omit<SandboxOrderSpec, 'shippingAddress'>> & { shippingAddress?: Partial<InfigoAddressJson> };
  lineFiles?: { line: number; kind: LineFileKind }[];
  products?: NonNullable<ConfigInput['products']>;
  infigo?: { detail?: RewriteSpec; lines?: Record<string, RewriteSpec>; listTwice?: boolean; duplicateLine?: boolean };
  submitCount?: number;
  items?: number;
  expect: { state: string; reason: string };
  /** The engine does not do what `expect` says yet; reported, not asserted (see known-bugs.test.ts). */
  knownBug?: string;
}

export interface BadInputOutcome {
  kind: string;
  infigoOrderId: number;
  state: string;
  reason: string;
  ok: boolean;
  why: string[];
  knownBug?: string;
}

export function loadFixtures(): BadInputFixture[] {
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, f), 'utf8')) as BadInputFixture);
}

function toRewrite(r: RewriteSpec): Rewrite {
  if ('raw' in r) return { kind: 'raw', text: r.raw };
  if ('status' in r) return { kind: 'status', status: r.status };
  return { kind: 'patch', patch: r.patch };
}

export async function badInputRun(fixtures = loadFixtures()): Promise<{ outcomes: BadInputOutcome[]; good: { id: number; state: string }[]; filesOutsideRoot: string[] }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-bad-input-'));
  const sb = await startRelSandbox({ orders: 0, pdfBytes: 6_000, seed: 9, fileRetries: 1 });
  const proxy = await startInfigoProxy(sb.infigo.url);
  const engine = await startEngine({ dataDir, mode: 'headless', schedule: false });
  const server = await engine.serve({ port: 0 });
  try {
    const goodSpec = { shippingAddress: GOOD_ADDRESS, shippingMethod: 'First Class', orderStatus: 'Pending', lines: [{ sku: 'POSTER-A2', quantity: 3 }] };
    const good = [sb.infigo.addOrder(sb.storeId, goodSpec).id];
    const placed: { fx: BadInputFixture; id: number }[] = [];
    for (const fx of fixtures) {
      const spec: Partial<SandboxOrderSpec> = {
        shippingMethod: 'First Class',
        orderStatus: 'Pending',
        ...fx.order,
        shippingAddress: { ...GOOD_ADDRESS, ...(fx.order.shippingAddress ?? {}) } as InfigoAddressJson,
        lines: fx.order.lines ?? [{ sku: 'POSTER-A2', quantity: 1 }],
      };
      const v = sb.infigo.addOrder(sb.storeId, spec);
      for (const lf of fx.lineFiles ?? []) sb.infigo.setLineFile(sb.storeId, v.lines[lf.line]!.jobId, lf.kind);
      if (fx.infigo?.detail) proxy.rewrites.set(`detail:${v.id}`, toRewrite(fx.infigo.detail));
      for (const [i, rw] of Object.entries(fx.infigo?.lines ?? {})) {
        const l = v.lines[Number(i)]!;
        proxy.rewrites.set(`line:${l.jobId.toLowerCase()}`, toRewrite(rw));
        proxy.rewrites.set(`line:${l.jobNumber}`, toRewrite(rw));
      }
      if (fx.infigo?.listTwice) proxy.extraListIds.push(v.id, v.id);
      if (fx.infigo?.duplicateLine) proxy.rewrites.set(`detail:${v.id}`, { kind: 'patch', patch: { OrderLineItems: [v.detail.OrderLineItems[0], v.detail.OrderLineItems[0]] } });
      placed.push({ fx, id: v.id });
    }
    good.push(sb.infigo.addOrder(sb.storeId, goodSpec).id);

    const cfg = sb.config(server.url, (c) => {
      c.stores![0]!.infigo.baseUrl = `${proxy.url}/s/${sb.storeId}`;
      // No default shipping method: an unknown method must stop the order, not guess.
      c.shipping = { methods: { ...SANDBOX_SHIPPING.methods } };
      c.products = [...(c.products ?? []), ...fixtures.flatMap((f) => f.products ?? [])];
    });
    const imported = await engine.call('config.import', { json: JSON.stringify(cfg) });
    if (!imported.ok) throw new Error(`config rejected: ${JSON.stringify(imported.problems)}`);
    await activate(engine.ctx, { by: 'sandbox', cutover: 'none' });
    // Until nothing is active, or a cycle changed nothing (an order that never settles is a finding, not a reason to wait).
    let before = '';
    for (let i = 0; i < 6; i++) {
      await engine.call('sync.now', {});
      const counts = engine.ctx.repo.counts();
      if (ACTIVE_STATES.every((s) => !counts[s as keyof typeof counts])) break;
      const now = JSON.stringify(counts);
      if (now === before) break;
      before = now;
    }
    for (const g of sb.gelato.orders()) await sb.gelato.waitForFilesSettled(g.id, 30_000);

    const repo = engine.ctx.repo;
    const outcomes = placed.map(({ fx, id }): BadInputOutcome => {
      const o = repo.byInfigoId(sb.storeId, id);
      const timeline = o ? repo.timeline(o.id) : [];
      const last = timeline.filter((e) => e.kind !== 'retry').at(-1);
      const submittedEvent = timeline.find((e) => e.kind === 'submitted');
      const reason =
        o?.state === 'needs_attention' || o?.state === 'skipped' ? (o.attentionReason ?? '') : o?.state === 'submitted' ? (submittedEvent?.message ?? '') : (last?.message ?? '');
      const why: string[] = [];
      const state = o?.state ?? 'absent';
      if (state !== fx.expect.state) why.push(`state ${state}, expected ${fx.expect.state}`);
      if (!new RegExp(fx.expect.reason, 'i').test(reason)) why.push(`reason does not match /${fx.expect.reason}/i`);
      if (!reason.trim() || reason.length < 20) why.push('reason is not a readable sentence');
      const ref = o?.orderReferenceId;
      if (fx.submitCount !== undefined && ref && sb.gelato.submitCount(ref) !== fx.submitCount) why.push(`submitted ${sb.gelato.submitCount(ref)} times`);
      if (fx.items !== undefined && ref) {
        const items = (sb.gelato.order(ref)?.payload.items as unknown[] | undefined)?.length;
        if (items !== fx.items) why.push(`${items} items in GelatoConnect, expected ${fx.items}`);
      }
      if (state === 'submitted' && ref && sb.gelato.order(ref)?.status === 'failed') why.push(`GelatoConnect failed it: ${sb.gelato.order(ref)?.failureReason}`);
      return { kind: fx.kind, infigoOrderId: id, state, reason, ok: why.length === 0, why, knownBug: fx.knownBug };
    });
    const root = path.resolve(engine.ctx.config.get().files.folder ?? engine.ctx.files.files);
    const filesOutsideRoot = (engine.ctx.db.prepare('SELECT path FROM files').pluck().all() as string[]).filter((p) => !path.resolve(p).startsWith(root + path.sep));
    return {
      outcomes,
      good: good.map((id) => ({ id, state: repo.byInfigoId(sb.storeId, id)?.state ?? 'absent' })),
      filesOutsideRoot,
    };
  } finally {
    await server.close();
    await engine.stop();
    await proxy.close();
    await sb.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * An order cancelled in Infigo mid-flight: its print file is not there yet, so the engine
 * waits in the files step; meanwhile the order is cancelled in Infigo and the file appears.
 */
export async function cancelMidFlightRun(): Promise<{ state: string; gelatoStatus: string | null; timeline: string[]; goodState: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-cancel-'));
  const sb = await startRelSandbox({ orders: 0, pdfBytes: 6_000, seed: 10, fileRetries: 1 });
  const engine = await startEngine({ dataDir, mode: 'headless', schedule: false });
  const server = await engine.serve({ port: 0 });
  try {
    const imported = await engine.call('config.import', { json: JSON.stringify(sb.config(server.url)) });
    if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
    await activate(engine.ctx, { by: 'sandbox', cutover: 'none' });
    const spec = { orderStatus: 'Pending', shippingMethod: 'First Class', shippingAddress: GOOD_ADDRESS, lines: [{ sku: 'POSTER-A2', quantity: 1 }] };
    const v = sb.infigo.addOrder(sb.storeId, spec);
    const good = sb.infigo.addOrder(sb.storeId, spec);
    sb.infigo.setLineFile(sb.storeId, v.lines[0]!.jobId, 'missing');
    const cycle = engine.call('sync.now', {});
    for (let i = 0; i < 400 && engine.ctx.repo.byInfigoId(sb.storeId, v.id)?.state !== 'files'; i++) await new Promise((r) => setTimeout(r, 25));
    sb.infigo.setOrderStatus(sb.storeId, v.id, 'Cancelled');
    sb.infigo.setLineFile(sb.storeId, v.lines[0]!.jobId, 'pdf');
    await cycle;
    await engine.call('sync.now', {});
    const o = engine.ctx.repo.byInfigoId(sb.storeId, v.id)!;
    return {
      state: o.state,
      gelatoStatus: sb.gelato.order(o.orderReferenceId)?.status ?? null,
      timeline: engine.ctx.repo.timeline(o.id).map((e) => `${e.kind}: ${e.message}`),
      goodState: engine.ctx.repo.byInfigoId(sb.storeId, good.id)?.state ?? 'absent',
    };
  } finally {
    await server.close();
    await engine.stop();
    await sb.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
