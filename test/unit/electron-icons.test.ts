import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TRAY_ICONS } from '../../electron/main/tray-state';

const RES = path.resolve('resources');

function pngSize(file: string): { width: number; height: number; colorType: number } {
  const b = fs.readFileSync(file);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), colorType: b[25]! };
}

describe('icons', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-icons-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('has a 16 px and a 32 px (@2x) tray icon for every tray state', () => {
    for (const state of TRAY_ICONS) {
      expect(pngSize(path.join(RES, 'tray', `tray-${state}.png`))).toEqual({ width: 16, height: 16, colorType: 6 });
      expect(pngSize(path.join(RES, 'tray', `tray-${state}@2x.png`))).toEqual({ width: 32, height: 32, colorType: 6 });
    }
  });

  it('has the app icon at 512 and 256 px for the installers', () => {
    expect(pngSize(path.join(RES, 'icon-512.png'))).toMatchObject({ width: 512, height: 512 });
    expect(pngSize(path.join(RES, 'icon-256.png'))).toMatchObject({ width: 256, height: 256 });
  });

  it('the committed PNGs are what the generator draws', async () => {
    const { generate } = (await import(path.join(RES, 'generate-icons.mjs'))) as { generate: (dir: string) => string[] };
    const written = generate(tmp);
    expect(written.length).toBe(2 + TRAY_ICONS.length * 2);
    for (const rel of written) expect(fs.readFileSync(path.join(tmp, rel)).equals(fs.readFileSync(path.join(RES, rel))), rel).toBe(true);
  }, 60_000);
});
