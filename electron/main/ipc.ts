import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { EVENT_NAMES } from '../../shared/contract';
import type { Engine } from '../core/engine-types';
import { isAppUrl } from './security';
import { CALL_CHANNEL, EVENT_CHANNEL, createCallDispatcher, isTrustedSender, type DispatchOptions, type IpcResult } from './ipc-dispatch';

// Binds the contract to one IPC channel pair. Everything that can be decided
// without Electron lives in ipc-dispatch.ts.

export function bindContract(opts: {
  engine: () => Engine | null | Promise<Engine | null>;
  window: () => BrowserWindow | null;
  dispatch?: DispatchOptions;
}): () => void {
  const dispatch = createCallDispatcher(opts.engine, opts.dispatch);

  ipcMain.handle(CALL_CHANNEL, async (e: IpcMainInvokeEvent, name: unknown, input: unknown): Promise<IpcResult> => {
    const frame = e.senderFrame;
    const win = opts.window();
    const trusted = !!win && !win.isDestroyed() && e.sender === win.webContents && isTrustedSender(frame ? { url: frame.url, isMainFrame: frame.parent === null } : null);
    if (!trusted) return { ok: false, error: { code: 'unauthorized', message: 'This page may not use Presslink.' } };
    return dispatch(name, input);
  });

  return () => ipcMain.removeHandler(CALL_CHANNEL);
}

/** Forwards every engine event to the window; returns the unsubscribe. */
export function forwardEvents(engine: Engine, window: () => BrowserWindow | null): () => void {
  const offs = EVENT_NAMES.map((name) =>
    engine.on(name, (payload) => {
      const win = window();
      if (win && !win.isDestroyed() && !win.webContents.isDestroyed() && isAppUrl(win.webContents.getURL())) win.webContents.send(EVENT_CHANNEL, name, payload);
    }),
  );
  return () => offs.forEach((off) => off());
}
