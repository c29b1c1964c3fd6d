import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The main process's wiring, run for real in Node: electron/main/index.ts
// with a recording stand-in for the `electron` module (the binary is not
// installed here), the real engine, a real SQLite file and a temp data
// directory. It checks what the pure tests cannot: that the pieces are
// connected — IPC reaches the engine, secrets go through safeStorage, the
// tray follows the engine, closing hides to the tray, quitting stops the engine.

const fake = vi.hoisted(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EventEmitter } = require('node:events') as typeof import('node:events');
  type Handler = (...args: unknown[]) => unknown;
  const state = {
    handlers: new Map<string, Handler>(),
    windows: [] as FakeWindow[],
    trays: [] as FakeTray[],
    protocolHandlers: new Map<string, (req: Request) => Promise<Response> | Response>(),
    headerListeners: [] as Handler[],
    permissionHandler: null as Handler | null,
    quitCalls: 0,
    exitCalls: [] as number[],
    openedExternal: [] as string[],
    errorBoxes: [] as string[],
    messageBoxes: [] as string[],
    notifications: [] as { title: string; body: string; click: () => void }[],
    userData: '',
    ready: null as null | (() => void),
    encryptCalls: 0,
  };

  class FakeWebContents extends EventEmitter {
    url = '';
    sent: unknown[][] = [];
    openHandler: Handler | null = null;
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    getURL() {
      return this.url;
    }
    isDestroyed() {
      return false;
    }
    setWindowOpenHandler(h: Handler) {
      this.openHandler = h;
    }
  }
  class FakeWindow extends EventEmitter {
    webContents = new FakeWebContents();
    visible = false;
    destroyed = false;
    options: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      state.windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string) {
      this.webContents.url = url;
      this.emit('ready-to-show');
    }
    show() {
      this.visible = true;
    }
    hide() {
      this.visible = false;
    }
    focus() {}
    reload() {}
    restore() {}
    maximize() {}
    isMaximized() {
      return false;
    }
    isMinimized() {
      return false;
    }
    isVisible() {
      return this.visible;
    }
    isDestroyed() {
      return this.destroyed;
    }
    getBounds() {
      return { x: 10, y: 10, width: 1200, height: 800 };
    }
    getNormalBounds() {
      return this.getBounds();
    }
    /** What Electron does on close: listeners may preventDefault. */
    tryClose(): boolean {
      let prevented = false;
      this.emit('close', { preventDefault: () => (prevented = true) });
      if (!prevented) {
        this.destroyed = true;
        this.emit('closed');
      }
      return !prevented;
    }
  }
  class FakeTray extends EventEmitter {
    image: unknown;
    tooltip = '';
    menu: { label?: string; click?: () => void; type?: string; checked?: boolean; enabled?: boolean }[] = [];
    constructor(image: unknown) {
      super();
      this.image = image;
      state.trays.push(this);
    }
    setImage(i: unknown) {
      this.image = i;
    }
    setToolTip(t: string) {
      this.tooltip = t;
    }
    setContextMenu(m: FakeTray['menu']) {
      this.menu = m;
    }
    destroy() {}
  }
  class FakeNotification extends EventEmitter {
    static isSupported() {
      return true;
    }
    constructor(private readonly o: { title: string; body: string }) {
      super();
    }
    show() {
      state.notifications.push({ title: this.o.title, body: this.o.body, click: () => this.emit('click') });
    }
  }

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    requestSingleInstanceLock: () => true,
    whenReady: () => new Promise<void>((resolve) => (state.ready = resolve)),
    getPath: (name: string) => {
      if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
      return state.userData;
    },
    setPath: (name: string, value: string) => {
      if (name === 'userData') state.userData = value;
    },
    getVersion: () => '0.0.0-test',
    getName: () => 'Presslink',
    quit: () => {
      state.quitCalls++;
      let prevented = false;
      app.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) app.emit('will-quit');
    },
    exit: (code: number) => state.exitCalls.push(code),
    setLoginItemSettings: () => {},
    setAppUserModelId: () => {},
    getLoginItemSettings: () => ({ wasOpenedAtLogin: false }),
  });

  const electron = {
    app,
    BrowserWindow: Object.assign(FakeWindow, { fromWebContents: () => null }),
    Tray: FakeTray,
    Notification: FakeNotification,
    Menu: { buildFromTemplate: (t: unknown[]) => t },
    nativeImage: { createFromPath: (p: string) => ({ path: p }) },
    screen: {
      getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
      getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
    },
    ipcMain: {
      handle: (ch: string, h: Handler) => state.handlers.set(ch, h),
      removeHandler: (ch: string) => state.handlers.delete(ch),
      on: () => {},
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (s: string) => {
        state.encryptCalls++;
        return Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x77));
      },
      decryptString: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x77)).toString('utf8'),
    },
    protocol: { registerSchemesAsPrivileged: () => {} },
    session: {
      defaultSession: {
        protocol: { handle: (scheme: string, h: (req: Request) => Promise<Response>) => state.protocolHandlers.set(scheme, h) },
        webRequest: { onHeadersReceived: (_f: unknown, l: Handler) => state.headerListeners.push(l) },
        setPermissionRequestHandler: (h: Handler) => (state.permissionHandler = h),
        setPermissionCheckHandler: () => {},
      },
    },
    shell: { openExternal: async (u: string) => void state.openedExternal.push(u) },
    dialog: {
      showErrorBox: (title: string, body: string) => state.errorBoxes.push(`${title}: ${body}`),
      showMessageBox: async (...args: unknown[]) => {
        state.messageBoxes.push((args[args.length - 1] as { message: string }).message);
        return { response: 1 };
      },
    },
  };
  return { state, electron, FakeWindow, FakeTray };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));
