import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { msg, type Msg } from '../../../shared/messages/index';
import type { EngineContext } from '../context';
import { textOf } from '../i18n';
import { connections } from '../connections';
import { secretEquals } from '../secrets/constant-time';
import { applyGelatoStatus } from './apply';
import { parsePostback, PING_EVENT, postbackDedupeKey, type ParsedPostback } from './postback-format';
import { deliverPushes } from './push';
import { postbackSecret } from './settings';

// POST (or PUT) /hooks/gelato/{secret} (or /hooks/gelato with the X-Presslink-Secret header):
// GelatoConnect's postbacks. Workflow postback triggers document a URL, a method, a format and
// "retry on failure" — no custom headers (those are documented for GCL notifications only) — so
// by default the install's secret travels as a path segment; it is rotatable, and registered
// with the log scrubber like every secret. A postback is stored before it is answered, so once
// GelatoConnect hears 200 the news cannot be lost (a crash before it is applied is caught up by
// the next sync). A repeat of the same news answers 200 too, and so does a postback that names no
// order (recorded as ignored): with "Retry on Failure" on, anything else would be retried forever.

export const POSTBACK_PATH = '/hooks/gelato';
export const SECRET_HEADER = 'x-presslink-secret';

/**
 * What a refused postback is answered (`error` in English, `msg` as a message, for whoever reads
 * GelatoConnect's trigger log). The outcomes recorded with each stored postback ("ignored: …")
 * are a ledger for support, kept in English.
 */
export const INTAKE_MSG = {
  unauthorized: (): Msg => msg('postback.unauthorized'),
  notJson: (reason: string): Msg => msg('postback.notJson', { reason }),
  noReference: () => 'ignored: no order reference (the trigger\u2019s template did not render orderReferenceId)',
} as const;

const refusal = (m: Msg) => ({ ok: false, error: textOf(m), msg: m });

/** The postback address GelatoConnect should post to, with the secret in the path unless the header is used. */
export function postbackUrl(base: string, secret: string, auth: 'path' | 'header'): string {
  return auth === 'path' ? `${base}${POSTBACK_PATH}/${encodeURIComponent(secret)}` : `${base}${POSTBACK_PATH}`;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Registers the intake in its own encapsulated context (its own body parser and limits). */
export function postbackRoute(ctx: EngineContext) {
  return (app: FastifyInstance) => {
    void app.register(async (child) => {
      // The body is parsed here, not by fastify, so malformed JSON gets a plain answer.
      child.removeAllContentTypeParsers();
      child.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, body));
      const handler = async (req: FastifyRequest, reply: FastifyReply) => {
        const secret = postbackSecret(ctx);
        const inPath = (req.params as { secret?: string }).secret;
        if (!secretEquals(inPath ?? header(req, SECRET_HEADER), secret)) {
          return reply.code(401).send(refusal(INTAKE_MSG.unauthorized()));
        }
        let body: unknown;
        try {
          body = JSON.parse(typeof req.body === 'string' ? req.body : '');
        } catch (e) {
          return reply.code(400).send(refusal(INTAKE_MSG.notJson((e as Error).message)));
        }
        if (withoutReference(body)) return reply.code(200).send(ignoreUnreferenced(ctx, body, typeof req.body === 'string' ? req.body : ''));
        const parsed = parsePostback(body);
        if (!parsed.ok) return reply.code(400).send(refusal(parsed.msg));
        if ('ping' in parsed) return reply.send({ ok: true, pong: true });
        const first = ctx.repos.postbacks.lastWithReferenceAt() === null;
        const result = intake(ctx, parsed.value, body);
        // The first postback proves the triggers reach Presslink: from now on they are the channel.
        if (first) ctx.configChanged();
        void reply.code(200).send(result.reply);
        if (result.apply !== null) {
          const id = result.apply;
          setImmediate(() => {
            applyStoredPostback(ctx, id, { deliver: true }).catch((e: Error) => {
              // Stored already: the next sync applies it.
              ctx.log.warn({ err: e.message, postback: id }, 'postback not applied yet; the next sync applies it');
            });
          });
        }
        return reply;
      };
      child.route({ method: ['POST', 'PUT'], url: POSTBACK_PATH, handler });
      child.route({ method: ['POST', 'PUT'], url: `${POSTBACK_PATH}/:secret`, handler });
    });
  };
}

