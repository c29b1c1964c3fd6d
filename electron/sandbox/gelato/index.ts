/**
 * A simulated GelatoConnect tenant (Order Intake API + GCL quote + postbacks) as a real HTTP
 * server, following /work/shared/reference/gelatoconnect-api.md. Where the reference marks a
 * detail [unknown], the choice made here is flagged "simulator-only" (see docs/sandbox-gelato.md).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { GelatoStatus } from '../../../shared/domain/gelato';
import { FaultController, type FaultConfig } from '../faults';
import type { FileFetchOptions } from './files';
import type { PostbackRecord, PostbackTrigger } from './postbacks';
import { quote } from './quote';
import { stableUuid } from './random';
import { gelatoTime, isGelatoStatus, Tenant, TenantError, type GelatoSandboxOrder } from './tenant';
import { describeErrors, validateSubmit } from './validate';

export type { GelatoStatus } from '../../../shared/domain/gelato';
export type { PostbackTrigger, PostbackRecord, PostbackContext, PostbackAttempt } from './postbacks';
export type { GelatoSandboxOrder, GelatoSandboxFile, GelatoSandboxPackage } from './tenant';
export { STATUS_FLOW } from './tenant';
export { SHIPPING_METHODS, FX_PER_EUR } from './catalogue';

export interface GelatoSandboxOptions {
  host?: string;
  port?: number;
  seed?: number;
  /** "key:secret"; generated when absent. */
  apiKey?: string;
  /** Default true: the Customer-Reference-ID header selects the customer. */
  customerAgnostic?: boolean;
  /** Known customer reference ids (default: accept any non-empty). */
  customers?: string[];
  progression?: 'manual' | { stepMs: number };
  fileFetch?: FileFetchOptions;
  /** Default 100 per API key (reference §1.4); 429 with Retry-After beyond. */
  rateLimitPerSecond?: number;
  faults?: FaultConfig;
  /** Where the tenant ships from (quotes, delivery windows); simulator-only, default "GB". */
  fulfillmentCountry?: string;
  /** Postback delivery; simulator-only defaults: 4 attempts, 200 ms first back-off, 5 s timeout. */
  postbackRetry?: { maxAttempts?: number; backoffMs?: number; timeoutMs?: number };
  /** URL path segments; simulator-only defaults "sandbox-psp" and a seeded UUID. */
  partnerPrefix?: string;
  connectorId?: string;
  /**
   * GelatoConnect Logistics as it really is (off by default, as older tests rely on the quote
   * being served by the tenant with the connector key): its own host (a second server), its own
   * key (no key:secret form), quoting carrier method uids only; the tenant then has no quote route.
   */
  gcl?: { ownHost?: boolean; apiKey?: string };
  /** Postback triggers as documented for workflows: no custom headers, no "Package Status Updated" event (off by default). */
  workflowTriggers?: boolean;
}

export interface GelatoSandboxEndpoints {
  /** POST the order here. */
  submitOrder: string;
  /** GET `${getOrder}/${idOrRef}`. */
  getOrder: string;
  /** POST the query here. */
  searchOrders: string;
  /** POST `${cancelOrder}/${idOrRef}/cancel`. */
  cancelOrder: string;
  /** PUT `${updateShipment}/${idOrRef}` (`/shipment` suffix also accepted). */
  updateShipment: string;
  /** GCL `POST /v1/shipping-methods/quote`. */
  shippingQuote: string;
}

export interface GelatoSandbox {
  url: string;
  apiKey: string;
  /** Where GCL quotes are asked and with which key (the tenant and its connector key unless gcl.ownHost). */
  gcl: { url: string; apiKey: string; ownHost: boolean; requests(): { headers: Record<string, string>; body: unknown }[] };
  endpoints: GelatoSandboxEndpoints;
  orders(filter?: { customerReferenceId?: string }): GelatoSandboxOrder[];
  order(idOrRef: string): GelatoSandboxOrder | undefined;
  submitCount(orderReferenceId: string): number;
  advance(idOrRef: string, to?: GelatoStatus): Promise<void>;
  fail(idOrRef: string, reason: string): Promise<void>;
  setTriggers(triggers: PostbackTrigger[]): void;
  postbacks(): PostbackRecord[];
  waitForFilesSettled(idOrRef: string, timeoutMs?: number): Promise<GelatoSandboxOrder>;
  faults: FaultController;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------

/** Sliding one-second window per API key. */
class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly perSecond: number) {}
  /** 0 when allowed, otherwise the seconds to wait. */
  take(key: string, now = Date.now()): number {
    const list = this.hits.get(key) ?? [];
    while (list.length > 0 && (list[0] ?? 0) <= now - 1000) list.shift();
    if (list.length >= this.perSecond) {
      return Math.max(1, Math.ceil(((list[0] ?? now) + 1000 - now) / 1000));
    }
    list.push(now);
    this.hits.set(key, list);
    return 0;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function isLoopback(addr: string | undefined): boolean {
  return addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendError(reply: FastifyReply, e: unknown): FastifyReply {
  if (e instanceof TenantError) return reply.code(e.statusCode).send({ code: e.statusCode, message: e.message, ...e.extra });
  const msg = e instanceof Error ? e.message : String(e);
  return reply.code(500).send({ code: 500, message: msg });
}

function redactHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k] = /auth|token|key|secret|signature|password/i.test(k) ? '***' : v;
  return out;
}

