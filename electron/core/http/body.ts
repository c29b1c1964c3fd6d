// Reading a response body with a ceiling on its size.
//
// Why: `res.text()` reads whatever a server sends. An Order/List answer of 330 MB (a runaway
// proxy, a wrong address, a misbehaving store) took 3 GB of memory before JSON.parse was done,
// and a body that never ends is never done at all. Every body the clients read whole is read
// here instead: a Content-Length above the cap is refused before a byte is read, and a body
// that grows past the cap is cut off there, so one answer never holds more than the cap (plus
// one network chunk) in memory, whatever the other side sends.
import { msg, type Msg } from '../../../shared/messages/index';
import { nodeBody } from './node-stream';

export const MB = 1024 * 1024;

export type BodyRead = {
  text: string;
  /** False when the body was cut off at `maxBytes` (or refused by its Content-Length). */
  complete: boolean;
  /** Bytes read (at most maxBytes + one chunk). */
  bytes: number;
  /** The Content-Length the server announced, if any. */
  announced: number | null;
};

/** Reads at most `maxBytes` of the body as UTF-8 (a leading BOM dropped, as `res.text()` does). */
export async function readUpTo(res: Response, maxBytes: number): Promise<BodyRead> {
  const header = res.headers.get('content-length');
  const announced = header !== null && /^\d+$/.test(header.trim()) ? Number(header) : null;
  if (announced !== null && announced > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    return { text: '', complete: false, bytes: 0, announced };
  }
  const parts: Buffer[] = [];
  let bytes = 0;
  let complete = true;
  const body = nodeBody(res);
  for await (const chunk of body as AsyncIterable<Buffer | Uint8Array | string>) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    if (bytes + b.length > maxBytes) {
      parts.push(b.subarray(0, maxBytes - bytes));
      bytes += b.length;
      complete = false;
      break; // leaving the loop destroys the stream: the rest is never read
    }
    parts.push(b);
    bytes += b.length;
  }
  if (!complete) body.destroy();
  return { text: new TextDecoder().decode(Buffer.concat(parts)), complete, bytes, announced };
}

/** "2.0 GB", "48.0 KB": sizes in messages a person reads. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** A limit as a person set it: "50 MB", "2 GB" (whole units without decimals). */
export function formatLimit(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GB`;
  if (bytes >= MB && bytes % MB === 0) return `${bytes / MB} MB`;
  return formatBytes(bytes);
}

/** "15 min", "3 s": a time limit as a person reads it. */
export function formatDuration(ms: number): string {
  if (ms >= 60_000) return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${(ms / 60_000).toFixed(1)} min`;
  return `${Math.max(1, Math.round(ms / 1000))} s`;
}

/** A number rounded as toFixed rounds it, so the message shows the digits formatBytes shows. */
const fixed = (n: number, digits: number) => Number(n.toFixed(digits));

/** formatBytes as a message: the number in the reader's format ("2.0 MB", "2,0 MB"). */
export function bytesMsg(n: number): Msg {
  if (n < 1024) return msg('units.bytes', { n });
  if (n < 1024 ** 2) return msg('units.kb', { n: fixed(n / 1024, 1) });
  if (n < 1024 ** 3) return msg('units.mb', { n: fixed(n / 1024 ** 2, 1) });
  return msg('units.gb', { n: fixed(n / 1024 ** 3, 2) });
}

/** formatLimit as a message. */
export function limitMsg(bytes: number): Msg {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return msg('units.gbWhole', { n: bytes / 1024 ** 3 });
  if (bytes >= MB && bytes % MB === 0) return msg('units.mbWhole', { n: bytes / MB });
  return bytesMsg(bytes);
}

/** formatDuration as a message. */
export function durationMsg(ms: number): Msg {
  if (ms >= 60_000) return ms % 60_000 === 0 ? msg('units.minutes', { n: ms / 60_000 }) : msg('units.minutesDecimal', { n: fixed(ms / 60_000, 1) });
  return msg('units.seconds', { n: Math.max(1, Math.round(ms / 1000)) });
}
