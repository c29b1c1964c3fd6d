import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh data directory per test, removed afterwards (Insomnia-style isolation). */
export function tempDir(prefix = 'presslink-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Reads every file under `dir` (for scanning for leaked secrets). */
export function readTree(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push({ file: p, text: fs.readFileSync(p).toString('latin1') });
    }
  };
  walk(dir);
  return out;
}
