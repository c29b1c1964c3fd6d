import { jsonLines } from '../helpers/fixtures';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export function vmHwmKbOf(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Polls a child's peak RSS (VmHWM) until stopped; returns the highest seen, in MB. */
export function watchPeakRss(pid: number, everyMs = 100): { stop(): number | null } {
  let peak: number | null = null;
  const t = setInterval(() => {
    const v = vmHwmKbOf(pid);
    if (v !== null) peak = Math.max(peak ?? 0, v);
  }, everyMs);
  return {
    stop() {
      clearInterval(t);
      const v = vmHwmKbOf(pid);
      if (v !== null) peak = Math.max(peak ?? 0, v);
      return peak === null ? null : Math.round(peak / 1024);
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface Proc {
  child: ChildProcess;
  output(): string;
  lines(): Record<string, unknown>[];
  exited: Promise<number | null>;
}

export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Proc {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return {
    child,
    output: () => out,
    lines: () => jsonLines(out),
    exited: new Promise((r) => child.once('exit', (c) => r(c))),
  };
}

export async function until<T>(what: string, f: () => T | undefined | false | null, timeoutMs: number, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const mb = (bytes: number) => bytes / 1024 / 1024;
export const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
