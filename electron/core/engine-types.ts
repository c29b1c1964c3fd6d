import type { CallName, CallOutput, EngineEvents, EngineStatus, EventName } from '../../shared/contract';
import type { SandboxLauncher } from './sandbox-port';
import type { SecretStore } from './secrets/types';

export interface EngineOptions {
  dataDir: string;
  mode: 'desktop' | 'headless';
  /** Defaults to the owner-only file store in the data directory. */
  secrets?: SecretStore;
  /** Start the sync schedule (default true). Tests and `sync --once` turn it off. */
  schedule?: boolean;
  /** Where the engine's own HTTP server is reachable when another process serves it (tests); `serve()` sets it otherwise. */
  serverBaseUrl?: string;
  /** Simulated services for "Try with the sandbox" (electron/sandbox/launcher.ts); without one, sandbox mode is unavailable. */
  sandbox?: SandboxLauncher;
  logLevel?: string;
}

export interface ServeOptions {
  host?: string;
  port?: number;
  /** Built renderer (dist/renderer), served as the web UI when present. */
  rendererDir?: string;
  /** Make a new access token for a non-loopback bind. */
  resetToken?: boolean;
  /** Extra Host names to answer besides IP addresses, localhost and this machine's name (--allow-host). */
  allowHosts?: string[];
  /** Further routes to mount beside the engine's own (benchmarks time requests this way). */
  routes?: ((app: import('fastify').FastifyInstance) => Promise<void> | void)[];
}

/** The engine's HTTP server once it listens. */
export interface Served {
  url: string;
  host: string;
  port: number;
  /** Set only when an access token was created for this start; print it once. */
  createdToken?: string;
  /** The key this machine's tools send as `Authorization: Bearer <key>` (docs/security.md). */
  apiKey: string;
  /** A fresh one-time sign-in link to the web UI. */
  signInLink(): string;
  app: import('fastify').FastifyInstance;
  close(): Promise<void>;
}

/** The engine as every face sees it: the contract, and nothing about how it is served. */
export interface Engine {
  call<N extends CallName>(name: N, input: unknown): Promise<CallOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: EngineEvents[E]) => void): () => void;
  status(): EngineStatus;
  /** Starts the engine's HTTP server (UI API, postbacks, quotes, signed files); returns where it listens. */
  serve(opts?: ServeOptions): Promise<Served>;
  /** Finishes the transaction in flight, stops scheduling, closes the server and the database. */
  stop(): Promise<void>;
}
