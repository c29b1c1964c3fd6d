import { CallError, isCallName, parseCallInput, type CallErrorBody, type CallErrorCode, type CallName, type CallOutput } from '../../shared/contract';
import { isAppUrl } from './security';
import { isMsg, mapMsgText } from '../../shared/messages/index';

// The pure half of the IPC binding: which sender is trusted, how a call is
// validated and dispatched, and how any failure becomes a CallErrorBody.
// Nothing here touches `electron`, so it is unit-tested without the binary.

export const CALL_CHANNEL = 'presslink:call';
export const EVENT_CHANNEL = 'presslink:event';

/** What crosses IPC for a call: a value or a plain error body, never an exception with a stack. */
export type IpcResult<T = unknown> = { ok: true; value: T } | { ok: false; error: CallErrorBody };

export interface CallTarget {
  call<N extends CallName>(name: N, input: unknown): Promise<CallOutput<N>>;
}

const ERROR_CODES: readonly CallErrorCode[] = ['invalid_input', 'not_found', 'unavailable', 'conflict', 'unauthorized', 'failed'];

/** Only our own top-level page may call the engine; an iframe or a navigated-away page may not. */
export function isTrustedSender(frame: { url: string; isMainFrame: boolean } | null | undefined): boolean {
  return !!frame && frame.isMainFrame && isAppUrl(frame.url);
}

/**
 * Turns anything thrown by validation or the engine into what the renderer
 * may see. A CallError keeps its code and plain-language message; any other
 * error becomes a generic "failed" so internal details (paths, SQL, stacks)
 * stay in the log.
 */
export function toCallErrorBody(err: unknown, scrub: (s: string) => string = (s) => s): CallErrorBody {
  if (err instanceof CallError) return scrubBody(err.toBody(), scrub);
  // A CallError from another copy of the contract module (bundling) is still one.
  if (isCallErrorLike(err)) {
    const body: CallErrorBody = { code: err.code, message: err.message };
    const m = (err as { msg?: unknown }).msg;
    if (isMsg(m)) body.msg = m;
    if (Array.isArray(err.problems)) body.problems = err.problems.filter(isProblem);
    return scrubBody(body, scrub);
  }
  return { code: 'failed', message: 'Presslink could not complete this request. Details are in the log.' };
}

export interface DispatchOptions {
  scrub?: (s: string) => string;
  /** Called with every failure that is not a plain validation error, for the log. */
  onError?: (name: string, err: unknown) => void;
  /** Called after a call succeeded, e.g. to refresh what depends on the config. */
  onSuccess?: (name: CallName) => void;
}

/**
 * `target` gives the engine, or a promise of the engine while it is still
 * starting: calls made by the page during start-up wait for it instead of
 * failing; null means there is no engine to wait for.
 */
export function createCallDispatcher(target: () => CallTarget | null | Promise<CallTarget | null>, opts: DispatchOptions = {}) {
  return async function dispatch(name: unknown, input: unknown): Promise<IpcResult> {
    if (typeof name !== 'string' || !isCallName(name)) {
      return {
        ok: false,
        error: { code: 'invalid_input', message: `"${typeof name === 'string' ? name.slice(0, 60) : typeof name}" is not a Presslink request.` },
      };
    }
    let parsed: unknown;
    try {
      parsed = parseCallInput(name, input);
    } catch (err) {
      return { ok: false, error: toCallErrorBody(err, opts.scrub) };
    }
    let engine: CallTarget | null;
    try {
      engine = await target();
    } catch {
      engine = null;
    }
    if (!engine) return { ok: false, error: { code: 'unavailable', message: 'Presslink is still starting. Try again in a moment.' } };
    try {
      const value = await engine.call(name, parsed);
      try {
        opts.onSuccess?.(name);
      } catch (err) {
        opts.onError?.(name, err);
      }
      return { ok: true, value };
    } catch (err) {
      opts.onError?.(name, err);
      return { ok: false, error: toCallErrorBody(err, opts.scrub) };
    }
  };
}

function isCallErrorLike(e: unknown): e is { code: CallErrorCode; message: string; problems?: unknown[] } {
  if (!e || typeof e !== 'object') return false;
  const o = e as { name?: unknown; code?: unknown; message?: unknown };
  return o.name === 'CallError' && typeof o.message === 'string' && typeof o.code === 'string' && (ERROR_CODES as readonly string[]).includes(o.code);
}

function isProblem(p: unknown): p is { path: string; message: string } {
  return !!p && typeof (p as { path?: unknown }).path === 'string' && typeof (p as { message?: unknown }).message === 'string';
}

/** Scrubs every text the renderer will see, the messages' parameters included (they are shown too). */
function scrubBody(body: CallErrorBody, scrub: (s: string) => string): CallErrorBody {
  const out: CallErrorBody = { code: body.code, message: scrub(body.message) };
  if (body.msg) out.msg = mapMsgText(body.msg, scrub);
  if (body.problems) out.problems = body.problems.map((p) => ({ path: p.path, message: scrub(p.message), ...(p.msg ? { msg: mapMsgText(p.msg, scrub) } : {}) }));
  return out;
}
