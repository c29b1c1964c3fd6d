/**
 * HTTP routes of the simulated storefront. Paths follow the reference (§2); where the real
 * route is unknown the route is marked SIMULATOR-ONLY here and in docs/sandbox-infigo.md.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CATALOGUE, PRINTABLE_TYPES, productById } from './catalogue';
import type { OutputFiles } from './files';
import { parseRange } from './ranges';
import { canonicalStatus, ORDER_STATUSES } from './statuses';
import { fullJobId, StatusWriteError, type LineRecord, type OrderRecord, type SandboxStore } from './store';
import type { InfigoAddressJson, SandboxLineSpec, SandboxMegaScriptRunner, SandboxOrderSpec, StatusWriteChanges, StatusWriteVia } from './types';
import type { FaultController } from '../faults';
import { createPdf } from '../pdf';

export interface RouteContext {
  store(id: string): SandboxStore | undefined;
  stores(): SandboxStore[];
  storeBaseUrl(store: SandboxStore): string;
  files: OutputFiles;
  faults: FaultController;
  recordWrite(store: SandboxStore, order: OrderRecord, via: StatusWriteVia, changes: StatusWriteChanges): void;
  startOutput(store: SandboxStore, order: OrderRecord, line: LineRecord, callbackUrl: string | undefined): void;
  statusWritesJson(storeId?: string): unknown;
  requestsJson(): unknown;
  addOrder(storeId: string, overrides: Partial<SandboxOrderSpec>): unknown;
  /** Where the simulator differs from today's defaults to behave like a real store (all off by default). */
  realism: { omitLineFields: ReadonlySet<string>; downloadNumericIdsOnly: boolean; statusRoute: boolean };
  megaScripts: Map<string, { source: string; config: unknown }>;
  megaScriptRunner?: SandboxMegaScriptRunner;
}

const scriptKey = (storeId: string, name: string) => `${storeId.toLowerCase()}/${name.toLowerCase()}`;

/** A line as served, without the fields a real store's REST answer may lack (realism.omitLineFields). */
function servedLine(ctx: RouteContext, json: object): object {
  if (!ctx.realism.omitLineFields.size) return json;
  return Object.fromEntries(Object.entries(json).filter(([k]) => !ctx.realism.omitLineFields.has(k)));
}

type Params = Record<string, string>;
type Query = Record<string, string | undefined>;

/** Infigo-style error envelope (reference §12). */
export function envelope(message: string, badRequest = true) {
  return { Success: false, Message: message, ContextInfo: { ErrorList: [{ ErrorMessage: message, Location: 'sandbox', IsBadRequest: badRequest }] } };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const m = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (!m) return false;
  const given = m[1]!;
  if (given === token) return true;
  // Postman's "token as Basic-auth username" form: base64(token + ':') (reference §1.2).
  try {
    return Buffer.from(given, 'base64').toString('utf8') === `${token}:`;
  } catch {
    return false;
  }
}

