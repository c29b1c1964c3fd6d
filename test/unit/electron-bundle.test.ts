import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The shipped form of the main process: electron/main/index.ts bundled to
// CommonJS exactly as scripts/build-node.mjs does, then run by plain Node
// with a stand-in `electron` (for require and for ESM imports such as
// electron-store's). It catches what the TypeScript-level tests cannot:
// a dependency that does not load from the CJS bundle.
//
// The bundle is written under node_modules/.cache so that its external
// dependencies resolve from the project's node_modules, as they do in the app.

const ROOT = path.resolve(import.meta.dirname, '../..');
const OUT = path.join(ROOT, 'node_modules', '.cache', 'presslink-electron-bundle-test');
let dataDir: string;

const FAKE_ELECTRON = String.raw`
const { EventEmitter } = require('node:events');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const state = { handlers: new Map(), windows: [], userData: '' };
class WC extends EventEmitter { constructor() { super(); this.url = ''; } send() {} getURL() { return this.url; } isDestroyed() { return false; } setWindowOpenHandler() {} }
class Win extends EventEmitter {
  constructor(o) { super(); this.webContents = new WC(); state.windows.push(this); app.emit('web-contents-created', {}, this.webContents); out({ window: o.webPreferences }); }
  async loadURL(u) { this.webContents.url = u; this.emit('ready-to-show'); }
  show() {} hide() {} focus() {} reload() {} restore() {} maximize() {}
  isMaximized() { return false; } isMinimized() { return false; } isVisible() { return true; } isDestroyed() { return false; }
  getBounds() { return { x: 0, y: 0, width: 1000, height: 700 }; } getNormalBounds() { return this.getBounds(); }
  static fromWebContents() { return null; }
}
class Tray extends EventEmitter { constructor(i) { super(); out({ tray: i.path }); } setImage() {} setToolTip(t) { out({ tooltip: t }); } setContextMenu() {} destroy() {} }
class Notification extends EventEmitter { static isSupported() { return true; } show() {} }
const app = Object.assign(new EventEmitter(), {
  isPackaged: false, requestSingleInstanceLock: () => true, whenReady: () => Promise.resolve(),
  getPath: () => state.userData, setPath: (k, v) => { state.userData = v; }, getVersion: () => '0.0.0', getName: () => 'Presslink',
  quit() { let held = false; app.emit('before-quit', { preventDefault() { held = true; } }); out({ quit: held ? 'held' : 'proceeds' }); if (!held) setTimeout(() => process.exit(0), 20); },
  exit(c) { out({ exit: c }); process.exit(c); },
  setLoginItemSettings() {}, getLoginItemSettings: () => ({}), setAppUserModelId() {},
});
const electron = {
  app, BrowserWindow: Win, Tray, Notification, Menu: { buildFromTemplate: (t) => t }, nativeImage: { createFromPath: (p) => ({ path: p }) },
  screen: { getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }), getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  ipcMain: { handle: (c, h) => state.handlers.set(c, h), removeHandler: (c) => state.handlers.delete(c), on() {} },
  safeStorage: { isEncryptionAvailable: () => true, getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (s) => Buffer.from(Buffer.from(s).map((b) => b ^ 0x33)), decryptString: (b) => Buffer.from(b.map((x) => x ^ 0x33)).toString() },
  protocol: { registerSchemesAsPrivileged() {} },
  session: { defaultSession: { protocol: { handle() {} }, webRequest: { onHeadersReceived() {} }, setPermissionRequestHandler() {}, setPermissionCheckHandler() {} } },
  shell: { openExternal: async () => {} },
  dialog: { showErrorBox: (t, b) => out({ errorBox: t + ': ' + b }), showMessageBox: async () => ({ response: 1 }) },
};
globalThis.__presslinkFake = { electron, state, out };
module.exports = electron;
`;

