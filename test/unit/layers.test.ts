import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The layer rules of DESIGN.md, checked by dependency-cruiser on the real tree,
// and proven able to fail on a fixture tree that breaks each rule.

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'node_modules/.bin/depcruise');

function cruise(cwd: string, config: string): { code: number; out: string } {
  try {
    const out = execFileSync(bin, ['--config', config, '--output-type', 'err', 'electron', 'renderer', 'shared'], { cwd, encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, out };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, out: `${err.stdout}${err.stderr}` };
  }
}

describe('layer rules', () => {
  it('the real tree has no violations', () => {
    const r = cruise(root, '.dependency-cruiser.cjs');
    expect(r.out).toContain('no dependency violations');
    expect(r.code).toBe(0);
  }, 120_000);

  it('catches core importing electron or the sandbox, a circle inside core, renderer importing electron/, shared importing node built-ins', () => {
    const r = cruise(path.join(root, 'test/fixtures/depcheck'), path.join(root, '.dependency-cruiser.cjs'));
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/core-never-imports-electron: electron\/core\/bad\.ts/);
    expect(r.out).toMatch(/core-never-imports-the-sandbox: electron\/core\/uses-sandbox\.ts → electron\/sandbox\/simulator\.ts/);
    expect(r.out).toMatch(/no-cycles-in-core: electron\/core\/circle-(a|b)\.ts/);
    expect(r.out).toMatch(/renderer-only-imports-shared: renderer\/src\/bad\.ts/);
    expect(r.out).toMatch(/shared-is-pure: shared\/bad\.ts → fs/);
    expect(r.out).not.toMatch(/shared\/good\.ts/);
  }, 120_000);
});
