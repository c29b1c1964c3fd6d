import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dataFiles } from '../../electron/core/paths';
import { apiKeyFromFile } from '../../electron/core/server/credentials';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const CHROMIUM = process.env.PRESSLINK_CHROMIUM ?? '/usr/bin/chromium';

/** The e2e suite drives the built app; say how to build instead of failing obscurely. */
export function assertBuilt(): void {
  const missing = ['dist/cli.mjs', 'dist/renderer/index.html'].filter((f) => !existsSync(path.join(ROOT, f)));
  if (missing.length) throw new Error(`Build output missing (${missing.join(', ')}); run \`npm run build\` before the e2e tests.`);
}

/** `extraArgs`: further Chromium switches, e.g. `--host-resolver-rules=…` to play a DNS-rebinding attacker. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}; install it with \`apt-get install -y chromium\`.`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServeHandle {
  url: string;
  port: number;
  dataDir: string;
  /** The one-time sign-in link `presslink serve` printed (works once). */
  link: string;
  /**
   * An address that signs the browser in and lands on `hash` (e.g. '#/orders'): the printed
   * link the first time, then a fresh one from the running server (as `presslink open-link`).
   */
  signInUrl(hash?: string): Promise<string>;
  /** `Authorization: Bearer <API key>` for this data directory (read from its owner-only file). */
  authHeader(): Record<string, string>;
  output(): string;
  /** Stops the engine but keeps the data dir, so it can be started again on the same port. */
  stop(): Promise<void>;
  /** Stops the engine and removes the data dir. */
  dispose(): Promise<void>;
}

async function waitForHealth(url: string, child: ChildProcess, out: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`presslink serve exited with ${child.exitCode}:\n${out()}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`presslink serve did not answer /api/health within ${timeoutMs} ms:\n${out()}`);
}

/** Starts `presslink serve` on 127.0.0.1 with a fresh (or the given) data dir. */
export async function startServe(opts: { port?: number; dataDir?: string; args?: string[] } = {}): Promise<ServeHandle> {
  assertBuilt();
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'presslink-e2e-')));
  const port = opts.port ?? (await freePort());
  let log = '';
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/presslink.mjs'), 'serve', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', String(port), ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, PRESSLINK_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const output = () => log;
  await waitForHealth(url, child, output);
  // The sign-in link is printed right after the server listens.
  const deadline = Date.now() + 10_000;
  let printed: string | undefined;
  while (!(printed = /(http:\/\/\S+\/\?auth=\S+)/.exec(log)?.[1])) {
    if (Date.now() > deadline) throw new Error(`presslink serve printed no sign-in link:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const link = printed;
  const authHeader = () => ({ authorization: `Bearer ${apiKeyFromFile(dataFiles(dataDir).serverAuth)}` });
  SERVERS.set(url, { authHeader });
  let printedUsed = false;
  const signInUrl = async (hash = '') => {
    if (!printedUsed) {
      printedUsed = true;
      return `${link}${hash}`;
    }
    const r = await fetch(`${url}/api/auth/link`, { method: 'POST', headers: { 'content-type': 'application/json', ...authHeader() }, body: '{}' });
    const body = (await r.json()) as { ok: boolean; result?: { url: string }; error?: { message: string } };
    if (!body.ok) throw new Error(`no sign-in link: ${body.error?.message}`);
    return `${body.result!.url}${hash}`;
  };

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return {
    url,
    port,
    dataDir,
    link,
    signInUrl,
    authHeader,
    output,
    stop,
    dispose: async () => {
      await stop();
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The servers this process started, by URL, so callApi can authenticate to them. */
const SERVERS = new Map<string, { authHeader: () => Record<string, string> }>();

/** Calls the engine's contract over HTTP, as a second client on this machine would: with the data directory's API key. */
export async function callApi<T = unknown>(url: string, name: string, input: unknown = {}): Promise<T> {
  const server = SERVERS.get(url);
  if (!server) throw new Error(`callApi: ${url} was not started by startServe, so its API key is unknown.`);
  const r = await fetch(`${url}/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...server.authHeader() }, body: JSON.stringify(input) });
  const body = (await r.json()) as { ok: boolean; result?: T; error?: { code: string; message: string } };
  if (!body.ok) throw new Error(`${name}: ${body.error?.code} ${body.error?.message}`);
  return body.result as T;
}

export interface AxeIssue {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
  html: string[];
}

/** Runs axe-core on the page and returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeIssue[]> {
  // A modal or a badge caught half-way through its fade-in has the contrast of a half-transparent
  // colour: let running transitions finish first, so axe measures what a person reads.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 5_000 }).catch(() => undefined);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')), html: v.nodes.slice(0, 3).map((n) => n.html.slice(0, 160)) }));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Collects uncaught page errors and console errors so a test can assert the UI never crashed. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    // Failed calls are shown in the UI by design (e.g. 501 for calls the engine lacks);
    // the browser logs the HTTP status of those itself.
    if (/Failed to load resource|the server responded with a status of (401|404|409|501)|EventSource|ERR_CONNECTION_REFUSED|net::ERR_/.test(text)) return;
    errors.push(`console: ${text}`);
  });
  return errors;
}
