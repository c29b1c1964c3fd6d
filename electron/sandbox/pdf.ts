/**
 * Deterministic, streamable PDF files of an exact size for the sandbox.
 *
 * The file is a real one-or-more-page PDF whose pages name the job, followed by an unreferenced
 * stream object filled with pseudo-random bytes to reach the requested size. Nothing holds the
 * whole file in memory: the fixed head and tail are small buffers and the padding is computed
 * block by block from (seed, block index), so any byte range of a 1 GB file can be produced
 * directly. The bytes are a pure function of the spec, so a strong ETag can be derived from it.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { fillBlock, hashSeed } from './random';

export interface PdfSpec {
  /** Identity of the file; the same seed and spec give the same bytes. */
  seed: number | string;
  /** Requested total size. Sizes below the smallest valid file are raised to that size. */
  bytes: number;
  /** First text line on every page (e.g. "Job s67890"). */
  title: string;
  /** More text lines for the first page. */
  lines?: string[];
  widthMm?: number;
  heightMm?: number;
  pages?: number;
}

/** A byte stream that can be read from any offset without materialising it. */
export interface ByteSource {
  readonly size: number;
  /** Strong validator: changes whenever the bytes would. */
  readonly etag: string;
  /** Bytes [start, endInclusive]; defaults to the whole file. */
  stream(start?: number, endInclusive?: number, onChunk?: (n: number) => void): Readable;
  /** Reads a range into memory; for small ranges only. */
  slice(start: number, endExclusive: number): Buffer;
  /** Hex sha256 of the whole content; computed once and cached. */
  sha256(): Promise<string>;
}

export const PDF_BLOCK_SIZE = 64 * 1024;

const MM_TO_PT = 72 / 25.4;
const MAX_PAGES = 64;

/** PDF strings with the standard 14 fonts only carry Latin-1 reliably; keep the text ASCII. */
function pdfText(text: string): string {
  const ascii = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[łŁ]/g, (c) => (c === 'ł' ? 'l' : 'L'))
    .replace(/[^\x20-\x7e]/g, '?');
  return ascii.replace(/[\\()]/g, (c) => `\\${c}`);
}

interface Layout {
  head: Buffer;
  tail: Buffer;
  padding: number;
}