export function registerStorefrontRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const api = '/s/:storeId/services/api';

  /** Resolves the store and checks the token; answers the request itself when either fails. */
  const authed = (req: FastifyRequest, reply: FastifyReply): SandboxStore | undefined => {
    const store = ctx.store((req.params as Params).storeId ?? '');
    if (!store) {
      void reply.code(404).send(envelope(`No storefront "${(req.params as Params).storeId}" in this sandbox`));
      return undefined;
    }
    if (!tokenMatches(req.headers.authorization, store.token)) {
      void reply
        .code(401)
        .header('www-authenticate', 'Basic realm="Infigo API"')
        .send(envelope(req.headers.authorization ? 'Authorization has been denied for this request: the API token is not valid for this storefront.' : 'Authorization has been denied for this request: send "Authorization: Basic <storefront API token>".', false));
      return undefined;
    }
    return store;
  };

  const storefrontJson = (store: SandboxStore) => ({
    // Shape is a project decision: the reference only says the reply carries storefront details.
    Success: true,
    StorefrontId: store.id,
    Name: store.name,
    Url: ctx.storeBaseUrl(store),
    CurrencyCode: 'GBP',
    Culture: 'en-GB',
  });

  app.get(`${api}/auth/:token`, async (req, reply) => {
    const store = ctx.store((req.params as Params).storeId ?? '');
    if (!store) return reply.code(404).send(envelope('No such storefront'));
    const given = decodeURIComponent((req.params as Params).token ?? '');
    if (given !== store.token) return reply.code(401).send(envelope('The API token is not valid for this storefront.', false));
    return storefrontJson(store);
  });

  app.get(`${api}/Order/List`, async (req, reply) => {
    const store = authed(req, reply);
    if (!store) return reply;
    const q = req.query as Query;
    // SIMULATOR-ONLY filters: real Order/List filters are unknown (reference §3.1).
    const status = q.status ?? q.Status;
    const createdFrom = q.createdFrom ?? q.CreatedFrom;
    const createdTo = q.createdTo ?? q.CreatedTo;
    let ids = store.orderIds();
    if (status !== undefined) {
      const want = canonicalStatus(ORDER_STATUSES, status);
      if (!want) return reply.code(400).send(envelope(`Unknown order status "${status}"`));
      ids = ids.filter((id) => store.order(id)?.orderStatus === want);
    }
    for (const [value, cmp] of [[createdFrom, (t: number, b: number) => t >= b], [createdTo, (t: number, b: number) => t <= b]] as const) {
      if (value === undefined) continue;
      const bound = Date.parse(value);
      if (!Number.isFinite(bound)) return reply.code(400).send(envelope(`Not a date: "${value}"`));
      ids = ids.filter((id) => cmp(Date.parse(store.order(id)!.spec.createdOnUtc), bound));
    }
    const pageSize = q.pageSize ?? q.PageSize;
    if (pageSize !== undefined) {
      const size = Number(pageSize);
      const index = Number(q.pageIndex ?? q.PageIndex ?? 0);
      if (!Number.isInteger(size) || size <= 0 || !Number.isInteger(index) || index < 0) return reply.code(400).send(envelope('pageIndex must be >= 0 and pageSize > 0'));
      ids = ids.slice(index * size, index * size + size);
    }
    return ids;
  });

  app.get(`${api}/order/detail/:id`, async (req, reply) => {
    const store = authed(req, reply);
    if (!store) return reply;
    const id = Number((req.params as Params).id);
    const order = Number.isInteger(id) ? store.order(id) : undefined;
    if (!order) return reply.code(404).send(envelope(`Order ${(req.params as Params).id} not found`));
    return store.detailJson(order);
  });

  const getLine = async (req: FastifyRequest, reply: FastifyReply, jobId: string | undefined) => {
    const store = authed(req, reply);
    if (!store) return reply;
    const found = jobId ? store.line(jobId) : undefined;
    // The reference (§3.3) says the call returns null when nothing matches.
    if (!found) return reply.header('content-type', 'application/json; charset=utf-8').send('null');
    return servedLine(ctx, store.lineJson(found.order, found.line));
  };
  app.get(`${api}/orderlineitem/get`, async (req, reply) => getLine(req, reply, (req.query as Query).id));
  app.get(`${api}/orderlineitem/get/:jobId`, async (req, reply) => getLine(req, reply, (req.params as Params).jobId));

  app.post(`${api}/orderlineitem/createoutputfor/:jobId`, async (req, reply) => {
    const store = authed(req, reply);
    if (!store) return reply;
    const jobId = (req.params as Params).jobId ?? '';
    const found = store.line(jobId);
    if (!found) return reply.code(404).send(envelope(`Job ${jobId} not found`));
    if (!PRINTABLE_TYPES.has(found.line.type)) {
      return reply.code(400).send(envelope(`Job ${fullJobId(found.line)} is a ${found.line.type === 10 ? 'stock item' : `type ${found.line.type} product`} and has no print output`));
    }
    const body = (req.body ?? {}) as { CallbackUrl?: unknown; DirectDownload?: unknown };
    const cb = body.CallbackUrl ?? (body as Record<string, unknown>).callbackUrl;
    if (cb !== undefined && cb !== null && cb !== '' && (typeof cb !== 'string' || !/^https?:\/\//i.test(cb))) {
      return reply.code(400).send(envelope('CallbackUrl must be an http(s) URL'));
    }
    ctx.startOutput(store, found.order, found.line, typeof cb === 'string' && cb !== '' ? cb : undefined);
    return { Success: true, JobId: fullJobId(found.line) };
  });

  // GET and HEAD share one handler so HEAD answers with the real Content-Length without
  // generating the body (fastify's automatic HEAD route would drain a full stream).
  app.route({ method: ['GET', 'HEAD'], url: `${api}/orderlineitem/download/:jobId`, handler: async (req, reply) => {
    const store = authed(req, reply);
    if (!store) return reply;
    const jobId = (req.params as Params).jobId ?? '';
    // realism: a store whose download route knows jobs by number only (whether the letter is accepted is undocumented).
    const found = ctx.realism.downloadNumericIdsOnly && /[a-z]/i.test(jobId) ? undefined : store.line(jobId);
    if (!found) return reply.code(404).send(envelope(`Job ${jobId} not found`));
    const { order, line } = found;
    const full = fullJobId(line);
    if (!PRINTABLE_TYPES.has(line.type)) {
      return reply.code(404).send(envelope(`Job ${full} has no output: ${line.type === 10 ? 'stock items are not printed' : `product type ${line.type} produces no print file`}`));
    }
    if (line.output === 'pending') return reply.code(404).send(envelope(`Output for job ${full} has not been created yet; call orderlineitem/createoutputfor/${full} first`));
    if (line.output === 'creating') return reply.code(404).send(envelope(`Output for job ${full} is still being created; wait for the callback`));
    if (line.file.kind === 'missing') return reply.code(404).send(envelope(`Output file for job ${full} is missing`));

    const src = ctx.files.source(store, order, line);
    const sha = await ctx.files.sha256(src);
    reply
      .header('content-type', 'application/pdf')
      .header('accept-ranges', 'bytes')
      .header('etag', src.etag)
      .header('x-content-sha256', sha)
      .header('content-disposition', `attachment; filename="output_${full}.pdf"`);
    if (req.headers['if-none-match'] === src.etag) return reply.code(304).send();
    const ifRange = req.headers['if-range'];
    const range = ifRange !== undefined && ifRange !== src.etag ? { kind: 'full' as const } : parseRange(req.headers.range, src.size);
    if (range.kind === 'unsatisfiable') {
      return reply.code(416).header('content-range', `bytes */${src.size}`).header('content-type', 'application/json; charset=utf-8').send(envelope(`Range ${req.headers.range} is outside the file (${src.size} bytes)`));
    }
    const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, src.size - 1];
    if (range.kind === 'partial') reply.code(206).header('content-range', `bytes ${start}-${end}/${src.size}`);
    reply.header('content-length', String(Math.max(0, end - start + 1)));
    if (req.method === 'HEAD') return reply.send();
    if (src.size === 0) return reply.send(Buffer.alloc(0));
    return reply.send(src.stream(start, end));
  } });

  // RecordOrder (reference §3.4, documented): creates an order as an external system would.
  app.post(`${api}/order/RecordOrder`, async (req, reply) => {
    const store = authed(req, reply);
    if (!store) return reply;
    const fail = (message: string) => reply.code(400).send({ Success: false, CatfishOrderId: 0, ContextInfo: { ErrorList: [{ ErrorMessage: message, Location: 'RecordOrder', IsBadRequest: true }] } });
    const b = (req.body ?? {}) as Record<string, unknown>;
    const ext = b.ExternalOrderId;
    if (typeof ext !== 'string' || ext === '') return fail('ExternalOrderId is required');
    if (store.orderIdByExternalId(ext) !== undefined) return fail(`ExternalOrderId ${ext} already exists`);
    const items = b.OrderLineItems;
    if (!Array.isArray(items) || items.length === 0) return fail('OrderLineItems must list at least one line');
    const lines: SandboxLineSpec[] = [];
    for (const [i, raw] of items.entries()) {
      const it = (raw ?? {}) as Record<string, unknown>;
      const product = productById(Number(it.NopProductId));
      if (!product) return fail(`OrderLineItems[${i}]: NopProductId ${String(it.NopProductId)} is not a product of this storefront`);
      const attrs: Record<string, string> = {};
      for (const kv of Array.isArray(it.ProductVariantAttributes) ? it.ProductVariantAttributes : []) {
        const { Key, Value } = (kv ?? {}) as { Key?: unknown; Value?: unknown };
        if (typeof Key === 'string') attrs[Key] = String(Value ?? '');
      }
      const qty = Number(it.Quantity ?? 1);
      if (!Number.isInteger(qty) || qty <= 0) return fail(`OrderLineItems[${i}]: Quantity must be a positive integer`);
      lines.push({ sku: product.sku, quantity: qty, attributes: attrs });
    }
    const address = (v: unknown) => (v && typeof v === 'object' ? (v as InfigoAddressJson) : undefined);
    const overrides: Partial<SandboxOrderSpec> = { lines, externalOrderId: ext, orderStatus: 'Pending' };
    const delivery = address(b.DeliveryAddress);
    const billing = address(b.BillingAddress);
    if (delivery) overrides.shippingAddress = { ...blankAddress(), ...delivery };
    if (billing ?? delivery) overrides.billingAddress = { ...blankAddress(), ...(billing ?? delivery) };
    if (typeof b.CatfishDeliveryMethod === 'string') overrides.shippingMethod = b.CatfishDeliveryMethod;
    if (typeof b.IsPaymentPaid === 'boolean') overrides.paymentStatus = b.IsPaymentPaid ? 'Paid' : 'Pending';
    if (typeof b.PurchaseOrderNumber === 'string') overrides.purchaseOrderNumber = b.PurchaseOrderNumber;
    if (typeof b.CatfishCustomerId === 'number') overrides.customerId = b.CatfishCustomerId;
    else if (typeof b.CatfishCustomerId === 'string' && b.CatfishCustomerId.includes('@')) overrides.customerEmail = b.CatfishCustomerId;
    if (Array.isArray(b.CheckoutAttributes)) {
      overrides.checkoutAttributes = b.CheckoutAttributes.map((kv) => {
        const { Key, Value } = (kv ?? {}) as { Key?: unknown; Value?: unknown };
        return { Name: String(Key ?? ''), Values: [{ Content: String(Value ?? '') }] };
      });
    }
    const order = store.addOrder(overrides);
    return { Success: true, CatfishOrderId: order.id, ContextInfo: { ErrorList: [] } };
  });

  // Job ticket as a small PDF (reference §2, third-party).
  app.get(`${api}/orderlineitem/jobticket`, async (req, reply) => {
    const store = authed(req, reply);
    if (!store) return reply;
    const found = store.line((req.query as Query).id ?? '');
    if (!found) return reply.code(404).send(envelope('Job not found'));
    const j = store.lineJson(found.order, found.line);
    const pdf = createPdf({ seed: `ticket-${store.id}-${j.Id}`, bytes: 0, title: `Job ticket ${j.Id}`, lines: [`Order ${j.OrderId}`, `${j.Sku} x ${j.Quantity}`, j.AttributeSummary] });
    return reply.header('content-type', 'application/pdf').send(pdf.slice(0, pdf.size));
  });

  app.get(`${api}/catalog/productlist`, async (req, reply) => {
    if (!authed(req, reply)) return reply;
    return CATALOGUE.map((p) => p.id);
  });

  app.get(`${api}/catalog/ProductDetails`, async (req, reply) => {
    if (!authed(req, reply)) return reply;
    const p = productById(Number((req.query as Query).id));
    if (!p) return reply.code(404).send(envelope(`Product ${(req.query as Query).id} not found`));
    return productDetailsJson(p);
  });

  const productV2 = (p: (typeof CATALOGUE)[number]) => ({
    // InfigoProductInfoV2Model's fields are not published; this is a plausible subset (inferred).
    Id: p.id,
    Name: p.name,
    Sku: p.sku,
    Type: p.type,
    ShortDescription: p.shortDescription,
    Price: p.unitPrice,
    Tags: [...p.tags],
    ExternalIds: [],
    ProductGroupName: p.tags[1] ?? '',
  });
  app.get(`${api}/catalog/v2/product`, async (req, reply) => {
    if (!authed(req, reply)) return reply;
    const q = req.query as Query;
    const size = Number(q.pageSize ?? 500);
    const index = Number(q.pageIndex ?? 0);
    return CATALOGUE.slice(index * size, index * size + size).map(productV2);
  });
  app.get(`${api}/catalog/v2/product/:id`, async (req, reply) => {
    if (!authed(req, reply)) return reply;
    const p = productById(Number((req.params as Params).id));
    if (!p) return reply.code(404).send(envelope('Product not found'));
    return productV2(p);
  });

  // SIMULATOR-ONLY: the real REST route for status/tracking writes is unknown (reference §4.3, §13).
  // With realism.statusRoute off the storefront has none, as a real one.
  app.post(`${api}/presslink-sim/order/:id/status`, async (req, reply) => {
    if (!ctx.realism.statusRoute) return reply.code(404).send(envelope('No HTTP resource was found that matches the request URI.'));
    const store = authed(req, reply);
    if (!store) return reply;
    const id = Number((req.params as Params).id);
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return reply.code(400).send(envelope('Send a JSON object'));
    try {
      const { order, changes } = store.applyStatusWrite(id, body as StatusWriteChanges);
      ctx.recordWrite(store, order, 'rest-sim', changes);
      return { Success: true, Order: statusSummary(order) };
    } catch (e) {
      if (e instanceof StatusWriteError) return reply.code(/not found/.test(e.message) ? 404 : 400).send(envelope(e.message));
      throw e;
    }
  });

  // SIMULATOR-ONLY: stands in for a shop's own "TriggerViaApi" MegaScript (reference §4.3);
  // how real MegaScripts are invoked over HTTP is unknown.
  app.post('/s/:storeId/megascript/presslink-status', async (req, reply) => {
    const store = ctx.store((req.params as Params).storeId ?? '');
    if (!store) return reply.code(404).send({ success: false, error: 'No such storefront' });
    if (req.headers['x-presslink-token'] !== store.megascriptToken) {
      return reply.code(401).send({ success: false, error: 'Missing or wrong X-Presslink-Token' });
    }
    const b = (req.body ?? {}) as Record<string, unknown>;
    const id = Number(b.orderId);
    if (!Number.isInteger(id)) return reply.code(400).send({ success: false, error: 'orderId (integer) is required' });
    const str = (v: unknown) => (v === undefined || v === null ? undefined : (v as string));
    try {
      const { order, changes } = store.applyStatusWrite(id, {
        OrderStatus: str(b.orderStatus),
        ShippingStatus: str(b.shippingStatus),
        PaymentStatus: str(b.paymentStatus),
        TrackingNumber: str(b.trackingNumber),
        TrackingUrl: str(b.trackingUrl),
        Carrier: str(b.carrier),
        Note: str(b.note),
      });
      ctx.recordWrite(store, order, 'megascript-sim', changes);
      const s = statusSummary(order);
      return { success: true, orderId: order.id, orderStatus: s.OrderStatus, shippingStatus: s.ShippingStatus, paymentStatus: s.PaymentStatus, trackingNumber: s.TrackingNumber };
    } catch (e) {
      if (e instanceof StatusWriteError) return reply.code(/not found/.test(e.message) ? 404 : 400).send({ success: false, error: e.message });
      throw e;
    }
  });
}

