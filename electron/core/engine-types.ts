import type { CallName, CallOutput, EngineEvents, EngineStatus, EventName } from '../../shared/contract';
import type { SecretStore } from './secrets/types';

export interface EngineOptions {
  dataDir: string;
  mode: 'desktop' | 'headless';
  /** Defaults to the owner-only file store in the data directory. */
  secrets?: SecretStore;
  /** Start the sync schedule (default true). Tests and `sync --once` turn it off. */
  schedule?: boolean;
  /** Where the engine's own HTTP server (postbacks, quotes, signed files) is reachable, when it runs one. */
  serverBaseUrl?: string;
  logLevel?: string;
}

/** The engine as every face sees it: the contract, and nothing about how it is served. */
export interface Engine {
  call<N extends CallName>(name: N, input: unknown): Promise<CallOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: EngineEvents[E]) => void): () => void;
  status(): EngineStatus;
  /** Finishes the transaction in flight, stops scheduling, closes the database. */
  stop(): Promise<void>;
}