const HOOK = String.raw`
import Module, { createRequire, register } from 'node:module';
const require = createRequire(import.meta.url);
const fake = require('./fake-electron.cjs');
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'electron' ? fake : load.call(this, request, ...rest); };
const esm = new URL('./fake-electron.mjs', import.meta.url).href;
register('data:text/javascript,' + encodeURIComponent('export async function resolve(s, c, n) { return s === "electron" ? { url: ' + JSON.stringify(esm) + ', shortCircuit: true } : n(s, c); }'));
`;

const FAKE_ESM = `const e = globalThis.__presslinkFake.electron;\nexport default e;\nexport const { app, ipcMain, shell } = e;\n`;

const DRIVER = String.raw`
require('./main.cjs');
const { state, electron, out } = globalThis.__presslinkFake;
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  for (let i = 0; i < 200 && !state.handlers.get('presslink:call'); i++) await wait(25);
  const h = state.handlers.get('presslink:call');
  const ev = () => ({ sender: state.windows[0].webContents, senderFrame: { url: state.windows[0].webContents.url, parent: null } });
  let r;
  for (let i = 0; i < 200; i++) { r = await h(ev(), 'engine.status', {}); if (r.ok) break; await wait(25); }
  out({ status: r });
  out({ save: await h(ev(), 'config.save', { config: { stores: [{ id: 'acme', name: 'Acme', infigo: { baseUrl: 'https://acme.example', apiToken: process.env.TEST_SECRET }, gelatoCustomerReferenceId: 'acme' }] } }) });
  electron.app.quit();
})().catch((e) => { out({ driverError: String(e && e.stack || e) }); process.exit(3); });
`;

beforeAll(async () => {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  // The options of scripts/build-node.mjs for the Electron entries.
  await build({
    entryPoints: { main: path.join(ROOT, 'electron/main/index.ts') },
    outdir: OUT,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    format: 'cjs',
    external: ['electron'],
    define: { __PRESSLINK_VERSION__: JSON.stringify('0.0.0-test') },
    logLevel: 'silent',
  });
  fs.writeFileSync(path.join(OUT, 'fake-electron.cjs'), FAKE_ELECTRON);
  fs.writeFileSync(path.join(OUT, 'fake-electron.mjs'), FAKE_ESM);
  fs.writeFileSync(path.join(OUT, 'hook.mjs'), HOOK);
  fs.writeFileSync(path.join(OUT, 'driver.cjs'), DRIVER);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-bundle-'));
}, 60_000);

afterAll(() => {
  fs.rmSync(OUT, { recursive: true, force: true });
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('main-process bundle', () => {
  it('loads as CommonJS with its real dependencies, serves the contract and quits cleanly', async () => {
    const secret = 'tok-bundle-test-9876543210';
    const child = spawn(process.execPath, ['--import', './hook.mjs', 'driver.cjs'], {
      cwd: OUT,
      env: { ...process.env, PRESSLINK_DATA_DIR: dataDir, TEST_SECRET: secret, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const lines = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const find = (k: string) => lines.find((l) => k in l)?.[k];
    expect(code, `stderr:\n${stderr}\nstdout:\n${stdout}`).toBe(0);
    expect(find('driverError')).toBeUndefined();
    expect(find('errorBox')).toBeUndefined();
    expect(find('window')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: expect.stringMatching(/preload\.cjs$/) });
    expect(find('status')).toMatchObject({ ok: true, value: { mode: 'desktop', dataDir } });
    expect(find('save')).toMatchObject({ ok: true, value: { ok: true } });
    // The quit is held for the engine, then goes through.
    expect(lines.filter((l) => 'quit' in l).map((l) => l.quit)).toEqual(['held', 'proceeds']);
    // electron-store (ESM-only) loaded from the CJS bundle and holds the secret encrypted.
    const secrets = fs.readFileSync(path.join(dataDir, 'secrets-desktop.json'), 'utf8');
    expect(secrets).toContain('stores.acme.infigo.apiToken');
    expect(secrets).not.toContain(secret);
    expect(fs.existsSync(path.join(dataDir, 'presslink.db-wal'))).toBe(false);
  }, 60_000);
});
