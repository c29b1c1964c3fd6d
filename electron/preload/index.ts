import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createPresslinkApi, type IpcResult } from './api';

// The only thing the page gets: window.presslink implementing PresslinkApi.
// Channel names are repeated here (not imported from main) so the sandboxed
// preload bundle stays free of main-process code.
const CALL_CHANNEL = 'presslink:call';
const EVENT_CHANNEL = 'presslink:event';

const api = createPresslinkApi(
  (name, input) => ipcRenderer.invoke(CALL_CHANNEL, name, input) as Promise<IpcResult>,
  (handler) => {
    const fn = (_e: IpcRendererEvent, event: unknown, payload: unknown) => {
      if (typeof event === 'string') handler(event, payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, fn);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, fn);
  },
);

contextBridge.exposeInMainWorld('presslink', {
  call: api.call,
  on: api.on,
});
