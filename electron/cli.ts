import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { parseConfig } from '../shared/config';
import { CallError } from '../shared/contract';
import { DatabaseError } from './core/db/open';
import { startEngine } from './core/engine';
import { isActivated } from './core/golive/activation';
import { GOLIVE_MSG } from './core/golive/messages';
import { cliLanguage, reasonOf, renderMsg, textOf, type EngineLanguage } from './core/i18n';
import { isMsg, msg, type Msg } from '../shared/messages/index';
import { ORDER_STATES, type OrderState } from '../shared/domain/order-state';
import { dataFiles, resolveDataDir } from './core/paths';
import { apiKeyFromFile, readServerInfo } from './core/server/credentials';
import { isLoopbackHost } from './core/server/guard';
import type { SandboxLauncher } from './core/sandbox-port';
import { VERSION } from './core/version';

// The `presslink` command. Its commands, flags, exit codes and --json shapes are
// a stable contract (docs/cli.md): scripts and tests depend on them.

export const EXIT = { ok: 0, failed: 1, usage: 2, config: 3, database: 4 } as const;

class CliFailure extends Error {
  /** The failure as a message, printed in the language asked for (--lang, LANG). */
  readonly msg: Msg | undefined;
  constructor(
    message: string | Msg | (Error & { msg?: unknown }),
    readonly exitCode: number,
  ) {
    super(message instanceof Error ? message.message : textOf(message));
    this.msg = message instanceof Error ? (isMsg(message.msg) ? message.msg : undefined) : typeof message === 'string' ? undefined : message;
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** The language of this invocation's text output: --lang (any command), else the locale. Set by main(). */
let LANG: EngineLanguage = cliLanguage();
/** A message in the language asked for. */
const t = (key: Parameters<typeof msg>[0], params?: Parameters<typeof msg>[1]) => renderMsg(msg(key, params), LANG);

/** The --lang value anywhere on the command line (every command takes it). */
export function langFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--lang') return argv[i + 1];
    if (a.startsWith('--lang=')) return a.slice('--lang='.length);
  }
  return undefined;
}
/** dist/renderer next to the bundled CLI (dist/cli.mjs), or under the repo when run from source. */
function rendererDir(): string {
  const candidates = [path.join(here, 'renderer'), path.join(here, '..', 'dist', 'renderer')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? candidates[0]!;
}

function dataDirOption() {
  return new Option('--data-dir <dir>', 'data directory (default: $PRESSLINK_DATA_DIR or the OS app-data folder)');
}

/**
 * Runs a command on an engine over the data directory. Commands that only read or use an
 * existing installation refuse a directory that does not exist (a typo in --data-dir must not
 * quietly create an empty installation and report it as "not set up").
 */
async function withEngine<T>(
  dataDir: string | undefined,
  fn: (engine: Awaited<ReturnType<typeof startEngine>>) => Promise<T>,
  opts: { mustExist?: boolean; missing?: (dir: string) => CliFailure } = {},
): Promise<T> {
  if (opts.mustExist || opts.missing) {
    const dir = resolveDataDir(dataDir);
    if (!fs.existsSync(dir)) {
      throw opts.missing?.(dir) ?? new CliFailure(msg('cli.noDataDir', { dir }), EXIT.usage);
    }
  }
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
    if (/configuration file/.test((e as Error).message)) throw new CliFailure(e as Error & { msg?: Msg }, EXIT.config);
    throw e;
  }
}

/** A stop that does not come within this long after SIGTERM/SIGINT is forced (see onStopSignal). */
const STOP_GRACE_MS = 10_000;

/**
 * SIGTERM/SIGINT while the engine works: `begin` marks the engine as stopping, which makes a
 * running sync let go of its transfers at once (partial files kept for a Range resume next
 * time). The command then finishes on its own; should it not within STOP_GRACE_MS, the
 * process exits anyway — safe, since every step is one SQLite transaction and a cut download
 * resumes. A second signal exits at once. Returns a remover and the signal received, if any.
 */