vi.mock('electron-updater', () => ({ autoUpdater: { on: () => {}, setFeedURL: () => {}, checkForUpdates: async () => null } }));
// electron-store imports `electron` from node_modules, out of reach of vi.mock; a JSON file stands in.
vi.mock('electron-store', () => {
  class Store {
    file: string;
    store: Record<string, unknown>;
    constructor(o: { name: string; cwd: string; defaults?: Record<string, unknown> }) {
      this.file = path.join(o.cwd, `${o.name}.json`);
      this.store = fs.existsSync(this.file) ? JSON.parse(fs.readFileSync(this.file, 'utf8')) : { ...(o.defaults ?? {}) };
    }
    get(k: string) {
      return this.store[k];
    }
    set(k: string, v: unknown) {
      this.store[k] = v;
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(this.file, JSON.stringify(this.store));
    }
  }
  return { default: Store };
});

const { state } = fake;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-shell-'));
const SECRET = 'tok-wiring-test-0123456789';

function trustedEvent() {
  const win = state.windows[0]!;
  return { sender: win.webContents, senderFrame: { url: win.webContents.url, parent: null } };
}
async function call(name: string, input: unknown = {}, event: unknown = trustedEvent()) {
  const h = state.handlers.get('presslink:call');
  if (!h) throw new Error('no IPC handler');
  return (await h(event, name, input)) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

let enginePort = 0;

beforeAll(async () => {
  process.env.PRESSLINK_DATA_DIR = dataDir;
  // The engine's own HTTP server (postbacks, quotes, file links) on a free port of its own.
  enginePort = await new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  process.env.PRESSLINK_PORT = String(enginePort);
  await import('../../electron/main/index');
  await vi.waitFor(() => expect(state.ready).not.toBeNull());
  state.ready!();
  // The engine starts after the window opens; wait until calls reach it.
  await vi.waitFor(async () => expect((await call('engine.status')).ok).toBe(true), { timeout: 20_000, interval: 50 });
}, 30_000);

afterAll(() => {
  delete process.env.PRESSLINK_DATA_DIR;
  delete process.env.PRESSLINK_PORT;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('main process wiring', () => {
  it('uses the data directory as its profile and opens one locked-down window on our origin', () => {
    expect(state.userData).toBe(path.resolve(dataDir));
    expect(state.windows).toHaveLength(1);
    const w = state.windows[0]!;
    expect(w.webContents.url).toBe('presslink://app/index.html');
    expect(w.visible).toBe(true);
    expect(w.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String((w.options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
  });

  it('answers contract calls from the engine over IPC', async () => {
    const r = await call('engine.status');
    expect(r.ok).toBe(true);
    expect(r.value).toMatchObject({ mode: 'desktop', dataDir: path.resolve(dataDir), configured: false });
  });

  it('refuses calls from any other page or frame, and unknown calls', async () => {
    const evil = { sender: state.windows[0]!.webContents, senderFrame: { url: 'https://evil.example/', parent: null } };
    expect((await call('engine.status', {}, evil)).error?.code).toBe('unauthorized');
    const iframe = { sender: state.windows[0]!.webContents, senderFrame: { url: 'presslink://app/index.html', parent: {} } };
    expect((await call('engine.status', {}, iframe)).error?.code).toBe('unauthorized');
    expect((await call('fs.readFile')).error?.code).toBe('invalid_input');
  });

  it('stores secrets through safeStorage, never in plaintext on disk', async () => {
    const config = {
      stores: [{ id: 'acme', name: 'Acme', infigo: { baseUrl: 'https://acme.infigo.example', apiToken: SECRET }, gelatoCustomerReferenceId: 'acme-ltd' }],
    };
    const r = await call('config.save', { config });
    expect(r).toMatchObject({ ok: true, value: { ok: true } });
    expect(state.encryptCalls).toBeGreaterThan(0);
    const secretsFile = path.join(dataDir, 'secrets-desktop.json');
    expect(fs.existsSync(secretsFile)).toBe(true);
    const everything = fs.readdirSync(dataDir, { recursive: true }).filter((f) => fs.statSync(path.join(dataDir, String(f))).isFile());
    for (const f of everything) {
      if (String(f).endsWith('.db') || String(f).includes('-wal') || String(f).includes('-shm')) continue;
      expect(fs.readFileSync(path.join(dataDir, String(f)), 'utf8'), String(f)).not.toContain(SECRET);
    }
  });

  it('shows the engine state in the tray and acts on its menu', async () => {
    const tray = state.trays[0]!;
    expect(tray).toBeDefined();
    expect((tray.image as { path: string }).path).toMatch(/resources[\\/]tray[\\/]tray-\w+\.png$/);
    expect(fs.existsSync((tray.image as { path: string }).path)).toBe(true);
    const pause = tray.menu.find((m) => m.label === 'Pause syncing');
    expect(pause).toBeDefined();
    pause!.click!();
    await vi.waitFor(() => expect(tray.menu.some((m) => m.label === 'Resume syncing')).toBe(true));
    expect((tray.image as { path: string }).path).toMatch(/tray-(paused|attention)\.png$/);
    expect(((await call('engine.status')).value as { paused: boolean }).paused).toBe(true);
    tray.menu.find((m) => m.label === 'Resume syncing')!.click!();
    await vi.waitFor(() => expect(tray.menu.some((m) => m.label === 'Pause syncing')).toBe(true));
  });

  it('forwards engine events to the window on one channel', async () => {
    const w = state.windows[0]!;
    w.webContents.sent = [];
    await call('sync.pause');
    await vi.waitFor(() => expect(w.webContents.sent.some(([ch, ev]) => ch === 'presslink:event' && ev === 'status')).toBe(true));
    await call('sync.resume');
  });

  it('keeps other sites out of the window and sends allowlisted links to the browser', async () => {
    const wc = state.windows[0]!.webContents;
    // The store host becomes allowlisted after the config was saved.
    await vi.waitFor(() => {
      const d = wc.openHandler!({ url: 'https://acme.infigo.example/Admin/Order/Edit/1' }) as { action: string };
      expect(d.action).toBe('deny');
      expect(state.openedExternal).toContain('https://acme.infigo.example/Admin/Order/Edit/1');
    });
    let prevented = false;
    wc.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
    expect(state.openedExternal).not.toContain('https://evil.example/');
    expect((wc.openHandler!({ url: 'https://evil.example/' }) as { action: string }).action).toBe('deny');
    // Not allowlisted: opened only after confirming (the stand-in dialog answers "Cancel").
    await vi.waitFor(() => expect(state.messageBoxes).toContain('Open evil.example in your browser?'));
    expect(state.openedExternal).not.toContain('https://evil.example/');
    expect((wc.openHandler!({ url: 'file:///etc/passwd' }) as { action: string }).action).toBe('deny');
    let denied: boolean | null = null;
    state.permissionHandler!(wc, 'media', (ok: boolean) => (denied = !ok));
    expect(denied).toBe(true);
  });

  it('serves only files inside the renderer build, with the CSP header', async () => {
    const handler = state.protocolHandlers.get('presslink')!;
    expect((await handler(new Request('presslink://app/../../package.json'))).status).toBe(404);
    const headers: Record<string, string[]> = {};
    let out: { responseHeaders?: Record<string, string[]> } = {};
    state.headerListeners[0]!({ url: 'presslink://app/index.html', responseHeaders: headers }, (r: typeof out) => (out = r));
    expect(out.responseHeaders?.['Content-Security-Policy']?.[0]).toMatch(/default-src 'none'/);
  });

  it("the engine's HTTP server refuses /api to anyone without a credential: the window uses IPC, a web page gets nothing", async () => {
    const base = `http://127.0.0.1:${enginePort}`;
    await vi.waitFor(async () => expect((await fetch(`${base}/api/health`)).status).toBe(200), { timeout: 20_000, interval: 50 });
    const post = (name: string, init: RequestInit = {}) => fetch(`${base}/api/call/${name}`, { method: 'POST', ...init });
    // A web page's no-cors request, and a local program without the API key.
    expect((await post('sync.pause', { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await post('sync.pause', { headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect((await post('config.export', { headers: { 'content-type': 'application/json' }, body: '{"includeSecrets":true,"passphrase":"attacker-chosen"}' })).status).toBe(401);
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
    expect(((await call('engine.status')).value as { paused: boolean }).paused).toBe(false);
    // `presslink open-link` learns that this server has no web UI to sign in to.
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'server.json'), 'utf8'))).toMatchObject({ url: base, ui: false });
  });

  it('hides to the tray on close instead of quitting', () => {
    const w = state.windows[0]!;
    expect(w.tryClose()).toBe(false);
    expect(w.visible).toBe(false);
    expect(state.quitCalls).toBe(0);
  });

  it('on quit, waits for the engine to stop, then quits', async () => {
    const wal = path.join(dataDir, 'presslink.db-wal');
    expect(fs.existsSync(wal)).toBe(true); // the database is open
    fake.electron.app.quit();
    // The first quit is held while the engine stops, then repeated.
    await vi.waitFor(() => expect(state.quitCalls).toBe(2), { timeout: 20_000 });
    // SQLite removes the WAL file when the last connection closes: the engine closed its database.
    expect(fs.existsSync(wal)).toBe(false);
    expect(state.handlers.has('presslink:call')).toBe(false);
    expect(state.errorBoxes).toEqual([]);
  });
});

describe('notifier wiring', () => {
  function fakeEngine(config: unknown) {
    const listeners = new Map<string, Set<(p: unknown) => void>>();
    return {
      emit(event: string, payload: unknown) {
        for (const l of listeners.get(event) ?? []) l(payload);
      },
      engine: {
        call: async (name: string) => {
          if (name !== 'config.get') throw new Error(`unexpected ${name}`);
          return { config, configured: true };
        },
        on: (event: string, l: (p: unknown) => void) => {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)!.add(l);
          return () => listeners.get(event)!.delete(l);
        },
        status: () => ({}),
        stop: async () => {},
      },
    };
  }
  const order = (id: number) => ({ id, storeId: 'acme', infigoOrderId: 500 + id, state: 'needs_attention', attentionReason: 'SKU not mapped' });
  const finished = { runId: 1, ok: true, errors: [], needsAttention: 3 };

  it('shows one native notification per cycle for several held orders', async () => {
    const { startNotifier } = await import('../../electron/main/notifier');
    const f = fakeEngine({ notifications: { enabled: true } });
    const opened: unknown[] = [];
    state.notifications.length = 0;
    const stop = startNotifier({ engine: f.engine as never, resourcesDir: 'resources', open: (t) => opened.push(t), log: () => {} });
    f.emit('sync.started', { runId: 1 });
    [1, 2, 3].forEach((i) => f.emit('order.changed', order(i)));
    f.emit('sync.finished', finished);
    await vi.waitFor(() => expect(state.notifications).toHaveLength(1));
    expect(state.notifications[0]!.title).toBe('3 orders need attention');
    state.notifications[0]!.click();
    expect(opened).toEqual([{ page: 'order-log', state: 'needs_attention' }]);
    stop();
  });

  it('stays silent when notifications are turned off in the config', async () => {
    const { startNotifier } = await import('../../electron/main/notifier');
    const f = fakeEngine({ notifications: { enabled: false } });
    state.notifications.length = 0;
    const stop = startNotifier({ engine: f.engine as never, resourcesDir: 'resources', open: () => {}, log: () => {} });
    f.emit('sync.started', { runId: 1 });
    [1, 2].forEach((i) => f.emit('order.changed', order(i)));
    f.emit('sync.finished', finished);
    await new Promise((r) => setTimeout(r, 50));
    expect(state.notifications).toEqual([]);
    stop();
  });
});
