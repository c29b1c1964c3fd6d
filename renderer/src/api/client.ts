import {
  CallError,
  EVENT_NAMES,
  type CallErrorBody,
  type CallInput,
  type CallName,
  type CallOutput,
  type EngineEvents,
  type EventName,
  type PresslinkApi,
} from '../../../shared/contract';
import i18next from 'i18next';
import { isMsg } from '../../../shared/messages/index';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser talking to `presslink serve`. */
    presslink?: PresslinkApi;
  }
}

export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

export interface ClientHooks {
  /** The server wants this browser to sign in (no session cookie yet, or it expired). */
  onUnauthorized?: () => void;
  onConnection?: (state: ConnectionState) => void;
}

export interface PresslinkClient extends PresslinkApi {
  readonly transport: 'ipc' | 'http';
  /**
   * Trades a one-time sign-in code (or a whole sign-in link, or a network server's
   * access token) for the session cookie. False when the server refused it.
   */
  signIn(codeOrLink: string): Promise<boolean>;
  /** Drop and reopen the event stream, e.g. after signing in. */
  reconnect(): void;
}

/** The code in a pasted sign-in link (`…/?auth=<code>`), or the text itself when it is a bare code or token. */
export function signInCode(input: string): string {
  const text = input.trim();
  const m = /[?&]auth=([^&#\s]+)/.exec(text);
  if (!m) return text;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1]!;
  }
}

type Listener = (payload: unknown) => void;

/** Wraps the preload bridge so the rest of the UI never knows which transport it has. */
function ipcClient(bridge: PresslinkApi, hooks: ClientHooks): PresslinkClient {
  hooks.onConnection?.('open');
  return {
    transport: 'ipc',
    call: async (name, input) => {
      try {
        return await bridge.call(name, input);
      } catch (e) {
        throw toCallError(e);
      }
    },
    on: (event, listener) => bridge.on(event, listener),
    // The desktop window reaches the engine over IPC: there is nothing to sign in to.
    signIn: async () => true,
    reconnect: () => undefined,
  };
}

/** Errors thrown across IPC lose their class; give them back a CallError shape. */
function toCallError(e: unknown): CallError {
  if (e instanceof CallError) return e;
  if (e && typeof e === 'object') {
    const o = e as Partial<CallErrorBody> & { message?: string };
    if (typeof o.code === 'string') return new CallError(o.code, o.message ?? String(o.code), o.problems, isMsg(o.msg) ? o.msg : undefined);
    // Electron prefixes remote errors: "Error invoking remote method '…': CallError: <msg>".
    if (typeof o.message === 'string') return new CallError('failed', o.message.replace(/^Error invoking remote method '[^']*': (\w*Error: )?/, ''));
  }
  return new CallError('failed', String(e));
}

/**
 * The browser's client for `presslink serve`. It holds no credential itself: the
 * server's HttpOnly session cookie, set when the one-time sign-in link is opened
 * (or a code is pasted on the sign-in page), goes with every same-origin request.
 */
function httpClient(baseUrl: string, hooks: ClientHooks): PresslinkClient {
  const listeners = new Map<EventName, Set<Listener>>();
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryDelay = 500;
  let everOpened = false;
  let blocked = false; // waiting for a sign-in; do not hammer the server

  const setConnection = (s: ConnectionState) => hooks.onConnection?.(s);

  function open(): void {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    source?.close();
    if (blocked) return;
    setConnection(everOpened ? 'reconnecting' : 'connecting');
    const es = new EventSource(`${baseUrl}/api/events`);
    source = es;
    es.onopen = () => {
      everOpened = true;
      retryDelay = 500;
      setConnection('open');
    };
    es.onerror = () => {
      if (source !== es) return;
      setConnection(everOpened ? 'reconnecting' : 'connecting');
      // The browser retries by itself only while the stream is merely interrupted; once it
      // gives up (server down, 401, wrong content type) we schedule our own attempt.
      if (es.readyState === EventSource.CLOSED) scheduleRetry();
    };
    for (const name of EVENT_NAMES) {
      es.addEventListener(name, (ev) => {
        const set = listeners.get(name);
        if (!set || set.size === 0) return;
        let payload: unknown;
        try {
          payload = JSON.parse((ev as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const l of set) l(payload);
      });
    }
  }

  function scheduleRetry(): void {
    source?.close();
    source = null;
    if (retryTimer) return;
    const delay = retryDelay;
    retryDelay = Math.min(retryDelay * 2, 10_000);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      // A probe call tells a 401 (ask to sign in) apart from a server that is down.
      void probe().then(open);
    }, delay);
  }

  async function probe(): Promise<void> {
    try {
      await call('engine.status', {});
    } catch {
      // Reported through hooks; open() still retries while the server is down.
    }
  }

  async function call<N extends CallName>(name: N, input?: CallInput<N>): Promise<CallOutput<N>> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}/api/call/${encodeURIComponent(name)}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      throw new CallError('unavailable', i18next.t('errors.unreachable'));
    }
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      // Fall through with a generic message below.
    }
    const b = body as { ok?: boolean; result?: unknown; error?: Partial<CallErrorBody> } | null;
    if (res.ok && b?.ok) return b.result as CallOutput<N>;
    const err = b?.error;
    const code = err?.code ?? (res.status === 401 ? 'unauthorized' : res.status === 404 ? 'unavailable' : 'failed');
    if (code === 'unauthorized') {
      blocked = true;
      source?.close();
      source = null;
      hooks.onUnauthorized?.();
    }
    throw new CallError(code, err?.message ?? i18next.t('errors.httpStatus', { status: res.status }), err?.problems, isMsg(err?.msg) ? err.msg : undefined);
  }

  // Opening lazily means a page that never subscribes does not hold a connection.
  function ensureOpen(): void {
    if (!source && !retryTimer && !blocked) open();
  }

  return {
    transport: 'http',
    call,
    on<E extends EventName>(event: E, listener: (payload: EngineEvents[E]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      ensureOpen();
      return () => {
        set.delete(listener as Listener);
      };
    },
    async signIn(codeOrLink) {
      const code = signInCode(codeOrLink);
      if (!code) return false;
      let res: Response;
      try {
        res = await fetch(`${baseUrl}/api/auth/session`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code }),
        });
      } catch {
        throw new CallError('unavailable', i18next.t('errors.unreachable'));
      }
      if (!res.ok) return false;
      blocked = false;
      return true;
    },
    reconnect() {
      blocked = false;
      open();
    },
  };
}

export function createClient(hooks: ClientHooks = {}, baseUrl = ''): PresslinkClient {
  if (typeof window !== 'undefined' && window.presslink) return ipcClient(window.presslink, hooks);
  return httpClient(baseUrl, hooks);
}

export function isCallError(e: unknown): e is CallError {
  return e instanceof CallError;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