function onStopSignal(begin: (signal: NodeJS.Signals) => void): { received: () => NodeJS.Signals | null; remove: () => void } {
  let received: NodeJS.Signals | null = null;
  const handler = (signal: NodeJS.Signals) => {
    const code = 128 + (os.constants.signals[signal] ?? 15);
    if (received) {
      process.stderr.write(`presslink: ${t('cli.signal.again', { signal })}\n`);
      process.exit(code);
    }
    received = signal;
    process.stderr.write(`presslink: ${t('cli.signal.stopping', { signal })}\n`);
    setTimeout(() => {
      process.stderr.write(`presslink: ${t('cli.signal.forced', { seconds: STOP_GRACE_MS / 1000 })}\n`);
      process.exit(code);
    }, STOP_GRACE_MS).unref();
    begin(signal);
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return {
    received: () => received,
    remove: () => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
    },
  };
}

/** A moment for a person: the date and time here, in the output's language, then the stored ISO 8601 form that scripts read. */
function moment(iso: string, lang: EngineLanguage): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${new Intl.DateTimeFormat(lang === 'it' ? 'it-IT' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(d)} (${iso})`;
}
/** An engine text in the person's language: its message where it has one, else the text as it came. */
const said = (lang: EngineLanguage) => (text: string, m?: Msg | null): string => (m ? renderMsg(m, lang) : text);
const langOption = () => new Option('--lang <lang>', 'language of the text output: en or it (default: from LANG)');

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
    .option('--host <host>', 'address to bind (default loopback; another address also prints an access token for other computers)', '127.0.0.1')
    .option('--port <port>', 'port to listen on', (v) => parsePort(v), 4780)
    .option('--allow-host <name>', 'also answer requests addressed to this host name (repeatable), e.g. the name a reverse proxy or the LAN uses', (v, acc: string[]) => [...acc, v], [] as string[])
    .option('--reset-token', 'make a new access token for a non-loopback bind')
    .option('--no-schedule', 'do not run scheduled syncs (sync only on demand)')
    .addOption(langOption())
    .action(async (o: { dataDir?: string; host: string; port: number; allowHost: string[]; resetToken?: boolean; schedule: boolean }) => {
      const engine = await openEngine(o.dataDir, o.schedule);
      let server;
      try {
        server = await engine.serve({ host: o.host, port: o.port, rendererDir: rendererDir(), resetToken: o.resetToken, allowHosts: o.allowHost });
      } catch (e) {
        await engine.stop();
        throw new CliFailure((e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? msg('cli.serve.portInUse', { port: o.port }) : (e as Error & { msg?: Msg }), EXIT.failed);
      }
      const dataDir = engine.ctx.opts.dataDir;
      process.stdout.write(
        [
          t('cli.serve.running', { version: VERSION, url: server.url, dir: dataDir }),
          t('cli.serve.signIn'),
          `  ${server.signInLink()}`,
          t('cli.serve.newLink', { dir: JSON.stringify(dataDir) }),
          '',
        ].join('\n'),
      );
      if (!isLoopbackHost(server.host)) {
        if (server.createdToken) {
          process.stdout.write(`${t('cli.serve.token', { token: server.createdToken })}\n  ${t('cli.serve.tokenUse')}\n`);
        } else {
          process.stdout.write(`${t('cli.serve.tokenEarlier')}\n`);
        }
        if (server.host === '0.0.0.0' || server.host === '::') process.stdout.write(`${t('cli.serve.useAddress')}\n`);
      }
      onStopSignal(() => {
        // Stopping first lets a sync in flight go at once (its transfers are interrupted, parts kept).
        engine.ctx.stopping.value = true;
        void (async () => {
          await engine.stop();
          process.exit(EXIT.ok);
        })();
      });
      await new Promise(() => {});
    });

  program
    .command('open-link')
    .description('print a new one-time sign-in link for the web UI of the Presslink serving this data folder')
    .addOption(dataDirOption())
    .option('--json', 'print {"url": …} as JSON')
    .addOption(langOption())
    .action(async (o: { dataDir?: string; json?: boolean }) => {
      const url = await newSignInLink(resolveDataDir(o.dataDir));
      print(!!o.json, { url }, () => `${t('cli.serve.signIn')}\n  ${url}`);
    });

  program
    .command('sync')
    .description('run one sync cycle, then exit')
    .requiredOption('--once', 'run exactly one cycle (the only mode; scheduled syncs need `serve`)')
    .addOption(dataDirOption())
    .option('--json', 'print the cycle summary as JSON')
    .addOption(langOption())
    .action(async (o: { dataDir?: string; json?: boolean; lang?: string }) => {
      const lang = cliLanguage(o.lang);
      const say = said(lang);
      await withEngine(o.dataDir, async (engine) => {
        if (!engine.ctx.config.isConfigured()) {
          throw new CliFailure(msg('cli.notSetUp'), EXIT.config);
        }
        // Before go-live nothing is imported: a first sync would otherwise send the store's history.
        if (!isActivated(engine.ctx)) throw new CliFailure(GOLIVE_MSG.cliNotActivated(), EXIT.config);
        const stop = onStopSignal(() => {
          engine.ctx.stopping.value = true;
        });
        let r;
        try {
          r = await engine.call('sync.now', {});
        } finally {
          stop.remove();
        }
        const s = r.summary;
        if (!s) throw new CliFailure(r.reason ? say(r.reason, r.reasonMsg) : renderMsg(msg('cli.sync.couldNotRun'), lang), EXIT.failed);
        // The orders this cycle held or failed, each with its reason: results the person must see.
        const held = (await engine.call('orders.list', { attention: true, limit: 1000 })).rows.filter((row) => row.updatedAt >= s.startedAt);
        const errors = [
          ...s.errors,
          ...held.map((row) => ({ storeId: row.storeId, orderId: row.infigoOrderId, reason: row.attentionReason ?? row.state, ...(row.attentionMsg ? { msg: row.attentionMsg } : {}), state: row.state })),
        ];
        print(!!o.json, { ...s, errors }, () =>
          [
            renderMsg(msg(s.ok ? 'cli.sync.finished' : 'cli.sync.finishedWithErrors', { ms: s.durationMs ?? 0 }), lang),
            `  ${renderMsg(msg('cli.sync.counts', { discovered: s.discovered, submitted: s.submitted, attention: s.needsAttention, skipped: s.skipped, failed: s.failed }), lang)}`,
            ...errors.map((e) => {
              const reason = say(e.reason, e.msg);
              return `  ! ${e.storeId ? `[${e.storeId}] ` : ''}${e.orderId ? renderMsg(msg('cli.sync.orderSays', { order: e.orderId, reason }), lang) : reason}`;
            }),
          ].join('\n'),
        );
        // Per-order problems are results, not a failed cycle. Non-zero only when the cycle itself
        // could not run, or no enabled store could be read (one bad store beside good ones is a result).
        const enabled = engine.ctx.config.get().stores.filter((st) => st.enabled);
        const unreadable = new Set(s.errors.filter((e) => e.storeId && !e.orderId).map((e) => e.storeId));
        const cycleBroken = s.errors.some((e) => !e.storeId && !e.orderId);
        if (cycleBroken || (enabled.length > 0 && enabled.every((st) => unreadable.has(st.id)))) process.exitCode = EXIT.failed;
        // Stopped by a signal: the shell's convention, 128 + the signal's number (143, 130).
        const signal = stop.received();
        if (signal) process.exitCode = 128 + (os.constants.signals[signal] ?? 15);
      }, { missing: (dir) => new CliFailure(msg('cli.notSetUpDir', { dir }), EXIT.config) });
    });

  program
    .command('activate')
    .description('go live: record each store\'s cut-over (older orders are never submitted) and start syncing')
    .addOption(dataDirOption())
    .option('--json', 'print what was recorded as JSON')
    .addOption(langOption())
    .action(async (o: { dataDir?: string; json?: boolean }) => {
      await withEngine(o.dataDir, async (engine) => {
        if (!engine.ctx.config.isConfigured()) {
          throw new CliFailure(msg('cli.notSetUp'), EXIT.config);
        }
        let a;
        try {
          a = await engine.call('setup.activate', {});
        } catch (e) {
          if (e instanceof CallError) throw new CliFailure(e.msg ?? e.message, EXIT.failed);
          throw e;
        }
        const cutover = (s: (typeof a.stores)[number]) =>
          s.newestInfigoOrderId === null
            ? t('cli.activate.firstSync')
            : s.newestInfigoOrderId === 0
              ? t('cli.activate.noOlder')
              : s.newestCreatedOnUtc
                ? t('cli.activate.upToDay', { order: s.newestInfigoOrderId, day: s.newestCreatedOnUtc.slice(0, 10) })
                : t('cli.activate.upTo', { order: s.newestInfigoOrderId });
        print(!!o.json, a, () =>
          [
            a.msg ? renderMsg(a.msg, LANG) : a.message,
            `${t('cli.activate.since')} ${moment(a.activatedAt, LANG)}.`,
            ...a.stores.map((s) => `  ${s.storeId}: ${cutover(s)}`),
          ].join('\n'),
        );
      });
    });

  program
    .command('status')
    .description('show engine health, last and next sync, and order counts')
    .addOption(dataDirOption())
    .option('--json', 'print as JSON')
    .option('--lang <lang>', 'language of the text output: en or it (default: from LANG)')
    .action(async (o: { dataDir?: string; json?: boolean; lang?: string }) => {
      await withEngine(o.dataDir, async (engine) => {
        const s = engine.status();
        const lang = cliLanguage(o.lang);
        // Moments as a person reads them, each followed by its ISO 8601 form for scripts (--json has only that).
        const state = (k: string) => ((ORDER_STATES as readonly string[]).includes(k) ? renderMsg(msg(`state.${k as OrderState}`), lang) : k);
        print(!!o.json, s, () =>
          [
            `Presslink ${s.version} — ${s.health}`,
            ...(s.healthCause ? [`  ${renderMsg(s.healthCause, lang)}`] : []),
            ...(s.healthFix ? [`  → ${renderMsg(s.healthFix.label, lang)}${s.healthFix.action ? '' : ` (#/${s.healthFix.page})`}`] : []),
            `${t('cli.status.data')} ${s.dataDir}`,
            `${t('cli.status.stores')} ${s.stores.map((x) => x.id).join(', ') || t('cli.status.noStores')}`,
            s.activatedAt ? `${t('cli.status.activeSince')} ${moment(s.activatedAt, lang)}` : t('cli.status.notActivated'),
            `${t('cli.status.lastSync')} ${s.lastSync ? `${s.lastSync.finishedAt ? moment(s.lastSync.finishedAt, lang) : t('cli.status.unfinished')}, ${t(s.lastSync.ok ? 'cli.status.lastOk' : 'cli.status.lastErrors')}` : t('cli.status.never')}`,
            `${t('cli.status.nextSync')} ${s.paused ? t('cli.status.paused') : s.nextSyncAt ? moment(s.nextSyncAt, lang) : (s.configured ? t('cli.status.notScheduled') : t('cli.status.notSetUp'))}`,
            `${t('cli.status.attention')} ${s.attentionCount}`,
            `${t('cli.status.orders')} ${Object.entries(s.counts).map(([k, v]) => `${state(k)} ${v}`).join(', ') || t('cli.status.noOrders')}`,
          ].join('\n'),
        );
      }, { mustExist: true });
    });

  const config = program.command('config').description('import, export, back up and restore the configuration');
  config
    .command('import <file>')
    .description('validate and apply a configuration file (inline secrets move to the secret store)')
    .addOption(dataDirOption())
    .option('--passphrase <p>', 'passphrase of an export that includes secrets (or $PRESSLINK_PASSPHRASE)')
    .option('--accept-format-1', 'import an export made by an earlier Presslink, whose configuration is not sealed (check where its secrets go first)')
    .option('--json', 'print the result as JSON')
    .addOption(langOption())
    .action(async (file: string, o: { dataDir?: string; passphrase?: string; acceptFormat1?: boolean; json?: boolean; lang?: string }) => {
      const lang = cliLanguage(o.lang);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        throw new CliFailure(msg('cli.readFile', { file, reason: (e as Error).message }), EXIT.usage);
      }
      await withEngine(o.dataDir, async (engine) => {
        const r = await engine.call('config.import', {
          json: text,
          passphrase: o.passphrase ?? process.env.PRESSLINK_PASSPHRASE,
          ...(o.acceptFormat1 ? { acceptFormat1: true } : {}),
        });
        print(!!o.json, r, () =>
          r.ok
            ? renderMsg(msg('cli.config.imported', { count: engine.ctx.config.get().stores.length }), lang)
            : [renderMsg(msg('cli.config.notImported'), lang), ...r.problems.map((p) => `  ${p.path}: ${said(lang)(p.message, p.msg)}`)].join('\n'),
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
    .addOption(langOption())
    .action(async (o: { dataDir?: string; includeSecrets?: boolean; passphrase?: string }) => {
      await withEngine(o.dataDir, async (engine) => {
        const passphrase = o.passphrase ?? process.env.PRESSLINK_PASSPHRASE;
        if (o.includeSecrets && !passphrase) throw new CliFailure(msg('cli.exportNeedsPassphrase'), EXIT.usage);
        let r;
        try {
          r = await engine.call('config.export', { includeSecrets: !!o.includeSecrets, ...(passphrase && o.includeSecrets ? { passphrase } : {}) });
        } catch (e) {
          if (e instanceof CallError) throw new CliFailure(e.msg ?? e.message, EXIT.usage);
          throw e;
        }
        process.stdout.write(r.json + '\n');
      }, { mustExist: true });
    });

  config
    .command('backups')
    .description('list the configurations kept when a save, import or restore replaced them (newest first)')
    .addOption(dataDirOption())
    .option('--json', 'print as JSON')
    .addOption(langOption())
    .action(async (o: { dataDir?: string; json?: boolean }) => {
      await withEngine(o.dataDir, async (engine) => {
        const r = await engine.call('config.backups', {});
        print(!!o.json, r, () =>
          r.backups.length
            ? [
                t('cli.backups.header'),
                ...r.backups.map((b) => `  ${t('cli.backups.line', { id: b.id, by: msg(`cli.backups.by.${b.reason}`), at: b.createdAt.replace('T', ' '), stores: b.stores.join(', ') || msg('cli.backups.noStores') })}`),
              ].join('\n')
            : t('cli.backups.none'),
        );
      });
    });
  config
    .command('restore <id>')
    .description('put a configuration backup back in force (the current one is kept as a backup)')
    .addOption(dataDirOption())
    .option('--json', 'print the result as JSON')
    .addOption(langOption())
    .action(async (id: string, o: { dataDir?: string; json?: boolean }) => {
      await withEngine(o.dataDir, async (engine) => {
        const r = await engine.call('config.restore', { id });
        print(!!o.json, r, () =>
          r.ok
            ? t('cli.backups.restored', { id, count: engine.ctx.config.get().stores.length })
            : [t('cli.backups.notRestored'), ...r.problems.map((p) => `  ${p.path}: ${said(LANG)(p.message, p.msg)}`)].join('\n'),
        );
        if (!r.ok) process.exitCode = EXIT.config;
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
    .addOption(langOption())
    .action(async (o: { port: number; orders: number; stores: number; seed: number; faults?: string; json?: boolean }) => {
      const { runSandboxCommand } = await import('./sandbox/cli-command');
      await runSandboxCommand({ ...o, lang: LANG });
    });

  program
    .command('doctor')
    .description('run the troubleshooting checks')
    .addOption(dataDirOption())
    .option('--json', 'print results as JSON')
    .addOption(langOption())
    .action(async (o: { dataDir?: string; json?: boolean; lang?: string }) => {
      const say = said(cliLanguage(o.lang));
      await withEngine(o.dataDir, async (engine) => {
        const results = await engine.call('doctor.run', {});
        print(!!o.json, results, () =>
          results
            .map((r) => {
              const line = `${r.status === 'pass' ? '✓' : r.status === 'fail' ? '✗' : '•'} ${say(r.title, r.msgs?.title)}: ${say(r.message, r.msgs?.message)}`;
              return r.fix && r.status === 'fail' ? `${line}\n    ${renderMsg(msg('cli.fix', { fix: say(r.fix, r.msgs?.fix) }), cliLanguage(o.lang))}` : line;
            })
            .join('\n'),
        );
        if (results.some((r) => r.status === 'fail')) process.exitCode = EXIT.failed;
      }, { mustExist: true });
    });

  return program;
}

/**
 * Asks the running server of this data folder for a one-time sign-in link. The
 * server says where it listens in server.json; the request carries the API key
 * derived from server-auth.json, which only the data folder's owner can read.
 */
async function newSignInLink(dataDir: string): Promise<string> {
  const files = dataFiles(dataDir);
  const info = readServerInfo(files.serverInfo);
  const where = { dir: dataDir, quoted: JSON.stringify(dataDir) };
  if (!info) throw new CliFailure(msg('cli.link.notServing', where), EXIT.failed);
  if (!info.ui) throw new CliFailure(msg('cli.link.desktop'), EXIT.failed);
  let key: string;
  try {
    key = apiKeyFromFile(files.serverAuth);
  } catch (e) {
    throw new CliFailure(msg('cli.link.noKey', { reason: reasonOf(e) }), EXIT.failed);
  }
  let res: Response;
  try {
    res = await fetch(`${info.url}/api/auth/link`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: '{}' });
  } catch {
    throw new CliFailure(msg('cli.link.nothingAnswers', { ...where, url: info.url }), EXIT.failed);
  }
  const body = (await res.json().catch(() => null)) as { ok?: boolean; result?: { url?: string }; error?: { message?: string; msg?: Msg } } | null;
  if (!res.ok || !body?.ok || !body.result?.url) {
    throw new CliFailure(msg('cli.link.noLink', { url: info.url, reason: body?.error?.msg ?? body?.error?.message ?? `HTTP ${res.status}` }), EXIT.failed);
  }
  return body.result.url;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliFailure(msg('cli.notPort', { value: v }), EXIT.usage);
  return n;
}
function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliFailure(msg('cli.notCount', { value: v }), EXIT.usage);
  return n;
}

export async function main(argv: string[]): Promise<void> {
  LANG = cliLanguage(langFlag(argv));
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    if (e instanceof CliFailure) {
      process.stderr.write(`presslink: ${e.msg ? renderMsg(e.msg, LANG) : e.message}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    if (e instanceof DatabaseError) {
      process.stderr.write(`presslink: ${e.message}\n`);
      process.exitCode = EXIT.database;
      return;
    }
    const m = (e as { msg?: unknown }).msg;
    process.stderr.write(`presslink: ${isMsg(m) ? renderMsg(m, LANG) : (e as Error).message}\n`);
    process.exitCode = EXIT.failed;
  }
}

// Exposed for `config import` validation without an engine (tests and docs use it).
export { parseConfig };

const invokedDirectly = process.argv[1] && /cli\.(m?js|ts)$/.test(process.argv[1]);
if (invokedDirectly || process.env.PRESSLINK_CLI_MAIN === '1') void main(process.argv);
