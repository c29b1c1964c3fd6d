import dns from 'node:dns/promises';
import net from 'node:net';
import { FileDelivery } from '../../../shared/config';
import type { CheckResult } from '../../../shared/contract';
import { msg } from '../../../shared/messages/index';
import type { EngineContext } from '../context';
import { S3Delivery } from '../files/delivery';
import { PROBE_PATH } from './probe-route';
import { build } from './result';

// The wizard's "Test" for how GelatoConnect will fetch print files (and Infigo's
// checkout and GelatoConnect's postbacks will reach Presslink). Checked from the
// outside in, as far as this machine can tell: the address is a full https URL;
// its host is not this computer's loopback or a private network that the internet
// cannot reach; and a one-time probe fetched through it comes back from this very
// Presslink. For an S3-compatible bucket: a small object is uploaded, fetched back
// through its presigned link, and removed.

/** Addresses the internet cannot reach: this machine, private networks, link-local, carrier NAT. */
const UNREACHABLE = new net.BlockList();
for (const [a, p] of [['127.0.0.0', 8], ['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['169.254.0.0', 16], ['100.64.0.0', 10], ['0.0.0.0', 8]] as const) UNREACHABLE.addSubnet(a, p, 'ipv4');
for (const [a, p] of [['::1', 128], ['fc00::', 7], ['fe80::', 10], ['::', 128]] as const) UNREACHABLE.addSubnet(a, p, 'ipv6');

export function isInternalAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return UNREACHABLE.check(mapped[1]!, 'ipv4');
  return UNREACHABLE.check(ip, net.isIPv6(ip) ? 'ipv6' : 'ipv4');
}

const T = {
  format: msg('delivery.check.format.title'),
  reachable: msg('delivery.check.reachable.title'),
  routes: msg('delivery.check.routes.title'),
  bucket: msg('delivery.check.bucket.title'),
};

/** Checks the public address of this machine (signed-URL delivery, postbacks, checkout quotes). */
export async function checkPublicAddress(ctx: Pick<EngineContext, 'serverUrl' | 'probes'>, publicBaseUrl: string, opts: { sandbox?: boolean } = {}): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  let url: URL;
  try {
    url = new URL(publicBaseUrl.trim());
    if (!/^https?:$/.test(url.protocol)) throw new Error('not http');
  } catch {
    return [build('address-format', 'fail', T.format, msg('delivery.check.format.invalid', { url: publicBaseUrl }), msg('delivery.check.format.fix'))];
  }
  const base = url.toString().replace(/\/+$/, '');
  out.push(
    url.protocol === 'https:'
      ? build('address-format', 'pass', T.format, msg('delivery.check.format.https', { url: base }))
      : build('address-format', 'warn', T.format, msg('delivery.check.format.http', { url: base }), msg('delivery.check.format.fix')),
  );

  // Who can reach the host: resolved here, so a name pointing at a private address is caught too.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true })).map((a) => a.address);
  } catch {
    out.push(build('address-reachable', 'fail', T.reachable, msg('delivery.check.reachable.noDns', { host }), msg('delivery.check.reachable.fixDns')));
    addresses = [];
  }
  if (addresses.length) {
    const internal = addresses.filter(isInternalAddress);
    if (internal.length && opts.sandbox) {
      out.push(build('address-reachable', 'warn', T.reachable, msg('delivery.check.reachable.sandbox', { host, ip: internal[0]! }), undefined, { addresses }));
    } else if (internal.length) {
      out.push(build('address-reachable', 'fail', T.reachable, msg('delivery.check.reachable.internal', { host, ip: internal[0]! }), msg('delivery.check.reachable.fixInternal'), { addresses }));
    } else {
      out.push(build('address-reachable', 'pass', T.reachable, msg('delivery.check.reachable.public', { host, ip: addresses[0]! }), undefined, { addresses }));
    }
  }

  // Does the address lead here? Only a Presslink that serves can answer the probe.
  if (!ctx.serverUrl()) {
    out.push(build('address-routes-here', 'skip', T.routes, msg('delivery.check.routes.notServing'), msg('delivery.check.routes.fixNotServing')));
    return out;
  }
  const nonce = ctx.probes.issue(host);
  try {
    const r = await fetch(`${base}${PROBE_PATH}/${nonce}`, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    const body = await r.text();
    if (r.ok && body === `presslink-probe:${nonce}`) {
      out.push(build('address-routes-here', 'pass', T.routes, msg('delivery.check.routes.ok', { url: base })));
    } else {
      out.push(build('address-routes-here', 'fail', T.routes, msg('delivery.check.routes.elsewhere', { url: base, status: r.status }), msg('delivery.check.routes.fixElsewhere')));
    }
  } catch (e) {
    out.push(build('address-routes-here', 'fail', T.routes, msg('delivery.check.routes.noAnswer', { url: base, reason: (e as Error).message }), msg('delivery.check.routes.fixNoAnswer')));
  }
  return out;
}

/** Checks an S3-compatible bucket: upload a small object, fetch it through its presigned link, remove it. */
export async function checkBucket(ctx: Pick<EngineContext, 'config'>, delivery: unknown): Promise<CheckResult[]> {
  const parsed = FileDelivery.safeParse(delivery);
  if (!parsed.success || parsed.data.kind !== 's3') {
    return [build('bucket', 'fail', T.bucket, msg('delivery.check.bucket.incomplete', { problems: parsed.success ? 'kind' : parsed.error.issues.map((i) => i.path.join('.')).join(', ') }), msg('delivery.check.bucket.fix'))];
  }
  const d = parsed.data;
  const s3 = new S3Delivery(d, { accessKeyId: ctx.config.resolveSecret(d.accessKeyId), secretAccessKey: ctx.config.resolveSecret(d.secretAccessKey) });
  try {
    const { url, body, remove } = await s3.probe();
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(15_000) });
      const got = await r.text();
      if (!r.ok || got !== body) {
        return [build('bucket', 'fail', T.bucket, msg('delivery.check.bucket.fetchFailed', { bucket: d.bucket, status: r.status }), msg('delivery.check.bucket.fixFetch'))];
      }
    } finally {
      await remove().catch(() => undefined);
    }
    return [build('bucket', 'pass', T.bucket, msg('delivery.check.bucket.ok', { bucket: d.bucket }), undefined, { host: new URL(url).host })];
  } catch (e) {
    return [build('bucket', 'fail', T.bucket, msg('delivery.check.bucket.uploadFailed', { bucket: d.bucket, reason: (e as Error).message }), msg('delivery.check.bucket.fix'))];
  }
}
