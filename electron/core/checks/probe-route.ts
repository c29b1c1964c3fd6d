import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';

// A one-time answer at /probe/<nonce>, so the public-address check can prove that
// the address GelatoConnect and Infigo will use leads to this very Presslink
// (through a router, a reverse proxy or a tunnel) and not somewhere else. A nonce
// is answered once, for a minute; it reveals nothing but itself.

export const PROBE_PATH = '/probe';
const TTL_MS = 60_000;

export class Probes {
  private readonly open = new Map<string, { until: number; host: string }>();

  /**
   * A fresh nonce to fetch through the public address under test. Its host is answered for
   * the minute the probe lives, even before the address is saved (the server otherwise
   * answers public routes only under the configured public host).
   */
  issue(host: string): string {
    const nonce = crypto.randomBytes(18).toString('base64url');
    this.open.set(nonce, { until: Date.now() + TTL_MS, host: host.toLowerCase() });
    return nonce;
  }

  /** True once for a nonce issued in the last minute. */
  take(nonce: string): boolean {
    const p = this.open.get(nonce);
    this.open.delete(nonce);
    this.expire();
    return p !== undefined && p.until >= Date.now();
  }

  /** Hosts of the probes still open. */
  hosts(): string[] {
    this.expire();
    return [...new Set([...this.open.values()].map((p) => p.host))];
  }

  private expire(): void {
    for (const [n, p] of this.open) if (p.until < Date.now()) this.open.delete(n);
  }
}

export function probeRoute(probes: Probes) {
  return (app: FastifyInstance) => {
    app.get<{ Params: { nonce: string } }>(`${PROBE_PATH}/:nonce`, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      if (!probes.take(req.params.nonce)) return reply.code(404).type('text/plain').send('unknown probe');
      return reply.type('text/plain').send(`presslink-probe:${req.params.nonce}`);
    });
  };
}
