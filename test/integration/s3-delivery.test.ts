import path from 'node:path';
// s3rver ships no types; it is only the test's stand-in for an S3-compatible bucket.
// @ts-expect-error -- untyped test dependency
import S3rver from 's3rver';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness';
import { tempDir } from '../helpers/tmp';

let h: Harness | undefined;
let s3: { close(): Promise<void> } | undefined;
let t: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await h?.close();
  await s3?.close();
  t?.cleanup();
  h = s3 = t = undefined;
});

describe('print-file delivery through an S3-compatible bucket', () => {
  it('uploads each print file once and submits presigned links that GelatoConnect can fetch', async () => {
    t = tempDir('presslink-s3-');
    const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(t.dir, 's3'), configureBuckets: [{ name: 'print-files' }] });
    let puts = 0;
    server.on('event', (e: { Records: { eventName: string }[] }) => (puts += e.Records.filter((r) => r.eventName.startsWith('ObjectCreated')).length));
    const addr = (await server.run()) as { port: number };
    s3 = server;
    const endpoint = `http://127.0.0.1:${addr.port}`;

    h = await startHarness({ ordersPerStore: 0, pdfBytes: 120_000 });
    await h.configure((cfg) => {
      cfg.files = {
        delivery: { kind: 's3', endpoint, region: 'us-east-1', bucket: 'print-files', prefix: 'presslink/', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true },
      };
    });
    h.sandbox.infigo.addOrder('acme', { lines: [{ sku: 'POSTER-A2', quantity: 2 }] });
    const summary = await h.sync();
    expect(summary.submitted).toBe(1);

    const [row] = (await h.engine.call('orders.list', {})).rows;
    const g = h.sandbox.gelato.order(row!.orderReferenceId)!;
    const url = (g.payload as { items: { files: { url: string }[] }[] }).items[0]!.files[0]!.url;
    expect(url.startsWith(`${endpoint}/print-files/presslink/`)).toBe(true);
    expect(url).toMatch(/X-Amz-Signature=/);
    // GelatoConnect fetched the object from the bucket and found the same PDF.
    const settled = await h.sandbox.gelato.waitForFilesSettled(row!.orderReferenceId, 20_000);
    expect(settled.status, settled.failureReason ?? '').not.toBe('failed');
    const detail = await h.engine.call('orders.get', { id: row!.id });
    expect(settled.files[0]!.sha256).toBe(detail.files[0]!.sha256);
    // Delivered at the file step and again at submission (fresh link), but uploaded only once.
    expect(puts).toBe(1);
    // The secret key never reaches the payload or the timeline.
    expect(JSON.stringify(g.payload)).not.toContain('secretAccessKey');
    expect(JSON.stringify(detail.timeline)).not.toMatch(/S3RVER/);
  });
});
