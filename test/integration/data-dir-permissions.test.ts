import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness';
import { tempDir } from '../helpers/tmp';

// Issue 13: the data directory, the database and the print files were readable by every
// local user (0755/0644): customer names and addresses on a shared workstation. Everything
// Presslink creates there is now owner-only (folders 0700, files 0600), and an existing data
// directory of an earlier version is tightened when the engine starts.

const posix = process.platform !== 'win32';
const mode = (p: string) => fs.statSync(p).mode & 0o777;
const octal = (n: number) => `0${n.toString(8)}`;

function walk(dir: string, out: { path: string; dir: boolean }[] = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    out.push({ path: p, dir: e.isDirectory() });
    if (e.isDirectory()) walk(p, out);
  }
  return out;
}

let h: Harness | undefined;
const t = tempDir('presslink-perms-');
afterAll(async () => {
  await h?.close();
  t.cleanup();
});

describe.skipIf(!posix)('owner-only data directory', () => {
  it('a fresh data directory, its database, logs, backups and print files are readable by their owner only', async () => {
    const dataDir = path.join(t.dir, 'fresh', 'Presslink');
    h = await startHarness({ dataDir, ordersPerStore: 3, pdfBytes: 4_000 });
    await h.configure();
    await h.configure((cfg) => void (cfg.stores[0]!.name = 'Renamed, so a backup is kept'));
    const s = await h.sync();
    expect(s.submitted).toBeGreaterThan(0);
    const entries = [{ path: dataDir, dir: true }, ...walk(dataDir)];
    const names = entries.map((e) => path.relative(dataDir, e.path));
    // The things the issue names are really there to be checked.
    for (const expected of ['presslink.db', 'presslink.db-wal', 'presslink.db-shm', 'config.json', 'secrets.json', 'logs/presslink.log', 'config-backups', 'files']) {
      expect(names).toContain(expected);
    }
    expect(entries.some((e) => !e.dir && e.path.endsWith('.pdf'))).toBe(true);
    const wrong = entries.filter((e) => mode(e.path) !== (e.dir ? 0o700 : 0o600)).map((e) => `${path.relative(dataDir, e.path) || '.'} ${octal(mode(e.path))}`);
    expect(wrong).toEqual([]);
  }, 60_000);

  it('tightens the data directory of an earlier version when the engine starts', async () => {
    await h?.close();
    h = undefined;
    const dataDir = path.join(t.dir, 'old');
    fs.mkdirSync(path.join(dataDir, 'logs'), { recursive: true, mode: 0o755 });
    fs.mkdirSync(path.join(dataDir, 'files'), { recursive: true, mode: 0o755 });
    fs.chmodSync(dataDir, 0o755);
    fs.writeFileSync(path.join(dataDir, 'config.json'), '{}\n', { mode: 0o644 });
    fs.writeFileSync(path.join(dataDir, 'logs', 'presslink.log'), '', { mode: 0o644 });
    h = await startHarness({ dataDir, ordersPerStore: 1 });
    expect(octal(mode(dataDir))).toBe('0700');
    expect(octal(mode(path.join(dataDir, 'files')))).toBe('0700');
    expect(octal(mode(path.join(dataDir, 'logs')))).toBe('0700');
    for (const f of ['config.json', 'logs/presslink.log', 'presslink.db']) expect(`${f} ${octal(mode(path.join(dataDir, f)))}`).toBe(`${f} 0600`);
  });
});

if (!posix) {
  it('owner-only data directory (skipped)', () => {
    console.log('skipped: POSIX file modes do not apply on Windows; the data folder under %APPDATA% is private to the account already');
  });
}
