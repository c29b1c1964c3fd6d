import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { parseConfig } from '../shared/config';
import { CallError } from '../shared/contract';
import { DatabaseError } from './core/db/open';
import { startEngine } from './core/engine';
import { isActivated } from './core/golive/activation';
import { GOLIVE_MSG } from './core/golive/messages';
import { resolveDataDir } from './core/paths';
import type { SandboxLauncher } from './core/sandbox-port';
import { VERSION } from './core/version';

// The `presslink` command. Its commands, flags, exit codes and --json shapes are
// a stable contract (docs/cli.md): scripts and tests depend on them.

export const EXIT = { ok: 0, failed: 1, usage: 2, config: 3, database: 4 } as const;

class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/renderer next to the bundled CLI (dist/cli.mjs), or under the repo when run from source. */
function rendererDir(): string {
  const candidates = [path.join(here, 'renderer'), path.join(here, '..', 'dist', 'renderer')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? candidates[0]!;
}

function dataDirOption() {
  return new Option('--data-dir <dir>', 'data directory (default: $PRESSLINK_DATA_DIR or the OS app-data folder)');
}

async function withEngine<T>(dataDir: string | undefined, fn: (engine: Awaited<ReturnType<typeof startEngine>>) => Promise<T>): Promise<T> {
  const engine = await openEngine(dataDir, false);
  try {
    return await fn(engine);
  } finally {
    await engine.stop();
  }
}

/** The wizard's "Try with the sandbox": simulated services, loaded only when asked for. */
const sandbox: SandboxLauncher = { start: async (o) => (await import('./sandbox/launcher')).sandboxLauncher.start(o) };

async function openEngine(dataDir: string | undefined, schedule: boolean) {
  try {
    return await startEngine({ dataDir: resolveDataDir(dataDir), mode: 'headless', schedule, sandbox });
  } catch (e) {
    if (e instanceof DatabaseError) throw new CliFailure(e.message, EXIT.database);
    if (/configuration file/.test((e as Error).message)) throw new CliFailure((e as Error).message, EXIT.config);
    throw e;
  }
}

function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : human() + '\n');
}

