/** The bytes served for a line's output, by the line's file kind. */
import { createPdf, createRepeatingSource, type ByteSource } from '../pdf';
import { hashSeed } from '../random';
import { fullJobId, type LineRecord, type OrderRecord, type SandboxStore } from './store';

const NOT_PDF_PATTERN =
  '<!DOCTYPE html><html><head><title>Output unavailable</title></head><body><h1>Output unavailable</h1><p>This is not a PDF.</p></body></html>\n';

const MAX_CACHED_SOURCES = 256;

export class OutputFiles {
  private readonly sources = new Map<string, ByteSource>();
  private readonly hashes = new Map<string, string>();

  source(store: SandboxStore, order: OrderRecord, line: LineRecord): ByteSource {
    const key = `${store.id}\u0000${line.jobNumber}\u0000${line.file.kind}\u0000${line.file.bytes}\u0000${line.outputVersion}`;
    let src = this.sources.get(key);
    if (src) {
      // Map order doubles as recency order.
      this.sources.delete(key);
      this.sources.set(key, src);
      return src;
    }
    const jobId = fullJobId(line);
    if (line.file.kind === 'empty') src = createRepeatingSource(' ', 0, key);
    else if (line.file.kind === 'not-pdf') src = createRepeatingSource(NOT_PDF_PATTERN, line.file.bytes, key);
    else {
      const attrs = line.spec.emptyAttributes ? [] : Object.entries(line.spec.attributes ?? {}).map(([k, v]) => `${k}: ${v}`);
      src = createPdf({
        seed: hashSeed(store.seed, store.id, line.jobNumber, line.outputVersion),
        bytes: line.file.bytes,
        title: `Job ${jobId}`,
        lines: [
          `Order ${order.id} - ${store.name}`,
          `${line.product.sku} x ${line.spec.quantity ?? line.product.quantities[0] ?? 1}`,
          ...attrs,
          'Presslink sandbox print file',
        ],
        widthMm: line.product.widthMm || 210,
        heightMm: line.product.heightMm || 297,
        pages: line.product.pages || 1,
      });
    }
    this.sources.set(key, src);
    if (this.sources.size > MAX_CACHED_SOURCES) {
      const oldest = this.sources.keys().next().value;
      if (oldest !== undefined) this.sources.delete(oldest);
    }
    return src;
  }

  /** sha256 of the whole file, remembered by ETag so evicted sources are not re-hashed. */
  async sha256(src: ByteSource): Promise<string> {
    const known = this.hashes.get(src.etag);
    if (known) return known;
    const h = await src.sha256();
    this.hashes.set(src.etag, h);
    return h;
  }
}
