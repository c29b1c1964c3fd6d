// Writes the app and tray icons as PNGs with nothing but zlib, so they can be
// regenerated anywhere: `node resources/generate-icons.mjs`.
// Shapes are drawn as signed-distance fields with supersampling (4x4 for the
// tray sizes), which keeps edges smooth even at 16 px. Each tray state has its own glyph as well
// as its own colour, so the states stay apart for colour-blind users too.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));

// ---- PNG encoding ----------------------------------------------------------

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- drawing ---------------------------------------------------------------

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

// Distance functions in a unit square (0..1); negative inside.
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const ring = (cx, cy, r, w) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) - w / 2;
const segment = (ax, ay, bx, by, w) => (x, y) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - t * dx, py - t * dy) - w / 2;
};
const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const hx = (x1 - x0) / 2 - r, hy = (y1 - y0) / 2 - r;
  const qx = Math.abs(x - cx) - hx, qy = Math.abs(y - cy) - hy;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const union = (...fs) => (x, y) => Math.min(...fs.map((f) => f(x, y)));

/** layers: [{ shape, color: '#rrggbb', alpha? }], painted in order. */
function render(size, layers) {
  const out = Buffer.alloc(size * size * 4);
  // Small icons need more samples per pixel for smooth edges; large ones barely benefit.
  const S = size >= 128 ? 2 : 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = (px + (sx + 0.5) / S) / size;
          const y = (py + (sy + 0.5) / S) / size;
          // Composite this sample (premultiplied "over").
          let sr = 0, sg = 0, sb = 0, sa = 0;
          for (const l of layers) {
            if (l.shape(x, y) > 0) continue;
            const [lr, lg, lb] = hex(l.color);
            const la = l.alpha ?? 1;
            sr = lr * la + sr * (1 - la);
            sg = lg * la + sg * (1 - la);
            sb = lb * la + sb * (1 - la);
            sa = la + sa * (1 - la);
          }
          r += sr; g += sg; b += sb; a += sa;
        }
      }
      const n = S * S;
      const i = (py * size + px) * 4;
      const alpha = a / n;
      out[i] = alpha ? Math.round(r / n / alpha) : 0;
      out[i + 1] = alpha ? Math.round(g / n / alpha) : 0;
      out[i + 2] = alpha ? Math.round(b / n / alpha) : 0;
      out[i + 3] = Math.round(alpha * 255);
    }
  }
  return encodePng(size, size, out);
}

// ---- the icons -------------------------------------------------------------

const WHITE = '#ffffff';

/** Tray glyphs, drawn white on a coloured disc with a darker rim. */
const TRAY = {
  healthy: {
    fill: '#16a34a', rim: '#0f6b31',
    glyph: union(segment(0.3, 0.52, 0.44, 0.66, 0.11), segment(0.44, 0.66, 0.71, 0.36, 0.11)),
  },
  syncing: {
    fill: '#2563eb', rim: '#173f94',
    // A three-quarter arc with an arrowhead: "going round".
    glyph: union(
      (x, y) => (ring(0.5, 0.5, 0.21, 0.1)(x, y) <= 0 && !(x > 0.5 && y < 0.5) ? -1 : 1),
      segment(0.47, 0.17, 0.58, 0.29, 0.1),
      segment(0.47, 0.41, 0.58, 0.29, 0.1),
    ),
  },
  attention: {
    fill: '#d97706', rim: '#8a4b03',
    glyph: union(segment(0.5, 0.25, 0.5, 0.56, 0.13), circle(0.5, 0.74, 0.075)),
  },
  error: {
    fill: '#dc2626', rim: '#8c1818',
    glyph: union(segment(0.33, 0.33, 0.67, 0.67, 0.12), segment(0.67, 0.33, 0.33, 0.67, 0.12)),
  },
  paused: {
    fill: '#6b7280', rim: '#3f444c',
    glyph: union(roundRect(0.33, 0.29, 0.45, 0.71, 0.02), roundRect(0.55, 0.29, 0.67, 0.71, 0.02)),
  },
};

function trayIcon(size, state) {
  const t = TRAY[state];
  return render(size, [
    { shape: circle(0.5, 0.5, 0.48), color: t.rim },
    { shape: circle(0.5, 0.5, 0.42), color: t.fill },
    { shape: t.glyph, color: WHITE },
  ]);
}

/** The app icon: a rounded square with two linked rings (Infigo ↔ GelatoConnect). */
function appIcon(size) {
  return render(size, [
    { shape: roundRect(0.06, 0.06, 0.94, 0.94, 0.2), color: '#1e3a8a' },
    { shape: roundRect(0.06, 0.06, 0.94, 0.6, 0.2), color: '#2563eb', alpha: 0.35 },
    { shape: ring(0.39, 0.5, 0.17, 0.075), color: WHITE },
    { shape: ring(0.61, 0.5, 0.17, 0.075), color: '#93c5fd' },
    // Re-draw one crossing of the left ring on top so the rings interlock.
    { shape: (x, y) => Math.max(ring(0.39, 0.5, 0.17, 0.075)(x, y), -(y - 0.5), -(x - 0.5)), color: WHITE },
  ]);
}

export function generate(outDir = here) {
  const written = [];
  const write = (rel, png) => {
    const file = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, png);
    written.push(rel);
  };
  write('icon-512.png', appIcon(512));
  write('icon-256.png', appIcon(256));
  for (const state of Object.keys(TRAY)) {
    write(`tray/tray-${state}.png`, trayIcon(16, state));
    // Electron picks the @2x file on HiDPI screens.
    write(`tray/tray-${state}@2x.png`, trayIcon(32, state));
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const f of generate()) console.log(`wrote resources/${f}`);
}
