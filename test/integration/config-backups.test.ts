import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEngine } from '../../electron/core/engine';
import { presslink } from '../helpers/cli';
import { validConfig } from '../helpers/config';
import { tempDir } from '../helpers/tmp';

// Issue 13, item 6: every save, import and restore keeps the configuration it replaces (the
// last 10, timestamped, owner-only, in the data directory), and any of them can be put back
// from the UI (config.backups / config.restore) or the CLI (config backups / config restore).

type Engine = Awaited<ReturnType<typeof startEngine>>;
let t: ReturnType<typeof tempDir>;
let engine: Engine;

beforeEach(async () => {
  t = tempDir('presslink-backups-');
  engine = await startEngine({ dataDir: t.dir, mode: 'headless', schedule: false });
});
afterEach(async () => {
  await engine?.stop();
  t.cleanup();
});

const named = (name: string) => validConfig({ stores: [{ ...validConfig().stores[0], name }] });
const storeName = async () => ((await engine.call('config.get', {})).config as { stores: { name: string }[] }).stores[0]?.name;

describe('configuration backups', () => {
  it('an unknown-key import is refused, and a configuration replaced by a later import can be restored', async () => {
    expect((await engine.call('config.import', { json: JSON.stringify(named('First')) })).ok).toBe(true);
    expect((await engine.call('config.backups', {})).backups).toEqual([]);
    const bad = await engine.call('config.import', { json: JSON.stringify({ statusUpdate: { mode: 'postback' }, bogusTopLevel: {}, sync: { unknownKey: true } }) });
    expect(bad.ok).toBe(false);
    expect(await storeName()).toBe('First');
    // An import that is accepted but wrong: the previous configuration is one call away.
    expect((await engine.call('config.import', { json: JSON.stringify(named('Second')) })).ok).toBe(true);
    const { backups } = await engine.call('config.backups', {});
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ reason: 'import', stores: ['acme'] });
    expect(Date.parse(backups[0]!.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await engine.call('config.restore', { id: backups[0]!.id })).ok).toBe(true);
    expect(await storeName()).toBe('First');
    // The restore kept what it replaced, so it can be undone too.
    const after = (await engine.call('config.backups', {})).backups;
    expect(after.map((b) => b.reason)).toEqual(['restore', 'import']);
    expect((await engine.call('config.restore', { id: after[0]!.id })).ok).toBe(true);
    expect(await storeName()).toBe('Second');
  });

  it('keeps the last 10, newest first, owner-only; an unknown id is refused clearly', async () => {
    for (let i = 1; i <= 13; i++) expect((await engine.call('config.save', { config: named(`Name ${i}`) })).ok).toBe(true);
    const { backups } = await engine.call('config.backups', {});
    expect(backups).toHaveLength(10);
    expect(backups.every((b) => b.reason === 'save')).toBe(true);
    expect([...backups].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)).map((b) => b.id)).toEqual(backups.map((b) => b.id));
    // The newest backup is the configuration the last save replaced.
    expect((await engine.call('config.restore', { id: backups[0]!.id })).ok).toBe(true);
    expect(await storeName()).toBe('Name 12');
    const bad = await engine.call('config.restore', { id: '../config' });
    expect(bad.ok).toBe(false);
    expect(bad.problems[0]!.message).toMatch(/no backup/i);
    if (process.platform === 'win32') {
      console.log('skipped: file modes are not POSIX permissions on Windows');
      return;
    }
    const dir = path.join(t.dir, 'config-backups');
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
  });

  it('the CLI lists and restores backups (config backups / config restore <id>)', async () => {
    await engine.call('config.import', { json: JSON.stringify(named('From CLI test one')) });
    await engine.call('config.import', { json: JSON.stringify(named('From CLI test two')) });
    await engine.stop();
    const list = presslink(['config', 'backups', '--json', '--data-dir', t.dir]);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    const backups = (JSON.parse(list.stdout) as { backups: { id: string; reason: string }[] }).backups;
    expect(backups).toHaveLength(1);
    const human = presslink(['config', 'backups', '--data-dir', t.dir]);
    expect(human.stdout).toContain(backups[0]!.id);
    const r = presslink(['config', 'restore', backups[0]!.id, '--data-dir', t.dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/restored/i);
    const missing = presslink(['config', 'restore', 'no-such-backup', '--data-dir', t.dir]);
    expect(missing.code).toBe(3);
    expect(missing.stdout + missing.stderr).toMatch(/no backup/i);
    engine = await startEngine({ dataDir: t.dir, mode: 'headless', schedule: false });
    expect(await storeName()).toBe('From CLI test one');
  });
});
