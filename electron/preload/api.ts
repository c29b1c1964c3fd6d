import type { CallErrorBody, CallName, EngineEvents, EventName, PresslinkApi } from '../../shared/contract';
import { isMsg } from '../../shared/messages/index';

// Builds window.presslink from two functions the preload gets from ipcRenderer.
// Type-only imports: the sandboxed preload can require nothing but `electron`,
// so no runtime code (and no zod) may come in from shared/.

export type IpcResult = { ok: true; value: unknown } | { ok: false; error: CallErrorBody };
export type Invoke = (name: string, input: unknown) => Promise<IpcResult>;
/** Registers one handler for every engine event; returns its removal. */
export type Subscribe = (handler: (event: string, payload: unknown) => void) => () => void;

const EVENTS = ['status', 'sync.started', 'sync.finished', 'order.changed', 'download.progress', 'attention.count'] as const satisfies readonly EventName[];
// Fails to compile when the contract gains an event this list does not forward.
type MissingEvents = Exclude<EventName, (typeof EVENTS)[number]>;
const allEventsForwarded: MissingEvents extends never ? true : false = true;
void allEventsForwarded;

/**
 * The rejection a failed call produces in the page: a plain object, because
 * contextBridge copies only the message of an Error and would lose the code
 * and the problems the UI shows next to form fields.
 */
export interface BridgedCallError extends CallErrorBody {
  name: 'CallError';
}

function isEventName(e: unknown): e is EventName {
  return typeof e === 'string' && (EVENTS as readonly string[]).includes(e);
}

export function createPresslinkApi(invoke: Invoke, subscribe: Subscribe): PresslinkApi {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let unsubscribe: (() => void) | null = null;

  const deliver = (event: string, payload: unknown) => {
    if (!isEventName(event)) return;
    for (const l of [...(listeners.get(event) ?? [])]) {
      try {
        l(payload);
      } catch (err) {
        // One failing listener must not starve the others.
        console.error('presslink listener failed', err);
      }
    }
  };

  const api: PresslinkApi = {
    async call(name, input) {
      if (typeof name !== 'string') throw bridged({ code: 'invalid_input', message: 'A request name is required.' });
      const r = await invoke(name as CallName, input ?? {});
      if (r.ok) return r.value as never;
      throw bridged(r.error);
    },
    on(event, listener) {
      if (!isEventName(event) || typeof listener !== 'function') return () => {};
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      // Subscribe to the one IPC channel only while someone listens.
      if (!unsubscribe) unsubscribe = subscribe(deliver);
      return () => {
        set.delete(l);
        if (set.size === 0) listeners.delete(event);
        if (listeners.size === 0 && unsubscribe) {
          unsubscribe();
          unsubscribe = null;
        }
      };
    },
  };
  return api;
}

function bridged(e: CallErrorBody): BridgedCallError {
  return {
    name: 'CallError',
    code: e.code,
    message: e.message,
    // The message to show in the person's language (shared/messages), where the engine wrote one.
    ...(isMsg(e.msg) ? { msg: e.msg } : {}),
    ...(e.problems ? { problems: e.problems.map((p) => ({ path: p.path, message: p.message, ...(isMsg(p.msg) ? { msg: p.msg } : {}) })) } : {}),
  };
}

export type { EngineEvents };