/**
 * SIMULATOR-ONLY: MegaScripts installed in the sandbox run "Trigger via API" at
 * /s/{store}/megascripts/{name} (how a real Infigo addresses such a script is not documented;
 * the shop copies the address from Infigo). The script authenticates its caller itself, as a real
 * one must; the storefront's orders are handed to it as Infigo's Order objects.
 */
export function registerMegaScriptRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.route({
    method: ['GET', 'POST', 'PUT'],
    url: '/s/:storeId/megascripts/:name',
    handler: async (req, reply) => {
      const { storeId, name } = req.params as Params;
      const store = ctx.store(storeId ?? '');
      const script = store ? ctx.megaScripts.get(scriptKey(store.id, name ?? '')) : undefined;
      if (!store || !script) return reply.code(404).send(envelope(`No MegaScript "${name}" is enabled for API triggering on this storefront`));
      if (!ctx.megaScriptRunner) return reply.code(501).send(envelope('This sandbox was started without a MegaScript engine (megaScriptRunner)'));
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const body = typeof req.body === 'string' ? req.body : req.body === undefined ? '' : JSON.stringify(req.body);
      const out = await ctx.megaScriptRunner(script, { method: req.method, headers, body, query: { ...(req.query as Record<string, string>) } }, (id) =>
        store.megaScriptOrder(id, (order, changes) => ctx.recordWrite(store, order, 'megascript', changes)),
      );
      return reply.code(out.status).header('content-type', out.contentType).send(out.body);
    },
  });
}