export async function startGelatoSandbox(opts: GelatoSandboxOptions = {}): Promise<GelatoSandbox> {
  const seed = opts.seed ?? 1;
  const apiKey = opts.apiKey ?? `${randomBytes(8).toString('hex')}:${randomBytes(16).toString('hex')}`;
  if (!/^[^:]+:.+$/.test(apiKey)) throw new Error('apiKey must have the form "key:secret"');
  const expectedKey = digest(apiKey);
  const keyId = apiKey.split(':')[0] ?? '';
  const host = opts.host ?? '127.0.0.1';
  const prefix = opts.partnerPrefix ?? 'sandbox-psp';
  const tenant = new Tenant({
    seed,
    customerAgnostic: opts.customerAgnostic ?? true,
    customers: opts.customers,
    progression: opts.progression ?? 'manual',
    fileFetch: opts.fileFetch ?? {},
    fulfillmentCountry: opts.fulfillmentCountry ?? 'GB',
    postbackDelivery: {
      maxAttempts: opts.postbackRetry?.maxAttempts ?? 4,
      backoffMs: opts.postbackRetry?.backoffMs ?? 200,
      timeoutMs: opts.postbackRetry?.timeoutMs ?? 5_000,
    },
    workflowTriggers: opts.workflowTriggers ?? false,
  });
  const connectorId = opts.connectorId ?? stableUuid(seed, 'connector');
  const limiter = new RateLimiter(opts.rateLimitPerSecond ?? 100);
  const faults = new FaultController(opts.faults);

  // forceCloseConnections: a keep-alive file fetch or postback must not hold close() for a minute.
  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024, forceCloseConnections: true });

  // A POST without a body but with Content-Type: application/json (e.g. a cancel) is fine here;
  // fastify's default parser would refuse it.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      const err = new TenantError(400, `Body is not valid JSON: ${(e as Error).message}`);
      done(err, undefined);
    }
  });
  app.setErrorHandler((err: unknown, _req, reply) => {
    if (err instanceof TenantError) return sendError(reply, err);
    const e = err as { statusCode?: number; message?: string };
    const code = e.statusCode && e.statusCode >= 400 ? e.statusCode : 500;
    return reply.code(code).send({ code, message: e.message ?? 'error' });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ code: 404, message: `No route for ${req.method} ${req.url.split('?')[0]}` }));

  faults.install(app);

  // Auth + rate limit on every API route (not on /__sandbox).
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (path.toLowerCase().startsWith('/__sandbox')) {
      if (!isLoopback(req.socket.remoteAddress)) return reply.code(403).send({ code: 403, message: 'Sandbox control routes answer loopback clients only' });
      return;
    }
    const given = header(req, 'x-api-key');
    // Constant-time compare of digests, so neither length nor content leaks through timing.
    if (given === undefined || !timingSafeEqual(digest(given), expectedKey)) {
      // body as captured from a real sandbox by a third party (reference §1.1)
      return reply.code(401).send({ status: 'Unauthorized.' });
    }
    const wait = limiter.take(keyId);
    if (wait > 0) {
      return reply
        .code(429)
        .header('retry-after', String(wait))
        .send({ code: 429, message: `Rate limit of ${opts.rateLimitPerSecond ?? 100} requests per second exceeded; retry after ${wait} s` });
    }
    return;
  });

  const customerOf = (req: FastifyRequest): string | undefined => {
    const h = header(req, 'customer-reference-id');
    return h && h.trim() !== '' ? h.trim() : undefined;
  };

  const base = `/api/${prefix}`;
  const orderBase = `${base}/order/${connectorId}`;

  // Submit Order
  app.post(`${base}/${connectorId}/order`, async (req, reply) => {
    const body = req.body as unknown;
    const ref = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).orderReferenceId : undefined;
    tenant.countSubmit(ref);
    try {
      const customer = tenant.resolveCustomer(header(req, 'customer-reference-id'), (body as Record<string, unknown> | undefined)?.customerReferenceId);
      const errors = validateSubmit(body);
      if (errors.length > 0) {
        return reply.code(400).send({ code: 400, message: `Order validation failed: ${describeErrors(errors)}`, errors });
      }
      const order = tenant.create(body as Record<string, unknown>, customer);
      return reply.code(200).send({ id: order.id, orderReferenceId: order.orderReferenceId, createdAt: order.createdAt });
    } catch (e) {
      return sendError(reply, e);
    }
  });

  // Search Orders (registered before the :idOrRef routes it could be confused with)
  app.post(`${orderBase}/search`, async (req, reply) => {
    try {
      return reply.send(tenant.search(req.body, customerOf(req)));
    } catch (e) {
      return sendError(reply, e);
    }
  });

  // Get Order
  app.get(`${orderBase}/:idOrRef`, async (req, reply) => {
    try {
      const { idOrRef } = req.params as { idOrRef: string };
      return reply.send(tenant.apiOrder(tenant.mustFind(idOrRef, customerOf(req))));
    } catch (e) {
      return sendError(reply, e);
    }
  });

  // Cancel Order
  app.post(`${orderBase}/:idOrRef/cancel`, async (req, reply) => {
    try {
      const { idOrRef } = req.params as { idOrRef: string };
      tenant.cancel(tenant.mustFind(idOrRef, customerOf(req)));
      return reply.send({ code: 200, message: 'OK' });
    } catch (e) {
      return sendError(reply, e);
    }
  });

  // Update Shipment
  const updateShipment = async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      const { idOrRef } = req.params as { idOrRef: string };
      return reply.send(tenant.updateShipment(tenant.mustFind(idOrRef, customerOf(req)) as never, req.body));
    } catch (e) {
      return sendError(reply, e);
    }
  };
  app.put(`${orderBase}/:idOrRef`, updateShipment);
  app.put(`${orderBase}/:idOrRef/shipment`, updateShipment);

  // GCL quote, on the tenant unless GCL has its own host
  const gclOwnHost = opts.gcl?.ownHost === true;
  if (!gclOwnHost) {
    app.post('/v1/shipping-methods/quote', async (req, reply) => {
      try {
        return reply.send(quote(req.body, opts.fulfillmentCountry ?? 'GB'));
      } catch (e) {
        return sendError(reply, e);
      }
    });
  }

  // ---------------------------------------------------------------- simulator-only inspection
  app.get('/__sandbox/gelato/orders', async (req) => {
    const q = req.query as { customerReferenceId?: string };
    return { orders: tenant.list(q.customerReferenceId ? { customerReferenceId: q.customerReferenceId } : undefined) };
  });
  app.get('/__sandbox/gelato/orders/:idOrRef', async (req, reply) => {
    try {
      const { idOrRef } = req.params as { idOrRef: string };
      return reply.send({ ...tenant.snapshot(tenant.mustFind(idOrRef)), submitCount: tenant.submitCount(tenant.mustFind(idOrRef).orderReferenceId) });
    } catch (e) {
      return sendError(reply, e);
    }
  });
  app.post('/__sandbox/gelato/orders/:idOrRef/advance', async (req, reply) => {
    try {
      const { idOrRef } = req.params as { idOrRef: string };
      const to = (req.body as { to?: unknown } | undefined)?.to;
      if (to !== undefined && !isGelatoStatus(to)) throw new TenantError(400, `Unknown status ${JSON.stringify(to)}`);
      return reply.send(await tenant.advance(idOrRef, to));
    } catch (e) {
      return sendError(reply, e);
    }
  });
  app.post('/__sandbox/gelato/orders/:idOrRef/fail', async (req, reply) => {
    try {
      const { idOrRef } = req.params as { idOrRef: string };
      const reason = (req.body as { reason?: unknown } | undefined)?.reason;
      return reply.send(await tenant.fail(idOrRef, typeof reason === 'string' && reason !== '' ? reason : 'failed by the sandbox operator'));
    } catch (e) {
      return sendError(reply, e);
    }
  });
  app.put('/__sandbox/gelato/triggers', async (req, reply) => {
    const body = req.body as unknown;
    const list = Array.isArray(body) ? body : (body as { triggers?: unknown } | undefined)?.triggers;
    try {
      tenant.setTriggers(list);
      return reply.send({ ok: true, count: Array.isArray(list) ? list.length : 0 });
    } catch (e) {
      return reply.code(400).send({ code: 400, message: (e as Error).message });
    }
  });
  app.get('/__sandbox/gelato/postbacks', async () => ({
    postbacks: tenant.postbacks().map((p) => ({ ...p, headers: redactHeaders(p.headers) })),
  }));
  app.get('/__sandbox/gelato/submits/:orderReferenceId', async (req) => {
    const { orderReferenceId } = req.params as { orderReferenceId: string };
    return { orderReferenceId, submitCount: tenant.submitCount(orderReferenceId) };
  });
  app.put('/__sandbox/faults', async (req, reply) => {
    try {
      faults.set(req.body as FaultConfig);
      return reply.send({ ok: true, config: faults.config() });
    } catch (e) {
      return reply.code(400).send({ code: 400, message: (e as Error).message });
    }
  });
  app.get('/__sandbox/faults', async () => ({ config: faults.config(), stats: faults.stats() }));
  app.get('/__sandbox/gelato/health', async () => ({ ok: true, time: gelatoTime() }));

  await app.listen({ host, port: opts.port ?? 0 });
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('GelatoConnect sandbox did not get a TCP address');
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const url = `http://${hostPart}:${addr.port}`;

  // GelatoConnect Logistics on its own host, with its own key (realistic mode).
  let gclApp: FastifyInstance | null = null;
  const gclRequests: { headers: Record<string, string>; body: unknown }[] = [];
  let gcl = { url, apiKey, ownHost: false, requests: () => structuredClone(gclRequests) };
  if (gclOwnHost) {
    const gclKey = opts.gcl?.apiKey ?? `gcl_test_${randomBytes(16).toString('hex')}`;
    const g: FastifyInstance = Fastify({ logger: false, bodyLimit: 1024 * 1024, forceCloseConnections: true });
    gclApp = g;
    faults.install(g);
    g.setNotFoundHandler((req, reply) => reply.code(404).send({ code: 404, message: `No route for ${req.method} ${req.url.split('?')[0]}` }));
    g.addHook('onRequest', async (req, reply) => {
      const given = header(req, 'x-api-key');
      if (given === undefined || !timingSafeEqual(digest(given), digest(gclKey))) return reply.code(401).send({ code: 401, message: 'Unauthorized: invalid GCL API key' });
      return;
    });
    g.post('/v1/shipping-methods/quote', async (req, reply) => {
      gclRequests.push({ headers: redactHeaders(Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === 'string'))), body: req.body });
      // GCL's documented headers carry no customer; a Customer-Reference-ID is an order-intake header.
      if (header(req, 'customer-reference-id') !== undefined) return reply.code(400).send({ code: 400, message: 'Unexpected header Customer-Reference-ID' });
      try {
        return reply.send(quote(req.body, opts.fulfillmentCountry ?? 'GB', true));
      } catch (e) {
        return sendError(reply, e);
      }
    });
    await g.listen({ host, port: 0 });
    const gaddr = g.server.address();
    if (gaddr === null || typeof gaddr === 'string') throw new Error('GCL sandbox did not get a TCP address');
    gcl = { url: `http://${hostPart}:${gaddr.port}`, apiKey: gclKey, ownHost: true, requests: () => structuredClone(gclRequests) };
  }

  let closed = false;
  return {
    url,
    apiKey,
    gcl,
    endpoints: {
      submitOrder: `${url}${base}/${connectorId}/order`,
      getOrder: `${url}${orderBase}`,
      searchOrders: `${url}${orderBase}/search`,
      cancelOrder: `${url}${orderBase}`,
      updateShipment: `${url}${orderBase}`,
      shippingQuote: `${url}/v1/shipping-methods/quote`,
    },
    orders: (filter) => tenant.list(filter),
    order: (idOrRef) => {
      try {
        const o = tenant.find(idOrRef);
        return o ? tenant.snapshot(o) : undefined;
      } catch {
        // the reference is used by several customers: inspection shows the newest
        return tenant.list().filter((o) => o.orderReferenceId === idOrRef).at(-1);
      }
    },
    submitCount: (ref) => tenant.submitCount(ref),
    advance: async (idOrRef, to) => {
      await tenant.advance(idOrRef, to);
    },
    fail: async (idOrRef, reason) => {
      await tenant.fail(idOrRef, reason);
    },
    setTriggers: (triggers) => tenant.setTriggers(triggers),
    postbacks: () => tenant.postbacks(),
    waitForFilesSettled: (idOrRef, timeoutMs) => tenant.waitForFilesSettled(idOrRef, timeoutMs),
    faults,
    close: async () => {
      if (closed) return;
      closed = true;
      tenant.close();
      await Promise.all([app.close(), gclApp?.close()]);
    },
  };
}
