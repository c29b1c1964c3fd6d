import { create } from 'zustand';
import type { EngineStatus, SyncSummary } from '../../../shared/contract';
import { createClient, type ConnectionState, type PresslinkClient } from '../api/client';

interface EngineState {
  status: EngineStatus | null;
  statusError: string | null;
  connection: ConnectionState;
  authRequired: boolean;
  lastFinished: SyncSummary | null;
  setStatus(s: EngineStatus): void;
  refresh(): Promise<void>;
}

export const useEngine = create<EngineState>()((set) => ({
  status: null,
  statusError: null,
  connection: 'connecting',
  authRequired: false,
  lastFinished: null,
  setStatus: (s) => set({ status: s, statusError: null }),
  refresh: async () => {
    try {
      const s = await api.call('engine.status', {});
      set({ status: s, statusError: null });
    } catch (e) {
      set({ statusError: e instanceof Error ? e.message : String(e) });
    }
  },
}));

/** The one client the whole UI shares. */
export const api: PresslinkClient = createClient({
  onUnauthorized: () => useEngine.setState({ authRequired: true }),
  onConnection: (connection) => {
    const was = useEngine.getState().connection;
    useEngine.setState({ connection });
    // Events missed while the stream was down are not replayed; fetch the truth again.
    if (connection === 'open' && was === 'reconnecting') void useEngine.getState().refresh();
  },
});

let started = false;
/** Subscribes the store to the engine's events once for the life of the page. */
export function startEngineFeed(): void {
  if (started) return;
  started = true;
  api.on('status', (s) => useEngine.getState().setStatus(s));
  api.on('attention.count', ({ count }) => {
    const s = useEngine.getState().status;
    if (s) useEngine.setState({ status: { ...s, attentionCount: count } });
  });
  api.on('sync.started', () => {
    const s = useEngine.getState().status;
    if (s) useEngine.setState({ status: { ...s, syncing: true, health: s.paused ? s.health : 'syncing' } });
  });
  api.on('sync.finished', (summary) => {
    const s = useEngine.getState().status;
    useEngine.setState({ lastFinished: summary, ...(s ? { status: { ...s, syncing: false, lastSync: summary } } : {}) });
    // Health and next run are the engine's to decide; ask rather than guess.
    void useEngine.getState().refresh();
  });
  void useEngine.getState().refresh();
}

/** Signs this browser in with a one-time code, a pasted sign-in link or an access token. */
export async function signIn(codeOrLink: string): Promise<boolean> {
  try {
    if (!(await api.signIn(codeOrLink))) return false;
    const s = await api.call('engine.status', {});
    useEngine.setState({ authRequired: false, status: s, statusError: null });
    api.reconnect();
    return true;
  } catch {
    useEngine.setState({ authRequired: true });
    return false;
  }
}
