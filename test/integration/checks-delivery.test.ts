import fs from 'node:fs';
import path from 'node:path';
// s3rver ships no types; it is only the test's stand-in for an S3-compatible bucket.
// @ts-expect-error -- untyped test dependency
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../shared/contract';
import { renderMsg } from '../../electron/core/i18n';
import { startHarness, type Harness } from '../helpers/harness';
import { tempDir } from '../helpers/tmp';

// The wizard's test of how GelatoConnect and Infigo reach this Presslink, from the outside in:
// a full https address, a host the internet can reach (not this computer, not a private
// network), and a one-time probe fetched through it that comes back from this very Presslink;
// or, for S3 delivery, an object uploaded, fetched through its presigned link and removed.

let h: Harness;
let s3: { close(): Promise<void> };
let endpoint: string;
const t = tempDir('presslink-delivery-check-');
const byId = (rs: CheckResult[], id: string) => rs.find((r) => r.id === id)!;

beforeAll(async () => {
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(t.dir, 's3'), configureBuckets: [{ name: 'print-files' }] });
  const addr = (await server.run()) as { port: number };
  s3 = server;
  endpoint = `http://127.0.0.1:${addr.port}`;
  h = await startHarness({ ordersPerStore: 0 });
  await h.configure();
}, 60_000);

afterAll(async () => {
  await h?.close();
  await s3?.close();
  t.cleanup();
});

describe('setup.checkDelivery: the public address', () => {
  it("this computer's own address: reaches this Presslink, but the internet cannot reach it, and http is flagged", async () => {
    const rs = await h.engine.call('setup.checkDelivery', { publicBaseUrl: h.server.url });
    expect(byId(rs, 'address-format').status).toBe('warn');
    const reach = byId(rs, 'address-reachable');
    expect(reach.status).toBe('fail');
    expect(reach.message).toMatch(/127\.0\.0\.1, an address only this computer or your local network can reach/);
    expect(reach.fix).toMatch(/S3-compatible bucket.*reverse proxy or tunnel.*server/);
    expect(renderMsg(reach.msgs!.message!, 'it')).toMatch(/solo questo computer o la tua rete locale/);
    expect(byId(rs, 'address-routes-here').status).toBe('pass');
  });

  it('an address that leads to another server is caught', async () => {
    const rs = await h.engine.call('setup.checkDelivery', { publicBaseUrl: h.sandbox.infigo.url });
    const routes = byId(rs, 'address-routes-here');
    expect(routes.status).toBe('fail');
    expect(routes.message).toMatch(/not as this Presslink/);
  });

  it('a name that does not resolve, and text that is not an address', async () => {
    const rs = await h.engine.call('setup.checkDelivery', { publicBaseUrl: 'https://presslink.does-not-exist.invalid' });
    expect(byId(rs, 'address-format').status).toBe('pass');
    expect(byId(rs, 'address-reachable').message).toMatch(/does not resolve/);
    const bad = await h.engine.call('setup.checkDelivery', { publicBaseUrl: 'presslink at my shop' });
    expect(bad).toHaveLength(1);
    expect(bad[0]!.status).toBe('fail');
  });
});

describe('setup.checkDelivery: an S3-compatible bucket', () => {
  const s3cfg = (over: Record<string, unknown> = {}) => ({ kind: 's3', endpoint, region: 'us-east-1', bucket: 'print-files', prefix: 'presslink/', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, ...over });

  it('uploads, fetches back and removes a test object', async () => {
    const rs = await h.engine.call('setup.checkDelivery', { s3: s3cfg() });
    expect(byId(rs, 'bucket').status, byId(rs, 'bucket').message).toBe('pass');
    expect(byId(rs, 'bucket').message).toMatch(/uploaded to print-files, fetched back .* and removed/);
    const left = fs.readdirSync(path.join(t.dir, 's3'), { recursive: true }).map(String).filter((f) => f.includes('presslink-check'));
    expect(left).toEqual([]);
  });

  it('says what failed for a bucket that does not exist', async () => {
    const rs = await h.engine.call('setup.checkDelivery', { s3: s3cfg({ bucket: 'no-such-bucket' }) });
    expect(byId(rs, 'bucket').status).toBe('fail');
    expect(byId(rs, 'bucket').message).toMatch(/could not upload a test object to no-such-bucket/);
  });

  it('never sends saved keys to another bucket', async () => {
    await expect(h.engine.call('setup.checkDelivery', { s3: s3cfg({ accessKeyId: 'secret:files.delivery.accessKeyId', secretAccessKey: 'secret:files.delivery.secretAccessKey' }) })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
