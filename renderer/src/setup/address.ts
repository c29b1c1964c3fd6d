import type { Cfg } from '../api/config';

// How the outside world reaches this Presslink, judged from the address alone, before any test:
// GelatoConnect fetches print files from it (signed links), posts status changes to it
// (postbacks), and the Infigo checkout asks it for shipping prices. An address only this computer
// or this office network can reach (127.0.0.1, localhost, 192.168.x.x) works for none of them;
// plain http works but crosses the internet unencrypted. Pure, so the rule is tested without a
// browser; the engine's setup.checkDelivery then tests the chosen address from the outside in.

export type AddressReach = 'empty' | 'invalid' | 'loopback' | 'private' | 'http' | 'ok';

const PRIVATE_V4: [number, number, number][] = [
  // [first octet, second from, second to]
  [10, 0, 255],
  [172, 16, 31],
  [192, 168, 168],
  [169, 254, 254],
  [100, 64, 127],
];

function hostKind(host: string): 'loopback' | 'private' | 'public' {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '0.0.0.0' || /^127\./.test(h)) return 'loopback';
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (PRIVATE_V4.some(([x, from, to]) => a === x && b >= from && b <= to)) return 'private';
    return 'public';
  }
  if (/^(fc|fd)[0-9a-f]{2}:/.test(h) || /^fe80:/.test(h)) return 'private';
  if (h.endsWith('.local') || h.endsWith('.lan') || h.endsWith('.internal') || h.endsWith('.home.arpa') || !h.includes('.')) return 'private';
  return 'public';
}

/** What the address says about who can reach it. */
export function addressReach(url: string | null | undefined): AddressReach {
  const v = (url ?? '').trim();
  if (!v) return 'empty';
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return 'invalid';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'invalid';
  const kind = hostKind(u.hostname);
  if (kind !== 'public') return kind;
  return u.protocol === 'https:' ? 'ok' : 'http';
}

/** True when GelatoConnect and Infigo cannot reach the address (or there is none): warn, loudly. */
export function unreachable(reach: AddressReach): boolean {
  return reach === 'empty' || reach === 'invalid' || reach === 'loopback' || reach === 'private';
}

export type DeliverySummary = { kind: 'none' } | { kind: 'signed-url'; url: string } | { kind: 's3'; bucket: string };

/** How print files reach GelatoConnect, as the configuration says. */
export function deliverySummary(cfg: Cfg): DeliverySummary {
  const d = cfg.files?.delivery;
  if (!d) return { kind: 'none' };
  if (d.kind === 's3') return { kind: 's3', bucket: d.bucket ?? '' };
  return { kind: 'signed-url', url: d.publicBaseUrl ?? '' };
}

/** Does anything in the configuration need the public address: signed file links, postbacks, checkout quotes? */
export function addressNeededFor(cfg: Cfg): ('files' | 'postbacks' | 'checkout')[] {
  const out: ('files' | 'postbacks' | 'checkout')[] = [];
  if ((cfg.files?.delivery?.kind ?? 'signed-url') === 'signed-url') out.push('files');
  if (cfg.statusUpdates?.mode === 'postback') out.push('postbacks');
  if (cfg.shippingQuotes?.enabled) out.push('checkout');
  return out;
}
