import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presslink } from '../helpers/cli';
import { startHarness, type Harness } from '../helpers/harness';

// One health for every face: after a sync that could not reach a store, the running engine
// (the header and the tray read it) and `presslink status` run beside it say the same —
// error — and both name the cause and where to fix it. (Before, the running engine kept the
// error in memory, so the header showed a bare ERROR while the CLI said healthy.)

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ ordersPerStore: 2 });
  await h.configure((cfg) => {
    cfg.stores[0]!.infigo.baseUrl = 'http://127.0.0.1:1/';
  });
  const s = await h.sync();
  expect(s.ok).toBe(false);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('health', () => {
  it('is error with its cause and fix in the running engine and in `presslink status` beside it', () => {
    const running = h.engine.status();
    expect(running.health).toBe('error');
    expect(running.healthCause?.key).toBe('health.cause.lastSyncFailed');
    expect(running.healthFix?.page).toBe('troubleshooting');

    const cli = presslink(['status', '--json', '--data-dir', h.dataDir]);
    expect(cli.code).toBe(0);
    const s = JSON.parse(cli.stdout) as typeof running;
    expect(s.health).toBe('error');
    expect(s.healthCause).toEqual(running.healthCause);

    const text = presslink(['status', '--data-dir', h.dataDir, '--lang', 'it']);
    expect(text.stdout).toMatch(/— error/);
    expect(text.stdout).toMatch(/L'ultima sincronizzazione ha avuto un problema: .*127\.0\.0\.1:1/);
    expect(text.stdout).toMatch(/Apri Risoluzione problemi/);
  });
});
