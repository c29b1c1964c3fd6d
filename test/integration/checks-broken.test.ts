import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../shared/contract';
import { startEngine } from '../../electron/core/engine';
import { testRunSettled } from '../../electron/core/checks/index';
import type { Served } from '../../electron/core/engine-types';
import type { Sandbox } from '../../electron/sandbox/index';
import { createSandboxLauncher } from '../../electron/sandbox/launcher';
import { tempDir } from '../helpers/tmp';

// A broken path must fail its checklist step with the order and line named, and show in doctor.

let engine: Awaited<ReturnType<typeof startEngine>>;
let server: Served;
/** The sandboxes the engine started, newest last (their simulators, for the test to reach into). */
const started: Sandbox[] = [];
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  tmp = tempDir('presslink-checks-broken-');
  engine = await startEngine({ dataDir: tmp.dir, mode: 'headless', schedule: false, sandbox: createSandboxLauncher({ onStart: (s) => started.push(s) }) });
  server = await engine.serve({ port: 0 });
});

afterAll(async () => {
  await server?.close();
  await engine?.stop();
  tmp?.cleanup();
});

const byId = (rs: CheckResult[], id: string) => rs.find((r) => r.id === id)!;

describe('a print file Infigo serves wrongly', () => {
  it('fails files-transferred naming the order and line, while the other steps keep their evidence', async () => {
    expect((await engine.call('setup.useSandbox', { orders: 0 })).ok).toBe(true);
    const sb = started.at(-1)!;
    const { placed } = await engine.call('checklist.placeTestOrders', {});
    // The multi-line order's second line now serves something that is not a PDF.
    const multi = sb.infigo.order('acme', placed[2]!)!;
    const broken = multi.lines[1]!;
    sb.infigo.setLineFile('acme', broken.jobId, 'not-pdf');
    await testRunSettled(engine.ctx);

    const rs = await engine.call('checklist.run', {});
    const files = byId(rs, 'files-transferred');
    expect(files.status).toBe('fail');
    expect(files.message).toContain(`order ${placed[2]}`);
    expect(files.message).toContain(`line ${broken.jobId}`);
    expect(files.message).toContain(broken.sku);
    expect(files.fix).toMatch(/file export/);
    const ev = files.evidence as { infigoOrderId: number; jobId: string; state: string; error: string | null; sha256: string | null }[];
    expect(ev.find((e) => e.jobId === broken.jobId)).toMatchObject({ infigoOrderId: placed[2], state: 'failed', sha256: null });
    expect(ev.filter((e) => e.state === 'downloaded' && e.sha256).length).toBe(ev.length - 1);
    // The two intact orders still went all the way.
    expect(byId(rs, 'order-to-delivery').status).toBe('pass');
    expect(byId(rs, 'mixed-orders').status).toBe('pass');

    const doc = await engine.call('doctor.run', {});
    const pf = byId(doc, 'print-files');
    expect(pf.status).toBe('fail');
    expect(pf.message).toContain(`order ${placed[2]} line ${broken.jobId}`);
    expect(pf.fix).toMatch(/file export settings in Infigo/);
  });
});