export function buildProgram(): Command {
  const program = new Command('presslink')
    .description('Presslink: Infigo storefronts to GelatoConnect production.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the engine with the web UI, webhooks and shipping quotes')
    .addOption(dataDirOption())
    .option('--host <host>', 'address to bind (non-loopback needs the access token)', '127.0.0.1')
    .option('--port <port>', 'port to listen on', (v) => parsePort(v), 4780)
    .option('--reset-token', 'make a new access token for a non-loopback bind')
    .option('--no-schedule', 'do not run scheduled syncs (sync only on demand)')
    .action(async (o: { dataDir?: string; host: string; port: number; resetToken?: boolean; schedule: boolean }) => {
      const engine = await openEngine(o.dataDir, o.schedule);
      let server;
      try {
        server = await engine.serve({ host: o.host, port: o.port, rendererDir: rendererDir(), resetToken: o.resetToken });
      } catch (e) {
        await engine.stop();
        const msg = (e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `Port ${o.port} is already in use: is Presslink already running? Use --port to pick another.` : (e as Error).message;
        throw new CliFailure(msg, EXIT.failed);
      }
      process.stdout.write(`Presslink ${VERSION} is running at ${server.url}  (data: ${engine.ctx.opts.dataDir})\n`);
      if (server.createdToken) {
        process.stdout.write(
          `Access token (shown once; keep it safe): ${server.createdToken}\nOpen ${server.url}/?token=… or enter it when the page asks.\n`,
        );
      } else if (server.host !== '127.0.0.1' && server.host !== 'localhost') {
        process.stdout.write('This address needs the access token printed when it was created (use --reset-token for a new one).\n');
      }
      const shutdown = async () => {
        await engine.stop();
        process.exit(EXIT.ok);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
      await new Promise(() => {});
    });

  program
    .command('sync')
    .description('run one sync cycle, then exit')
    .requiredOption('--once', 'run exactly one cycle (the only mode; scheduled syncs need `serve`)')
    .addOption(dataDirOption())
    .option('--json', 'print the cycle summary as JSON')
    .action(async (o: { dataDir?: string; json?: boolean }) => {
      await withEngine(o.dataDir, async (engine) => {
        if (!engine.ctx.config.isConfigured()) {
          throw new CliFailure('Presslink is not set up: import a configuration first (presslink config import FILE).', EXIT.config);
        }
        // Before go-live nothing is imported: a first sync would otherwise send the store's history.
        if (!isActivated(engine.ctx)) throw new CliFailure(GOLIVE_MSG.cliNotActivated(), EXIT.config);
        const r = await engine.call('sync.now', {});
        const s = r.summary;
        if (!s) throw new CliFailure(r.reason ?? 'The sync could not run.', EXIT.failed);
        print(!!o.json, s, () =>
          [
            `Sync ${s.ok ? 'finished' : 'finished with errors'} in ${s.durationMs ?? 0} ms:`,
            `  discovered ${s.discovered}, submitted ${s.submitted}, needs attention ${s.needsAttention}, skipped ${s.skipped}, failed ${s.failed}`,
            ...s.errors.map((e) => `  ! ${e.storeId ? `[${e.storeId}] ` : ''}${e.orderId ? `order ${e.orderId}: ` : ''}${e.reason}`),
          ].join('\n'),
        );
        // Per-order problems are results, not a failed cycle; only a cycle that could not run is.
        if (!s.ok && s.discovered === 0 && s.submitted === 0 && s.errors.length > 0 && s.errors.every((e) => !e.orderId)) {
          process.exitCode = EXIT.failed;
        }
      });
    });

  program
    .command('activate')
    .description('go live: record each store\'s cut-over (older orders are never submitted) and start syncing')
    .addOption(dataDirOption())
    .option('--json', 'print what was recorded as JSON')
    .action(async (o: { dataDir?: string; json?: boolean }) => {
      await withEngine(o.dataDir, async (engine) => {
        if (!engine.ctx.config.isConfigured()) {
          throw new CliFailure('Presslink is not set up: import a configuration first (presslink config import FILE).', EXIT.config);
        }
        let a;
        try {
          a = await engine.call('setup.activate', {});
        } catch (e) {
          if (e instanceof CallError) throw new CliFailure(e.message, EXIT.failed);
          throw e;
        }
        print(!!o.json, a, () =>
          [
            a.message,
            `Active since ${a.activatedAt}.`,
            ...a.stores.map((s) => `  ${s.storeId}: ${s.newestInfigoOrderId === null ? 'cut-over taken at its first sync' : s.newestInfigoOrderId === 0 ? 'no older orders' : `orders up to ${s.newestInfigoOrderId}${s.newestCreatedOnUtc ? ` (${s.newestCreatedOnUtc.slice(0, 10)})` : ''} are before go-live`}`),
          ].join('\n'),
        );
      });
    });

  program
    .command('status')
    .description('show engine health, last and next sync, and order counts')
    .addOption(dataDirOption())
    .option('--json', 'print as JSON')
    .action(async (o: { dataDir?: string; json?: boolean }) => {
      await withEngine(o.dataDir, async (engine) => {
        const s = engine.status();
        print(!!o.json, s, () =>
          [
            `Presslink ${s.version} — ${s.health}`,
            `Data: ${s.dataDir}`,
            `Stores: ${s.stores.map((x) => x.id).join(', ') || 'none configured'}`,
            s.activatedAt ? `Active since: ${s.activatedAt}` : 'Not activated yet: nothing is imported (presslink activate)',
            `Last sync: ${s.lastSync ? `${s.lastSync.finishedAt} (${s.lastSync.ok ? 'ok' : 'with errors'})` : 'never'}`,
            `Needs attention: ${s.attentionCount}`,
            `Orders: ${Object.entries(s.counts).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
          ].join('\n'),
        );
      });
    });

  const config = program.command('config').description('import or export the configuration');
  config
    .command('import <file>')
    .description('validate and apply a configuration file (inline secrets move to the secret store)')
    .addOption(dataDirOption())
    .option('--passphrase <p>', 'passphrase of an export that includes secrets (or $PRESSLINK_PASSPHRASE)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, o: { dataDir?: string; passphrase?: string; json?: boolean }) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        throw new CliFailure(`Cannot read ${file}: ${(e as Error).message}`, EXIT.usage);
      }
      await withEngine(o.dataDir, async (engine) => {
        const r = await engine.call('config.import', { json: text, passphrase: o.passphrase ?? process.env.PRESSLINK_PASSPHRASE });
        print(!!o.json, r, () =>
          r.ok
            ? `Configuration imported: ${engine.ctx.config.get().stores.length} store(s).`
            : `The configuration was not imported; the previous one is still in force. Problems:\n${r.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
        );
        if (!r.ok) process.exitCode = EXIT.config;
      });
    });
  config
    .command('export')
    .description('print the configuration; secrets only as references unless --include-secrets')
    .addOption(dataDirOption())
    .option('--include-secrets', 'include secret values, encrypted with --passphrase')
    .option('--passphrase <p>', 'passphrase for --include-secrets (or $PRESSLINK_PASSPHRASE)')
    .action(async (o: { dataDir?: string; includeSecrets?: boolean; passphrase?: string }) => {
      await withEngine(o.dataDir, async (engine) => {
        const passphrase = o.passphrase ?? process.env.PRESSLINK_PASSPHRASE;
        if (o.includeSecrets && !passphrase) throw new CliFailure('--include-secrets needs --passphrase (8+ characters).', EXIT.usage);
        const r = await engine.call('config.export', { includeSecrets: !!o.includeSecrets, ...(passphrase && o.includeSecrets ? { passphrase } : {}) });
        process.stdout.write(r.json + '\n');
      });
    });

  program
    .command('sandbox')
    .description('run a simulated Infigo storefront and GelatoConnect tenant for demos and tests')
    .option('--port <port>', 'first port (Infigo); GelatoConnect uses the next one', (v) => parsePort(v), 4790)
    .option('--orders <n>', 'orders seeded per store', (v) => parseCount(v), 20)
    .option('--stores <n>', 'number of storefronts', (v) => parseCount(v), 2)
    .option('--seed <n>', 'seed for reproducible data and faults', (v) => parseCount(v), 1)
    .option('--faults <spec>', 'fault injection, e.g. "5xx=0.1,reset=0.05,429=0.02:2,latency=2000@0.05"')
    .option('--json', 'print the connection details as JSON')
    .action(async (o: { port: number; orders: number; stores: number; seed: number; faults?: string; json?: boolean }) => {
      const { runSandboxCommand } = await import('./sandbox/cli-command');
      await runSandboxCommand(o);
    });

  program
    .command('doctor')
    .description('run the troubleshooting checks')
    .addOption(dataDirOption())
    .option('--json', 'print results as JSON')
    .action(async (o: { dataDir?: string; json?: boolean }) => {
      await withEngine(o.dataDir, async (engine) => {
        const results = await engine.call('doctor.run', {});
        print(!!o.json, results, () =>
          results.map((r) => `${r.status === 'pass' ? '✓' : r.status === 'fail' ? '✗' : '•'} ${r.title}: ${r.message}${r.fix && r.status === 'fail' ? `\n    fix: ${r.fix}` : ''}`).join('\n'),
        );
        if (results.some((r) => r.status === 'fail')) process.exitCode = EXIT.failed;
      });
    });

  return program;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliFailure(`"${v}" is not a port number (0-65535).`, EXIT.usage);
  return n;
}
function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliFailure(`"${v}" is not a whole number.`, EXIT.usage);
  return n;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    if (e instanceof CliFailure) {
      process.stderr.write(`presslink: ${e.message}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    if (e instanceof DatabaseError) {
      process.stderr.write(`presslink: ${e.message}\n`);
      process.exitCode = EXIT.database;
      return;
    }
    process.stderr.write(`presslink: ${(e as Error).message}\n`);
    process.exitCode = EXIT.failed;
  }
}

// Exposed for `config import` validation without an engine (tests and docs use it).
export { parseConfig };

const invokedDirectly = process.argv[1] && /cli\.(m?js|ts)$/.test(process.argv[1]);
if (invokedDirectly || process.env.PRESSLINK_CLI_MAIN === '1') void main(process.argv);
