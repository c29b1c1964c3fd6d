import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// The packaging config is checked against electron-builder's own schema (the
// installers themselves need the Electron download, which this machine lacks),
// plus the settings the app depends on at runtime.

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(s: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration(c: unknown, log: unknown): Promise<void> };
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

type Target = string | { target: string };
interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  directories: { buildResources: string };
  linux: { target: Target[]; icon: string };
  win: { target: Target[]; icon: string };
  mac: { target: Target[]; icon: string };
  nsis: { oneClick: boolean; perMachine: boolean };
  publish: { provider: string; url: string }[];
}

const config = yaml.load(fs.readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;
const targets = (t: Target[]) => t.map((x) => (typeof x === 'string' ? x : x.target));

describe('electron-builder.yml', () => {
  it("matches electron-builder's schema", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app and ships the built code and the icons the tray loads', () => {
    expect(config.appId).toBe('com.presslink.app');
    expect(config.productName).toBe('Presslink');
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json', 'resources/tray/**']));
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { main: string; productName: string };
    expect(pkg.main).toBe('dist/electron/main.cjs');
    // Electron's userData folder is named after productName; the CLI's default data dir assumes "Presslink".
    expect(pkg.productName).toBe(config.productName);
  });

  it("unpacks better-sqlite3's native module and rebuilds it for Electron", () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack.some((p) => p.includes('better-sqlite3') && p.endsWith('.node'))).toBe(true);
  });

  it('builds AppImage + deb, a per-user one-click NSIS installer and a dmg', () => {
    expect(targets(config.linux.target)).toEqual(['AppImage', 'deb']);
    expect(targets(config.win.target)).toEqual(['nsis']);
    expect(targets(config.mac.target)).toEqual(['dmg']);
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false });
  });

  it('uses icons that exist and are big enough for every platform', () => {
    for (const icon of [config.linux.icon, config.win.icon, config.mac.icon]) {
      const b = fs.readFileSync(path.resolve(icon));
      expect(b.readUInt32BE(16), icon).toBeGreaterThanOrEqual(512);
    }
  });

  it('publishes to a generic update feed', () => {
    expect(config.publish[0]).toMatchObject({ provider: 'generic' });
    expect(config.publish[0]!.url).toMatch(/^https:\/\//);
  });
});
