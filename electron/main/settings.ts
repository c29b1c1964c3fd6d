// Desktop-only preferences (the engine's config knows nothing of windows or
// trays). Kept in an electron-store file next to Electron's own user data.

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface DesktopSettings {
  /** Closing the window keeps the engine running in the tray. */
  closeToTray: boolean;
  startAtLogin: boolean;
  /** Base URL of a generic update feed (latest.yml etc.); empty means updates are off. */
  updateUrl: string;
  window: WindowBounds;
}

export const DEFAULT_WINDOW: WindowBounds = { width: 1280, height: 820, maximized: false };

export const DEFAULT_SETTINGS: DesktopSettings = {
  closeToTray: true,
  startAtLogin: false,
  updateUrl: '',
  window: DEFAULT_WINDOW,
};

/** Reads whatever is on disk (hand-edited, older version) into valid settings. */
export function normalizeSettings(raw: unknown): DesktopSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    closeToTray: typeof r.closeToTray === 'boolean' ? r.closeToTray : DEFAULT_SETTINGS.closeToTray,
    startAtLogin: typeof r.startAtLogin === 'boolean' ? r.startAtLogin : DEFAULT_SETTINGS.startAtLogin,
    updateUrl: typeof r.updateUrl === 'string' ? r.updateUrl.trim() : '',
    window: normalizeBounds(r.window),
  };
}

function normalizeBounds(raw: unknown): WindowBounds {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined);
  const width = num(r.width);
  const height = num(r.height);
  const out: WindowBounds = {
    width: width && width >= MIN_WIDTH ? width : DEFAULT_WINDOW.width,
    height: height && height >= MIN_HEIGHT ? height : DEFAULT_WINDOW.height,
    maximized: r.maximized === true,
  };
  const x = num(r.x);
  const y = num(r.y);
  if (x !== undefined && y !== undefined) {
    out.x = x;
    out.y = y;
  }
  return out;
}

export const MIN_WIDTH = 900;
export const MIN_HEIGHT = 600;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where to open the window: the saved bounds if enough of the window is still
 * on a connected display (a monitor may have been unplugged), else centred
 * on the primary display with the saved size clamped to fit.
 */
export function placeWindow(saved: WindowBounds, displays: Rect[], primary: Rect): WindowBounds {
  const fit = (b: WindowBounds, area: Rect): WindowBounds => ({
    ...b,
    width: Math.min(b.width, area.width),
    height: Math.min(b.height, area.height),
  });
  if (saved.x !== undefined && saved.y !== undefined) {
    const win: Rect = { x: saved.x, y: saved.y, width: saved.width, height: saved.height };
    const host = displays.find((d) => visibleArea(win, d) >= Math.min(win.width * win.height, 200 * 100) && titleBarVisible(win, d));
    if (host) return fit(saved, host);
  }
  const sized = fit({ width: saved.width, height: saved.height, maximized: saved.maximized }, primary);
  return {
    ...sized,
    x: Math.round(primary.x + (primary.width - sized.width) / 2),
    y: Math.round(primary.y + (primary.height - sized.height) / 2),
  };
}

function visibleArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The top edge must be reachable, or the window cannot be dragged back. */
function titleBarVisible(win: Rect, d: Rect): boolean {
  return win.y >= d.y && win.y < d.y + d.height - 30 && win.x + win.width > d.x + 50 && win.x < d.x + d.width - 50;
}