function blankAddress(): InfigoAddressJson {
  return { FirstName: '', LastName: '', CompanyName: '', AddressLine1: '', AddressLine2: '', Town: '', ZipPostalCode: '', StateProvince: '', Country: '', Telephone: '', FaxNumber: '', Email: '' };
}

function statusSummary(order: OrderRecord) {
  return { Id: order.id, OrderStatus: order.orderStatus, ShippingStatus: order.shippingStatus, PaymentStatus: order.paymentStatus, TrackingNumber: order.trackingNumber };
}

function productDetailsJson(p: (typeof CATALOGUE)[number]) {
  return {
    Id: p.id,
    Name: p.name,
    ShortDescription: p.shortDescription,
    LongDescription: '',
    Type: p.type,
    Price: p.unitPrice,
    StockValue: p.type === 10 ? 500 : 0,
    Sku: p.sku,
    PreviewUrls: [],
    ThumbnailUrls: [],
    ProductAttributes: p.attributes.map((a) => ({
      Name: a.name,
      Description: '',
      AttributeControlType: 1,
      IsRequired: true,
      ProductAttributeValues: a.values.map((v, i) => ({
        Id: Number(v.id),
        Name: v.name,
        FriendlyName: v.name,
        HtmlInfo: '',
        DisplayOrder: i,
        IsPreSelected: i === 0,
        IsDisabled: false,
        PriceAdjustment: v.priceAdjustment,
        PriceAdjustmentType: 0,
        WeightAdjustment: 0,
        LengthAdjustment: 0,
        WidthAdjustment: 0,
        HeightAdjustment: 0,
      })),
    })),
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** SIMULATOR-ONLY inspection and control API for tests, the CLI and a UI. No auth; loopback only. */
export function registerInspectionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const base = '/__sandbox/infigo';
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.toLowerCase().startsWith(base) && !LOOPBACK.has(req.ip)) {
      return reply.code(403).send({ error: 'The sandbox inspection API answers loopback clients only' });
    }
    return undefined;
  });

  const storeOr404 = (req: FastifyRequest, reply: FastifyReply) => {
    const store = ctx.store((req.params as Params).storeId ?? '');
    if (!store) void reply.code(404).send({ error: `No store "${(req.params as Params).storeId}"` });
    return store;
  };

  app.get(`${base}/stores`, async () =>
    ctx.stores().map((s) => ({ id: s.id, name: s.name, baseUrl: ctx.storeBaseUrl(s), token: s.token, megascriptToken: s.megascriptToken, orders: s.orderCount })),
  );
  app.get(`${base}/:storeId/orders`, async (req, reply) => {
    const store = storeOr404(req, reply);
    if (!store) return reply;
    return store.orderIds();
  });
  app.get(`${base}/:storeId/orders/:id`, async (req, reply) => {
    const store = storeOr404(req, reply);
    if (!store) return reply;
    const order = store.order(Number((req.params as Params).id));
    if (!order) return reply.code(404).send({ error: 'No such order' });
    return store.view(order);
  });
  app.post(`${base}/:storeId/orders`, async (req, reply) => {
    const store = storeOr404(req, reply);
    if (!store) return reply;
    try {
      return reply.code(201).send(ctx.addOrder(store.id, (req.body ?? {}) as Partial<SandboxOrderSpec>));
    } catch (e) {
      return reply.code(400).send({ error: (e as Error).message });
    }
  });
  app.post(`${base}/:storeId/orders/:id/status`, async (req, reply) => {
    const store = storeOr404(req, reply);
    if (!store) return reply;
    try {
      const order = store.setOrderStatus(Number((req.params as Params).id), String((req.body as { status?: unknown } | undefined)?.status ?? ''));
      return store.view(order);
    } catch (e) {
      return reply.code(400).send({ error: (e as Error).message });
    }
  });
  app.post(`${base}/:storeId/lines/:jobId/file`, async (req, reply) => {
    const store = storeOr404(req, reply);
    if (!store) return reply;
    const b = (req.body ?? {}) as { kind?: string; bytes?: number };
    if (!['pdf', 'empty', 'not-pdf', 'missing'].includes(b.kind ?? '')) return reply.code(400).send({ error: 'kind must be pdf, empty, not-pdf or missing' });
    try {
      store.setLineFile((req.params as Params).jobId ?? '', b.kind as 'pdf', b.bytes);
      return { ok: true };
    } catch (e) {
      return reply.code(404).send({ error: (e as Error).message });
    }
  });
  app.get(`${base}/status-writes`, async (req) => ctx.statusWritesJson((req.query as Query).storeId));
  // "Installs" a MegaScript as an admin pastes one into Infigo (Admin → MegaScripts, Trigger via API).
  app.put(`${base}/:storeId/megascripts/:name`, async (req, reply) => {
    const store = storeOr404(req, reply);
    if (!store) return reply;
    const b = (req.body ?? {}) as { source?: unknown; config?: unknown };
    if (typeof b.source !== 'string' || !b.source.trim()) return reply.code(400).send({ error: 'source (the script text) is required' });
    const config = typeof b.config === 'string' ? JSON.parse(b.config) : b.config;
    ctx.megaScripts.set(scriptKey(store.id, (req.params as Params).name ?? ''), { source: b.source, config });
    return { ok: true, url: `${ctx.storeBaseUrl(store)}/megascripts/${(req.params as Params).name}` };
  });
  app.get(`${base}/requests`, async () => ctx.requestsJson());
  app.get(`${base}/faults`, async () => ({ config: ctx.faults.config(), stats: ctx.faults.stats() }));
  app.put(`${base}/faults`, async (req, reply) => {
    try {
      ctx.faults.set(req.body as never);
      return { config: ctx.faults.config() };
    } catch (e) {
      return reply.code(400).send({ error: (e as Error).message });
    }
  });
  app.delete(`${base}/faults`, async () => {
    ctx.faults.clear();
    return { config: ctx.faults.config() };
  });
}
