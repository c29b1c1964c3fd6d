import net from 'node:net';
import os from 'node:os';

// Which requests the server answers at all, decided from their headers alone
// (docs/security.md, "The local API"):
//
// - Host allow-list, against DNS rebinding. A rebinding page reaches 127.0.0.1
//   under a name its author controls, and the browser sends that name as Host.
//   So a Host is accepted only when it cannot be such a name: an IP address (a
//   page whose origin is an IP is that machine, not a foreign site), `localhost`
//   (browsers resolve it to loopback themselves), this machine's own host name,
//   names the admin allowed with --allow-host, and — for the public routes only —
//   the host of the configured public address (GelatoConnect and the Infigo
//   checkout reach Presslink there, usually through a reverse proxy that must
//   pass that Host on).
// - Origin, against cross-site requests: a request that names an origin must
//   come from the server's own; browsers name it on every POST.

/** localhost, 127.0.0.0/8, ::1 and IPv4-mapped loopback: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) {
    if (h === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(h)) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return !!mapped && mapped[1]!.startsWith('127.');
  }
  return false;
}

/** A Host header split into a lower-case name (IPv6 without brackets) and its port, or null when malformed. */
export function parseHostHeader(value: string | undefined): { name: string; port: number | null } | null {
  if (!value || value.length > 300) return null;
  const v = value.trim().toLowerCase();
  const m = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(v) ?? /^([a-z0-9._-]+)(?::(\d{1,5}))?$/.exec(v);
  if (!m) return null;
  const name = m[1]!.replace(/\.$/, '');
  if (!name) return null;
  return { name, port: m[2] ? Number(m[2]) : null };
}

export interface HostPolicy {
  /** Names the admin allowed with --allow-host (any port). */
  allowHosts: readonly string[];
  /** Hosts of the configured public address(es): accepted for the public routes, never for /api. */
  publicHosts: () => readonly string[];
}

function machineNames(): string[] {
  const h = os.hostname().toLowerCase();
  return h ? [h, `${h.split('.')[0]}.local`, h.split('.')[0]!] : [];
}

/** True for a Host a rebinding page cannot produce. `api` asks for the stricter list of /api. */
export function hostAllowed(hostHeader: string | undefined, policy: HostPolicy, api: boolean): boolean {
  const h = parseHostHeader(hostHeader);
  if (!h) return false;
  if (net.isIP(h.name)) return true;
  if (h.name === 'localhost' || h.name.endsWith('.localhost')) return true;
  if (machineNames().includes(h.name)) return true;
  if (policy.allowHosts.some((a) => a.toLowerCase() === h.name)) return true;
  if (!api && policy.publicHosts().some((p) => p.toLowerCase() === h.name)) return true;
  return false;
}

/** The host part of a URL, lower-case, without brackets; null when it is not a URL. */
export function hostOfUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

/**
 * The Origin check. `absent` means no Origin header (non-browser clients; browsers
 * send one on every POST); `same` means it names this very server (scheme + the
 * Host the request was sent to); anything else, `null` included, is `foreign`.
 */
export function originVerdict(origin: string | undefined, hostHeader: string | undefined): 'absent' | 'same' | 'foreign' {
  if (origin === undefined) return 'absent';
  if (!hostHeader) return 'foreign';
  try {
    const o = new URL(origin);
    if (o.protocol !== 'http:' && o.protocol !== 'https:') return 'foreign';
    const host = hostHeader.trim().toLowerCase();
    const defaultPort = o.protocol === 'http:' ? ':80' : ':443';
    const bare = host.endsWith(defaultPort) ? host.slice(0, -defaultPort.length) : host;
    return o.host.toLowerCase() === bare ? 'same' : 'foreign';
  } catch {
    return 'foreign';
  }
}

/** Sec-Fetch-Site, where the browser sends it: only same-origin requests (or ones the user typed) may reach /api. */
export function fetchSiteAllowed(value: string | undefined): boolean {
  return value === undefined || value === 'same-origin' || value === 'none';
}