export function layout(spec: PdfSpec, padSeed: number): Layout {
  const pages = Math.max(1, Math.min(MAX_PAGES, Math.floor(spec.pages ?? 1)));
  const w = Math.round((spec.widthMm ?? 210) * MM_TO_PT * 100) / 100;
  const h = Math.round((spec.heightMm ?? 297) * MM_TO_PT * 100) / 100;
  const fontSize = Math.max(4, Math.min(14, Math.floor(Math.min(w, h) / 16)));
  const lead = Math.round(fontSize * 1.3 * 10) / 10;
  const margin = Math.max(8, Math.round(Math.min(w, h) * 0.08));

  // Objects: 1 catalog, 2 pages, 3 font, 4 info, then (page, content) pairs, then padding.
  const objects: string[] = [];
  const pageIds: number[] = [];
  for (let p = 0; p < pages; p++) pageIds.push(5 + p * 2);
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  objects.push(`<< /Title (${pdfText(spec.title)}) /Producer (Presslink sandbox) /Creator (Presslink sandbox) >>`);
  for (let p = 0; p < pages; p++) {
    const texts = [spec.title, ...(p === 0 ? spec.lines ?? [] : []), `Page ${p + 1} of ${pages}`];
    const ops = [`0.85 0.1 0.1 RG 2 w ${margin / 2} ${margin / 2} ${w - margin} ${h - margin} re S`, 'BT', `/F1 ${fontSize} Tf`, `${lead} TL`, `${margin} ${h - margin - fontSize} Td`];
    for (const t of texts) ops.push(`(${pdfText(t)}) Tj T*`);
    ops.push('ET');
    const content = ops.join('\n');
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageIds[p]! + 1} 0 R >>`);
    objects.push(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
  }
  const paddingId = objects.length + 1;

  // The binary-marker comment tells transfer tools the file is binary (PDF 1.7 §7.5.2).
  let headText = '%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  for (let i = 0; i < objects.length; i++) {
    offsets.push(Buffer.byteLength(headText, 'latin1'));
    headText += `${i + 1} 0 obj\n${objects[i]}\nendobj\n`;
  }
  const paddingObjOffset = Buffer.byteLength(headText, 'latin1');
  offsets.push(paddingObjOffset);
  const id = hashSeed(padSeed, 'id').toString(16).padStart(8, '0').repeat(4);

  const build = (padding: number, slack = 0): Layout => {
    const head = Buffer.from(`${headText}${paddingId} 0 obj\n<< /Length ${padding} >>\nstream\n`, 'latin1');
    const afterPadding = '\nendstream\nendobj\n';
    const xrefOffset = head.length + padding + afterPadding.length;
    let xref = `xref\n0 ${objects.length + 2}\n0000000000 65535 f \n`;
    for (const off of offsets) xref += `${String(off).padStart(10, '0')} 00000 n \n`;
    const trailer = `trailer\n<< /Size ${objects.length + 2} /Root 1 0 R /Info 4 0 R /ID [<${id}> <${id}>]${' '.repeat(slack + 1)}>>\nstartxref\n${xrefOffset}\n%%EOF\n`;
    return { head, tail: Buffer.from(afterPadding + xref + trailer, 'latin1'), padding };
  };

  // The padding length appears in the file (as /Length and inside startxref), so its digit
  // count feeds back into the size; a few rounds settle it.
  let padding = 0;
  let result = build(padding);
  for (let round = 0; round < 8; round++) {
    const total = result.head.length + result.padding + result.tail.length;
    if (total === spec.bytes) break;
    const next = Math.max(0, padding + (spec.bytes - total));
    if (next === padding) break;
    padding = next;
    result = build(padding);
  }
  // At a digit-count boundary the size can jump by two; spaces in the trailer dictionary
  // (insignificant to PDF readers) take up the odd byte.
  const sizeOf = (x: Layout) => x.head.length + x.padding + x.tail.length;
  if (sizeOf(result) !== spec.bytes && spec.bytes > sizeOf(result) - result.padding) {
    search: for (let back = 0; back <= 4; back++) {
      for (let slack = 0; slack <= 2; slack++) {
        const alt = build(Math.max(0, padding + (spec.bytes - sizeOf(result)) - back), slack);
        if (sizeOf(alt) === spec.bytes) {
          result = alt;
          break search;
        }
      }
    }
  }
  return result;
}

/** The smallest size createPdf can produce for this spec (no padding). */
export function minimumPdfBytes(spec: Omit<PdfSpec, 'bytes'>): number {
  const l = layout({ ...spec, bytes: 0 }, 0);
  return l.head.length + l.tail.length;
}

export function createPdf(spec: PdfSpec): ByteSource {
  const padSeed = typeof spec.seed === 'number' ? spec.seed >>> 0 : hashSeed(spec.seed);
  const l = layout(spec, padSeed);
  const size = l.head.length + l.padding + l.tail.length;
  const etagKey = hashSeed(padSeed, JSON.stringify({ ...spec, seed: String(spec.seed) }), size).toString(16);
  const padStart = l.head.length;
  const padEnd = padStart + l.padding;

  // Allocated on first use: many sources may be alive while only a few are being read.
  let block: Uint8Array | undefined;
  let cachedBlock = -1;
  const paddingBlock = (index: number): Uint8Array => {
    block ??= new Uint8Array(PDF_BLOCK_SIZE);
    if (cachedBlock !== index) {
      fillBlock(padSeed, index, block);
      cachedBlock = index;
    }
    return block;
  };

  /** Copies bytes [from, to) into `out` at 0; `to - from` must fit. */
  const readInto = (from: number, to: number, out: Buffer): void => {
    let pos = from;
    let o = 0;
    while (pos < to) {
      if (pos < padStart) {
        const end = Math.min(to, padStart);
        l.head.copy(out, o, pos, end);
        o += end - pos;
        pos = end;
      } else if (pos < padEnd) {
        const rel = pos - padStart;
        const index = Math.floor(rel / PDF_BLOCK_SIZE);
        const inBlock = rel - index * PDF_BLOCK_SIZE;
        const end = Math.min(to, padEnd, padStart + (index + 1) * PDF_BLOCK_SIZE);
        const b = paddingBlock(index);
        out.set(b.subarray(inBlock, inBlock + (end - pos)), o);
        o += end - pos;
        pos = end;
      } else {
        const end = to;
        l.tail.copy(out, o, pos - padEnd, end - padEnd);
        o += end - pos;
        pos = end;
      }
    }
  };

  let shaPromise: Promise<string> | undefined;
  const source: ByteSource = {
    size,
    etag: `"pdf-${etagKey}-${size.toString(16)}"`,
    slice(start, endExclusive) {
      const s = Math.max(0, Math.min(size, start));
      const e = Math.max(s, Math.min(size, endExclusive));
      const out = Buffer.allocUnsafe(e - s);
      readInto(s, e, out);
      return out;
    },
    stream(start = 0, endInclusive = size - 1, onChunk) {
      let pos = Math.max(0, start);
      const end = Math.min(size, endInclusive + 1);
      return new Readable({
        highWaterMark: PDF_BLOCK_SIZE,
        read() {
          if (pos >= end) {
            this.push(null);
            return;
          }
          const to = Math.min(end, pos + PDF_BLOCK_SIZE);
          const chunk = Buffer.allocUnsafe(to - pos);
          readInto(pos, to, chunk);
          pos = to;
          onChunk?.(chunk.length);
          this.push(chunk);
        },
      });
    },
    sha256() {
      shaPromise ??= hashStream(source.stream());
      return shaPromise;
    },
  };
  return source;
}

export function hashStream(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    stream.on('data', (c: Buffer) => hash.update(c));
    stream.on('end', () => resolve(hash.digest('hex')));
    stream.on('error', reject);
  });
}

/**
 * A source that repeats `pattern` to `bytes` bytes: stands in for files that are not PDFs at
 * all (an HTML error page saved as output, say) in bad-input tests.
 */
export function createRepeatingSource(pattern: string, bytes: number, label: string): ByteSource {
  const unit = Buffer.from(pattern, 'utf8');
  const size = Math.max(0, Math.floor(bytes));
  const readInto = (from: number, to: number, out: Buffer, at: number) => {
    for (let i = from; i < to; i++) out[at + i - from] = unit[i % unit.length]!;
  };
  let shaPromise: Promise<string> | undefined;
  const source: ByteSource = {
    size,
    etag: `"raw-${hashSeed(label, pattern, size).toString(16)}-${size.toString(16)}"`,
    slice(start, endExclusive) {
      const s = Math.max(0, Math.min(size, start));
      const e = Math.max(s, Math.min(size, endExclusive));
      const out = Buffer.allocUnsafe(e - s);
      readInto(s, e, out, 0);
      return out;
    },
    stream(start = 0, endInclusive = size - 1, onChunk) {
      let pos = Math.max(0, start);
      const end = Math.min(size, endInclusive + 1);
      return new Readable({
        read() {
          if (pos >= end) return void this.push(null);
          const to = Math.min(end, pos + PDF_BLOCK_SIZE);
          const chunk = Buffer.allocUnsafe(to - pos);
          readInto(pos, to, chunk, 0);
          pos = to;
          onChunk?.(chunk.length);
          this.push(chunk);
        },
      });
    },
    sha256() {
      shaPromise ??= hashStream(source.stream());
      return shaPromise;
    },
  };
  return source;
}
