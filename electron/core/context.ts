import type { Logger } from 'pino';
import type { CallName, CallOutput, EngineStatus, ParsedCallInput, SyncSummary } from '../../shared/contract';
import type { ConfigStore } from './config/store';
import type { DB } from './db/open';
import type { Repositories } from './db/repositories';
import type { OrdersRepo } from './db/orders-repo';
import type { EngineOptions } from './engine-types';
import type { EventBus } from './events';
import type { DataFiles } from './paths';
import type { Probes } from './checks/probe-route';
import type { SandboxLauncher } from './sandbox-port';
import type { SecretStore } from './secrets/types';

// What every part of the engine is handed: the stores, the bus, the log, and
// the few engine-wide controls (ask for a sync, call another handler). It is a
// type-only module — no part of the engine imports the engine itself to reach
// its context, so no import cycle runs through the composition root (engine.ts).

/** The sync schedule as handlers and the status model see it. */
export interface SyncControl {
  /** Starts a cycle now unless one is running; `started: false` when one was. */
  now(): Promise<{ started: boolean; summary?: SyncSummary }>;
  pause(): void;
  resume(): void;
  isPaused(): boolean;
  isRunning(): boolean;
  nextRunAt(): Date | null;
}

/** Everything a handler may need; built once by startEngine. */
export interface EngineContext {
  opts: EngineOptions;
  db: DB;
  /** Orders, their lines, files, tracking and timeline (db/orders-repo.ts). */
  repo: OrdersRepo;
  /** The other tables, one repository each (db/repositories.ts). */
  repos: Repositories;
  config: ConfigStore;
  secrets: SecretStore;
  bus: EventBus;
  log: Logger;
  files: DataFiles;
  /** Set while the engine shuts down so long loops stop between orders. */
  stopping: { value: boolean };
  /** The schedule: sync now, pause, resume, and what the status model reads. */
  sync: SyncControl;
  /** Runs a sync soon (after the one in flight, if any), e.g. after a retry. */
  requestSync: () => void;
  /** The engine's status as every face shows it (health, counts, last and next sync). */
  status: () => EngineStatus;
  /** Applies a saved configuration to the running engine (stores, schedule, poller). */
  configChanged: () => void;
  /** Where this engine's own HTTP server listens, once it serves (signed files, postbacks, quotes). */
  serverUrl: () => string | null;
  /** One-time probes the public-address check fetches through the public address (checks/probe-route.ts). */
  probes: Probes;
  /** Starts simulated services for "Try with the sandbox"; absent where the shell did not provide them. */
  sandbox: SandboxLauncher | null;
  /** Calls another contract handler, so one feature can re-use another's result (e.g. checks use shipping.selfTest). */
  call: <N extends CallName>(name: N, input: unknown) => Promise<CallOutput<N>>;
  /** Work to finish when the engine stops, before the database closes (e.g. an in-process sandbox). */
  onStop: (fn: () => Promise<void> | void) => void;
}

/** One contract call's implementation. */
export type Handler<N extends CallName> = (ctx: EngineContext, input: ParsedCallInput<N>) => Promise<CallOutput<N>> | CallOutput<N>;

/** The calls of one namespace of the contract (`'orders'` → `orders.list`, `orders.get`, …). */
export type NamespaceCalls<NS extends string> = Extract<CallName, `${NS}.${string}`>;

/**
 * Exactly the handlers of one namespace: a module that misses a call of its namespace, or
 * serves a call of another, does not compile (`satisfies HandlersOf<'orders'>`).
 */
export type HandlersOf<NS extends string> = { [N in NamespaceCalls<NS>]: Handler<N> };

/** Exactly one handler per call of the contract (handlers/index.ts). */
export type HandlerMap = { [N in CallName]: Handler<N> };