/** A JSON object that is not a ping and names no order: nothing can be done with it, and a retry cannot help. */
function withoutReference(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const b = body as { event?: unknown; orderReferenceId?: unknown };
  if (b.event === PING_EVENT) return false;
  const ref = b.orderReferenceId;
  return ref === undefined || ref === null || (typeof ref === 'string' && ref.trim() === '');
}

/** Records a postback without an order reference as ignored (so it is visible) and answers 200. */
function ignoreUnreferenced(ctx: EngineContext, body: unknown, raw: string): Record<string, unknown> {
  const key = `no-reference|${crypto.createHash('sha256').update(raw).digest('hex')}`;
  const event = typeof (body as { event?: unknown }).event === 'string' ? String((body as { event: string }).event) : null;
  const id = ctx.repos.postbacks.insert({ key, orderReferenceId: null, status: event, body });
  if (id !== null) {
    ctx.repos.postbacks.markApplied(id, INTAKE_MSG.noReference());
    ctx.log.warn({ event }, 'postback without an order reference; recorded as ignored');
  }
  return { ok: true, ignored: 'no order reference' };
}

interface IntakeResult {
  reply: Record<string, unknown>;
  /** Stored postback to apply after answering, or null. */
  apply: number | null;
}

/** Stores one postback (durably, before the answer) and says what to answer. */
export function intake(ctx: EngineContext, p: ParsedPostback, raw: unknown): IntakeResult {
  const key = postbackDedupeKey(p);
  const id = ctx.repos.postbacks.insert({ key, orderReferenceId: p.orderReferenceId, status: p.status, body: raw });
  if (id === null) {
    // Already stored; if Presslink stopped before applying it, the repeat is the moment to do so.
    const prior = ctx.repos.postbacks.byKey(key);
    return { reply: { ok: true, duplicate: true }, apply: prior && !prior.appliedAt ? prior.id : null };
  }
  if (!ctx.repo.byReference(p.orderReferenceId)) {
    // Answered 200 so GelatoConnect does not retry forever for an order that is not ours.
    ctx.repos.postbacks.markApplied(id, 'ignored: unknown order');
    ctx.log.warn({ orderReferenceId: p.orderReferenceId, status: p.status, event: p.eventKey }, 'postback for an order Presslink does not know; ignored');
    return { reply: { ok: true, ignored: 'unknown order' }, apply: null };
  }
  return { reply: { ok: true, id }, apply: id };
}

/** Applies a stored postback once; with `deliver`, sends the Infigo push it caused right away. */
export async function applyStoredPostback(ctx: EngineContext, id: number, opts: { deliver?: boolean } = {}): Promise<void> {
  if (ctx.stopping.value) return;
  const row = ctx.repos.postbacks.byId(id);
  if (!row || row.appliedAt) return;
  const parsed = parsePostback(JSON.parse(row.bodyJson));
  let result: string;
  let orderId: number | null = null;
  if (!parsed.ok || 'ping' in parsed) {
    result = 'ignored: unreadable';
  } else {
    const p = parsed.value;
    const o = ctx.repo.byReference(p.orderReferenceId);
    if (!o) result = 'ignored: unknown order';
    else {
      orderId = o.id;
      try {
        result = applyGelatoStatus(ctx, o, {
          status: p.status,
          tracking: p.trackingCode ? [{ code: p.trackingCode, url: p.trackingUrl, packageId: p.packageId, carrier: p.shippingMethod }] : [],
          carrier: p.shippingMethod,
          source: 'postback',
        });
      } catch (e) {
        result = `error: ${(e as Error).message}`;
        ctx.log.error({ err: (e as Error).message, postback: id }, 'postback could not be applied');
      }
    }
  }
  ctx.repos.postbacks.markApplied(id, result);
  if (opts.deliver && orderId !== null && ctx.config.get().gelato) {
    try {
      await deliverPushes(ctx, connections(ctx), { orderId });
    } catch (e) {
      ctx.log.warn({ err: (e as Error).message }, 'Infigo push after a postback failed; the next sync retries it');
    }
  }
}

/** Postbacks stored but not applied (Presslink stopped in between): applied on the next sync. */
export async function applyPendingPostbacks(ctx: EngineContext): Promise<number> {
  const ids = ctx.repos.postbacks.pendingIds();
  for (const id of ids) await applyStoredPostback(ctx, id);
  return ids.length;
}
