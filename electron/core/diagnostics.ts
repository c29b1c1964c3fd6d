import fs from 'node:fs';
import path from 'node:path';
import type { EngineStatus } from '../../shared/contract';
import type { EngineContext } from './context';
import { scrubSecrets } from './log';
import { tableCounts } from './db/maintenance';
import { schemaVersion } from './db/open';

/**
 * What support needs to help a shop, and nothing that could hurt it: the config
 * (secret references only, never values), recent log lines with every known
 * secret scrubbed, database statistics, engine status and recent sync runs.
 */
export function buildDiagnostics(ctx: EngineContext, status: EngineStatus, checklist: unknown): unknown {
  const counts = tableCounts(ctx.db);
  const runs = ctx.repos.runs.recent(20);
  return {
    generatedAt: new Date().toISOString(),
    presslink: status.version,
    platform: `${process.platform} ${process.arch}, Node ${process.versions.node}`,
    status,
    config: JSON.parse(ctx.config.export({ includeSecrets: false })),
    database: { schemaVersion: schemaVersion(ctx.db), rows: counts, sizeBytes: safeSize(ctx.files.db) },
    recentSyncRuns: runs,
    checklist,
    recentLogLines: tailLog(path.join(ctx.files.logs, 'presslink.log'), 300).map(scrubSecrets),
  };
}

function safeSize(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}

function tailLog(file: string, lines: number): string[] {
  try {
    const fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const len = Math.min(size, 256 * 1024);
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    fs.closeSync(fd);
    return buf.toString('utf8').split('\n').filter(Boolean).slice(-lines);
  } catch {
    return [];
  }
}
