/**
 * The simulated GelatoConnect tenant's state: orders, status flow, file checks, packages and
 * postbacks. HTTP lives in routes.ts; this module knows nothing about fastify.
 */
import type { GelatoStatus } from '../../../shared/domain/gelato';
import { GELATO_STATUSES } from '../../../shared/domain/gelato';
import { chooseMethod, zoneFor, type ShippingMethod } from './catalogue';
import { checkFile, displayUrl, Limiter, type FileFetchOptions } from './files';
import {
  createTemplateEnv,
  deliver,
  orderEventFor,
  PACKAGE_STATUS_UPDATED,
  triggerMatches,
  validateTrigger,
  type DeliveryOptions,
  type PostbackContext,
  type PostbackRecord,
  type PostbackTrigger,
} from './postbacks';
import { createRng, stableUuid, type Rng } from './random';
import { validateAddress, type FieldError } from './validate';

/** Happy path, [inferred] from the help-centre order of statuses (reference §3.1). */
export const STATUS_FLOW: readonly GelatoStatus[] = [
  'received',
  'passed',
  'created',
  'in_production',
  'printed',
  'packaged',
  'shipped',
  'in_transit',
  'delivered',
];

const SHIPPED_RANK = STATUS_FLOW.indexOf('shipped');

export interface GelatoSandboxFile {
  itemReferenceId: string;
  type: string;
  url: string;
  status: 'pending' | 'ok' | 'failed' | 'skipped';
  httpStatus: number | null;
  bytes: number | null;
  sha256: string | null;
  contentType: string | null;
  attempts: number;
  problem: string | null;
  checkedAt: string | null;
}

export interface GelatoSandboxPackage {
  id: string;
  status: GelatoStatus;
  trackingCode: string;
  trackingUrl: string;
  carrier: { name: string; uid: string };
  orderItemIds: string[];
  itemReferenceIds: string[];
  weight: number;
}

export interface GelatoSandboxOrder {
  id: string;
  orderReferenceId: string;
  customerReferenceId: string;
  orderType: 'order' | 'draft';
  /** The Submit Order body as received. */
  payload: Record<string, unknown>;
  status: GelatoStatus;
  financialStatus: string;
  history: { status: GelatoStatus; at: string; reason: string | null }[];
  failureReason: string | null;
  files: GelatoSandboxFile[];
  filesSettled: boolean;
  shipmentMethodUid: string;
  shipmentMethodName: string | null;
  shippingAddress: Record<string, unknown>;
  shipmentUpdates: { at: string; body: Record<string, unknown> }[];
  packages: GelatoSandboxPackage[];
  createdAt: string;
  updatedAt: string;
}

interface ItemRecord {
  id: string;
  itemReferenceId: string;
  raw: Record<string, unknown>;
  fileIds: string[];
}

interface OrderRecord extends GelatoSandboxOrder {
  seq: number;
  items: ItemRecord[];
  method: ShippingMethod | undefined;
  shippingAddressId: string;
  shipmentId: string;
  timer: NodeJS.Timeout | undefined;
  postbackChain: Promise<void>;
  filesDone: Promise<void>;
}

export interface TenantOptions {
  seed: number;
  customerAgnostic: boolean;
  customers: string[] | undefined;
  progression: 'manual' | { stepMs: number };
  fileFetch: FileFetchOptions;
  fulfillmentCountry: string;
  postbackDelivery: DeliveryOptions;
  /**
   * Workflow postback triggers as the help centre documents them: URL, method, format and
   * "retry on failure" only — no custom headers (those are documented for GCL notifications
   * only), and no "Package Status Updated" event in the trigger list.
   */
  workflowTriggers?: boolean;
}

export const WORKFLOW_TRIGGER_NO_PACKAGE_EVENT = 'The trigger list has no "Package Status Updated" event (it is in the payload guide only).';

export class TenantError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Timestamps in the documented reply shape "2025-04-13T10:23:28+00:00". */
export function gelatoTime(d = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function dateOnly(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function addDays(d: Date, n: number): Date {
  return new Date(d.getTime() + n * 86_400_000);
}

const clone = <T>(v: T): T => structuredClone(v);

export function isGelatoStatus(v: unknown): v is GelatoStatus {
  return typeof v === 'string' && (GELATO_STATUSES as readonly string[]).includes(v);
}

export class Tenant {
  private readonly rng: Rng;
  private readonly orders: OrderRecord[] = [];
  private readonly submits = new Map<string, number>();
  private triggers: PostbackTrigger[] = [];
  private readonly records: PostbackRecord[] = [];
  private readonly env = createTemplateEnv();
  private readonly limiter: Limiter;
  private readonly abort = new AbortController();
  private seq = 0;
  private closed = false;

  constructor(private readonly opts: TenantOptions) {
    this.rng = createRng(opts.seed);
    this.limiter = new Limiter(Math.max(1, opts.fileFetch.concurrency ?? 4));
  }

  // ------------------------------------------------------------------ customers

  customerId(referenceId: string): string {
    return stableUuid(this.opts.seed, `customer:${referenceId}`);
  }

  /** Resolves the customer of a submit; throws TenantError(400) with a clear message. */
  resolveCustomer(header: string | undefined, payloadCustomer: unknown): string {
    const fromPayload = typeof payloadCustomer === 'string' && payloadCustomer.trim() !== '' ? payloadCustomer.trim() : undefined;
    let customer: string | undefined;
    if (this.opts.customerAgnostic) {
      if (header === undefined || header.trim() === '') {
        throw new TenantError(
          400,
          'Missing Customer-Reference-ID header: this connector is customer-agnostic, so every submit must say which customer it is for',
        );
      }
      customer = header.trim();
      if (fromPayload !== undefined && fromPayload !== customer) {
        throw new TenantError(400, `customerReferenceId "${fromPayload}" in the body does not match the Customer-Reference-ID header "${customer}"`);
      }
    } else {
      customer = fromPayload ?? this.opts.customers?.[0] ?? 'default-customer';
    }
    if (this.opts.customers && !this.opts.customers.includes(customer)) {
      throw new TenantError(400, `Unknown customer reference id "${customer}": no such customer is set up on this tenant`);
    }
    return customer;
  }

  // ------------------------------------------------------------------ submit

  countSubmit(orderReferenceId: unknown): void {
    if (typeof orderReferenceId !== 'string' || orderReferenceId === '') return;
    this.submits.set(orderReferenceId, (this.submits.get(orderReferenceId) ?? 0) + 1);
  }

  submitCount(orderReferenceId: string): number {
    return this.submits.get(orderReferenceId) ?? 0;
  }

  /** Creates the order from a validated body; the reply is synchronous, checks run afterwards. */
  create(body: Record<string, unknown>, customer: string): OrderRecord {
    const ref = String(body.orderReferenceId);
    if (body.preventDuplicate === true) {
      const existing = this.orders.find((o) => o.orderReferenceId === ref && o.customerReferenceId === customer);
      if (existing) {
        // Semantics [unknown] (reference §6); project decision §9: reject. 409 is our choice.
        throw new TenantError(409, `An order with orderReferenceId "${ref}" already exists for customer "${customer}" (id ${existing.id}); preventDuplicate is set, so no new order was created`, {
          id: existing.id,
          orderReferenceId: ref,
        });
      }
    }
    const now = new Date();
    const id = this.rng.uuid();
    const orderType = body.orderType === 'draft' ? 'draft' : 'order';
    const items: ItemRecord[] = [];
    const files: GelatoSandboxFile[] = [];
    for (const raw of body.items as Record<string, unknown>[]) {
      const item: ItemRecord = { id: this.rng.uuid(), itemReferenceId: String(raw.itemReferenceId), raw, fileIds: [] };
      for (const f of (raw.files as { type: string; url: string }[] | undefined) ?? []) {
        item.fileIds.push(this.rng.uuid());
        files.push({
          itemReferenceId: item.itemReferenceId,
          type: f.type,
          url: f.url,
          status: 'pending',
          httpStatus: null,
          bytes: null,
          sha256: null,
          contentType: null,
          attempts: 0,
          problem: null,
          checkedAt: null,
        });
      }
      items.push(item);
    }
    const method = chooseMethod(String(body.shipmentMethodUid));
    const order: OrderRecord = {
      id,
      orderReferenceId: ref,
      customerReferenceId: customer,
      orderType,
      payload: clone(body),
      status: orderType === 'draft' ? 'draft' : 'received',
      financialStatus: orderType === 'draft' ? 'draft' : 'pending',
      history: [],
      failureReason: null,
      files,
      filesSettled: files.length === 0,
      shipmentMethodUid: String(body.shipmentMethodUid),
      shipmentMethodName: method?.name ?? null,
      shippingAddress: clone(body.shippingAddress as Record<string, unknown>),
      shipmentUpdates: [],
      packages: [],
      createdAt: gelatoTime(now),
      updatedAt: gelatoTime(now),
      seq: ++this.seq,
      items,
      method,
      shippingAddressId: this.rng.uuid(),
      shipmentId: this.rng.uuid(),
      timer: undefined,
      postbackChain: Promise.resolve(),
      filesDone: Promise.resolve(),
    };
    this.orders.push(order);
    order.history.push({ status: order.status, at: order.createdAt, reason: null });
    if (order.status === 'received') {
      void this.emit(order, 'received', null, null);
      this.startValidation(order);
    }
    return order;
  }

  /** The asynchronous part of intake: download every file, then pass or fail the order. */
  private startValidation(order: OrderRecord): void {
    order.filesDone = (async () => {
      await Promise.all(
        order.files.map((f) =>
          this.limiter.run(async () => {
            if (this.closed || order.status !== 'received') {
              f.status = 'skipped';
              return;
            }
            const r = await checkFile(f.url, this.opts.fileFetch, this.abort.signal);
            Object.assign(f, {
              status: r.ok ? 'ok' : 'failed',
              httpStatus: r.httpStatus,
              bytes: r.sha256 === null && r.bytes === 0 ? null : r.bytes,
              sha256: r.sha256,
              contentType: r.contentType,
              attempts: r.attempts,
              problem: r.problem,
              checkedAt: gelatoTime(),
            });
          }),
        ),
      );
      order.filesSettled = true;
      if (this.closed || order.status !== 'received') return;
      const problems = order.files.filter((f) => f.status === 'failed');
      if (problems.length > 0) {
        const reason = problems.map((f) => `Item ${f.itemReferenceId}: file ${displayUrl(f.url)} ${f.problem}`).join('; ');
        void this.transition(order, 'failed', reason);
        return;
      }
      if (!order.method) {
        // Business-rule validation is asynchronous in GelatoConnect (reference §2, H-FLOW).
        void this.transition(order, 'failed', `Shipping method "${order.shipmentMethodUid}" is not available on this tenant`);
        return;
      }
      void this.transition(order, 'passed', null);
    })().catch(() => undefined);
  }

  // ------------------------------------------------------------------ lookup

  /** By Gelato id or orderReferenceId, optionally within one customer. */
  find(idOrRef: string, customer?: string): OrderRecord | undefined {
    const scope = customer ? this.orders.filter((o) => o.customerReferenceId === customer) : this.orders;
    const byId = scope.find((o) => o.id === idOrRef);
    if (byId) return byId;
    const byRef = scope.filter((o) => o.orderReferenceId === idOrRef);
    if (byRef.length <= 1) return byRef[0];
    const customers = new Set(byRef.map((o) => o.customerReferenceId));
    if (customers.size > 1) {
      throw new TenantError(400, `orderReferenceId "${idOrRef}" is used by more than one customer; send the Customer-Reference-ID header or use the order id`);
    }
    // Several orders of one customer (submitted without preventDuplicate): the newest wins.
    return byRef[byRef.length - 1];
  }

  mustFind(idOrRef: string, customer?: string): OrderRecord {
    const o = this.find(idOrRef, customer);
    if (!o) throw new TenantError(404, `Order "${idOrRef}" not found`);
    return o;
  }

  list(filter?: { customerReferenceId?: string }): GelatoSandboxOrder[] {
    return this.orders.filter((o) => !filter?.customerReferenceId || o.customerReferenceId === filter.customerReferenceId).map((o) => this.snapshot(o));
  }

  snapshot(o: OrderRecord): GelatoSandboxOrder {
    return clone({
      id: o.id,
      orderReferenceId: o.orderReferenceId,
      customerReferenceId: o.customerReferenceId,
      orderType: o.orderType,
      payload: o.payload,
      status: o.status,
      financialStatus: o.financialStatus,
      history: o.history,
      failureReason: o.failureReason,
      files: o.files,
      filesSettled: o.filesSettled,
      shipmentMethodUid: o.shipmentMethodUid,
      shipmentMethodName: o.shipmentMethodName,
      shippingAddress: o.shippingAddress,
      shipmentUpdates: o.shipmentUpdates,
      packages: o.packages,
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
    });
  }

  // ------------------------------------------------------------------ status changes

  /** Moves an order and returns once its postbacks are delivered (or given up). */
  private transition(order: OrderRecord, to: GelatoStatus, reason: string | null): Promise<void> {
    const from = order.status;
    if (from === to) return Promise.resolve();
    const now = new Date();
    order.status = to;
    order.updatedAt = gelatoTime(now);
    order.history.push({ status: to, at: order.updatedAt, reason });
    if (to === 'failed') {
      order.failureReason = reason;
      order.financialStatus = 'canceled';
    }
    if (to === 'canceled') order.financialStatus = 'canceled';
    const rank = STATUS_FLOW.indexOf(to);
    if ((rank >= SHIPPED_RANK || to === 'returned') && order.packages.length === 0) this.makePackages(order);
    for (const p of order.packages) p.status = to;
    this.schedule(order);
    return this.emit(order, to, from, reason);
  }

  private makePackages(order: OrderRecord): void {
    const method = order.method ?? chooseMethod('standard')!;
    const count = order.items.length > 1 ? this.rng.int(1, 2) : 1;
    for (let i = 0; i < count; i++) {
      const items = order.items.filter((_, idx) => idx % count === i);
      const code = method.carrier.trackingCode((n) => this.rng.digits(n));
      order.packages.push({
        id: this.rng.uuid(),
        status: order.status,
        trackingCode: code,
        trackingUrl: method.carrier.trackingUrl(code),
        carrier: { name: method.carrier.name, uid: method.carrier.uid },
        orderItemIds: items.map((it) => it.id),
        itemReferenceIds: items.map((it) => it.itemReferenceId),
        weight: items.reduce((w, it) => w + 10 * (Number(it.raw.quantity) || 1), 0),
      });
    }
  }

  /** Clock progression: one step per stepMs from `passed` until delivered. */
  private schedule(order: OrderRecord): void {
    if (order.timer) clearTimeout(order.timer);
    order.timer = undefined;
    const p = this.opts.progression;
    if (p === 'manual' || this.closed) return;
    const idx = STATUS_FLOW.indexOf(order.status);
    if (idx < STATUS_FLOW.indexOf('passed') || idx >= STATUS_FLOW.length - 1) return;
    order.timer = setTimeout(() => {
      order.timer = undefined;
      const next = STATUS_FLOW[idx + 1];
      if (next && order.status === STATUS_FLOW[idx]) void this.transition(order, next, null);
    }, p.stepMs);
  }

  async advance(idOrRef: string, to?: GelatoStatus): Promise<GelatoSandboxOrder> {
    const order = this.mustFind(idOrRef);
    if (to !== undefined && !isGelatoStatus(to)) {
      throw new TenantError(400, `Unknown status "${String(to)}" (known: ${GELATO_STATUSES.join(', ')})`);
    }
    if (to === undefined) {
      if (order.status === 'draft') {
        const delivered = this.transition(order, 'received', null);
        this.startValidation(order);
        await delivered;
        return this.snapshot(order);
      }
      if (order.status === 'received') {
        // the next step is the file check's verdict
        await order.filesDone;
        if ((order.status as GelatoStatus) === 'failed') throw new TenantError(409, `Order ${order.orderReferenceId} failed validation: ${order.failureReason}`);
        return this.snapshot(order);
      }
      const idx = STATUS_FLOW.indexOf(order.status);
      const next = idx >= 0 ? STATUS_FLOW[idx + 1] : undefined;
      if (!next) throw new TenantError(409, `Order ${order.orderReferenceId} is ${order.status}; there is no next status`);
      await this.transition(order, next, null);
      return this.snapshot(order);
    }
    if (to === order.status) throw new TenantError(409, `Order ${order.orderReferenceId} is already ${to}`);
    if (order.status === 'failed' || order.status === 'canceled' || order.status === 'returned') {
      throw new TenantError(409, `Order ${order.orderReferenceId} is ${order.status}; it cannot move to ${to}`);
    }
    if (order.status === 'delivered' && to !== 'returned') {
      throw new TenantError(409, `Order ${order.orderReferenceId} is delivered; only "returned" can follow`);
    }
    await this.transition(order, to, to === 'failed' ? 'failed by the sandbox operator' : null);
    return this.snapshot(order);
  }

  async fail(idOrRef: string, reason: string): Promise<GelatoSandboxOrder> {
    const order = this.mustFind(idOrRef);
    if (order.status === 'failed' || order.status === 'canceled') {
      throw new TenantError(409, `Order ${order.orderReferenceId} is already ${order.status}`);
    }
    await this.transition(order, 'failed', reason);
    return this.snapshot(order);
  }

  /** Cancel Order: allowed until shipped (reference §2.4). Repeating a cancel is answered OK. */
  cancel(order: OrderRecord): void {
    if (order.status === 'canceled') return;
    const rank = STATUS_FLOW.indexOf(order.status);
    if (rank >= SHIPPED_RANK || order.status === 'returned') {
      throw new TenantError(409, `Order ${order.orderReferenceId} is ${order.status} and can no longer be canceled (cancel is possible until it ships)`);
    }
    void this.transition(order, 'canceled', 'canceled by the customer through the API');
  }

  /** Update Shipment (reference §2.5): method and/or address, until shipped. */
  updateShipment(order: OrderRecord, body: unknown): Record<string, unknown> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new TenantError(400, 'Body must be a JSON object with shipmentMethodUid and/or shippingAddress');
    }
    const b = body as Record<string, unknown>;
    const hasMethod = b.shipmentMethodUid !== undefined;
    const hasAddress = b.shippingAddress !== undefined;
    const errors: FieldError[] = [];
    if (!hasMethod && !hasAddress) errors.push({ field: '(body)', message: 'give shipmentMethodUid, shippingAddress or both' });
    let method: ShippingMethod | undefined;
    if (hasMethod) {
      if (typeof b.shipmentMethodUid !== 'string' || b.shipmentMethodUid.trim() === '') {
        errors.push({ field: 'shipmentMethodUid', message: 'must be a non-empty string' });
      } else {
        method = chooseMethod(b.shipmentMethodUid);
        if (!method) errors.push({ field: 'shipmentMethodUid', message: `"${b.shipmentMethodUid}" is not a shipping method of this tenant` });
      }
    }
    if (hasAddress) errors.push(...validateAddress(b.shippingAddress, 'shippingAddress', true));
    if (errors.length > 0) throw new TenantError(400, `Shipment update rejected: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, { errors });
    const rank = STATUS_FLOW.indexOf(order.status);
    if (rank >= SHIPPED_RANK || ['failed', 'canceled', 'returned'].includes(order.status)) {
      throw new TenantError(409, `Order ${order.orderReferenceId} is ${order.status}; the shipment can only be changed until the order ships`);
    }
    if (method && typeof b.shipmentMethodUid === 'string') {
      order.method = method;
      order.shipmentMethodUid = b.shipmentMethodUid;
      order.shipmentMethodName = method.name;
    }
    if (hasAddress) Object.assign(order.shippingAddress, b.shippingAddress);
    order.updatedAt = gelatoTime();
    order.shipmentUpdates.push({ at: order.updatedAt, body: clone(b) });
    const days = this.deliveryWindow(order);
    return {
      shippingAddress: this.apiAddress(order),
      shipment: {
        shipmentMethodUid: order.shipmentMethodUid,
        shipmentMethodName: order.shipmentMethodName,
        fulfillmentCountry: this.opts.fulfillmentCountry,
        fulfillmentFacilityId: stableUuid(this.opts.seed, 'facility'),
        packageCount: Math.max(1, order.packages.length),
        initialMinDeliveryDate: days.min,
        initialMaxDeliveryDate: days.max,
        serviceType: order.method?.tier === 'express' ? 'express' : 'normal',
      },
    };
  }

  // ------------------------------------------------------------------ API views

  private deliveryWindow(order: OrderRecord): { min: string; max: string } {
    const m = order.method;
    const created = new Date(order.createdAt);
    if (!m) return { min: dateOnly(addDays(created, 3)), max: dateOnly(addDays(created, 10)) };
    const country = String(order.shippingAddress.country ?? '');
    const zone = zoneFor(this.opts.fulfillmentCountry, country);
    const [lo, hi] = m.days[zone];
    return { min: dateOnly(addDays(created, lo + 1)), max: dateOnly(addDays(created, hi + 2)) };
  }

  private apiAddress(order: OrderRecord): Record<string, unknown> {
    const a = order.shippingAddress;
    return {
      id: order.shippingAddressId,
      orderId: order.id,
      country: a.country ?? null,
      firstName: a.firstName ?? null,
      lastName: a.lastName ?? null,
      companyName: a.companyName ?? null,
      addressLine1: a.addressLine1 ?? null,
      addressLine2: a.addressLine2 ?? null,
      city: a.city ?? null,
      postCode: a.postCode ?? null,
      state: a.state ?? null,
      email: a.email ?? null,
      phone: a.phone ?? null,
      isBusiness: a.isBusiness ?? false,
      federalTaxId: a.federalTaxId ?? null,
      stateTaxId: a.stateTaxId ?? null,
      registrationState: a.registrationState ?? null,
    };
  }

  /** Get Order body: documented fields of reference §2.2, shipment part [inferred] from v4. */
  apiOrder(order: OrderRecord): Record<string, unknown> {
    const days = this.deliveryWindow(order);
    const fileById = order.files;
    let fileIdx = 0;
    return {
      id: order.id,
      clientId: this.customerId(order.customerReferenceId),
      orderReferenceId: order.orderReferenceId,
      customerReferenceId: order.customerReferenceId,
      orderType: order.orderType,
      channel: 'api',
      fulfillmentStatus: order.status,
      financialStatus: order.financialStatus,
      currency: order.payload.currency ?? null,
      createdAt: order.createdAt,
      updatedAt: order.updatedAt,
      orderedAt: order.createdAt,
      shippingAddress: this.apiAddress(order),
      items: order.items.map((it) => {
        const files = it.fileIds.map((fid) => {
          const f = fileById[fileIdx++]!;
          return { id: fid, type: f.type, url: f.url, mimeType: f.status === 'ok' ? 'application/pdf' : null, isVisible: true, metadata: [] };
        });
        const failures = order.files.filter((f) => f.itemReferenceId === it.itemReferenceId && f.status === 'failed');
        return {
          id: it.id,
          itemReferenceId: it.itemReferenceId,
          productUid: it.raw.productUid ?? null,
          productName: it.raw.productName ?? null,
          productVariant: it.raw.productVariant ?? null,
          storeProductVariantId: null,
          storeProductId: null,
          files,
          processedFileUrl: null,
          quantity: it.raw.quantity,
          options: [],
          fulfillmentStatus: order.status,
          pageCount: null,
          printJobs: [],
          eventLog: failures.map((f) => ({ type: 'file_validation_failed', message: `File ${displayUrl(f.url)} ${f.problem}`, createdAt: f.checkedAt })),
          previews: [],
          metadata: it.raw.metadata ?? [],
        };
      }),
      shipment: {
        id: order.shipmentId,
        shipmentMethodName: order.shipmentMethodName,
        shipmentMethodUid: order.shipmentMethodUid,
        packageCount: order.packages.length,
        minDeliveryDate: days.min,
        maxDeliveryDate: days.max,
        packages: order.packages.map((p) => ({ id: p.id, orderItemIds: p.orderItemIds, trackingCode: p.trackingCode, trackingUrl: p.trackingUrl })),
      },
      connectedOrderIds: [],
      metadata: order.payload.metadata ?? [],
      receipts: [],
    };
  }

  /** Search Orders: filters and limit/offset [inferred] from Gelato v4 (reference §2.3). */
  search(query: unknown, customer: string | undefined): Record<string, unknown> {
    if (query !== undefined && query !== null && (typeof query !== 'object' || Array.isArray(query))) {
      throw new TenantError(400, 'Search body must be a JSON object');
    }
    const q = (query ?? {}) as Record<string, unknown>;
    const errors: string[] = [];
    const strList = (k: string): string[] | undefined => {
      const v = q[k];
      if (v === undefined || v === null) return undefined;
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
        errors.push(`${k}: must be an array of strings`);
        return undefined;
      }
      return v as string[];
    };
    const ids = strList('ids');
    const refs = strList('orderReferenceIds');
    const statuses = strList('fulfillmentStatuses');
    const financial = strList('financialStatuses');
    const countries = strList('countries');
    const currencies = strList('currencies');
    const orderTypes = strList('orderTypes');
    const oneRef = q.orderReferenceId;
    if (oneRef !== undefined && typeof oneRef !== 'string') errors.push('orderReferenceId: must be a string');
    const text = typeof q.search === 'string' ? q.search.toLowerCase() : undefined;
    const date = (k: string): number | undefined => {
      const v = q[k];
      if (v === undefined || v === null) return undefined;
      const t = typeof v === 'string' ? Date.parse(v) : NaN;
      if (Number.isNaN(t)) errors.push(`${k}: must be an ISO 8601 date`);
      return t;
    };
    const start = date('startDate');
    const end = date('endDate');
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    const offset = q.offset === undefined ? 0 : Number(q.offset);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) errors.push('limit: must be a whole number from 1 to 100');
    if (!Number.isInteger(offset) || offset < 0) errors.push('offset: must be a whole number, 0 or more');
    if (statuses) {
      for (const s of statuses) if (!isGelatoStatus(s)) errors.push(`fulfillmentStatuses: unknown status "${s}"`);
    }
    if (errors.length > 0) throw new TenantError(400, `Search rejected: ${errors.join('; ')}`);

    const hits = this.orders
      .filter((o) => !customer || o.customerReferenceId === customer)
      .filter((o) => !ids || ids.includes(o.id))
      .filter((o) => !refs || refs.includes(o.orderReferenceId))
      .filter((o) => typeof oneRef !== 'string' || o.orderReferenceId === oneRef)
      .filter((o) => !statuses || statuses.includes(o.status))
      .filter((o) => !financial || financial.includes(o.financialStatus))
      .filter((o) => !countries || countries.includes(String(o.shippingAddress.country)))
      .filter((o) => !currencies || currencies.includes(String(o.payload.currency)))
      .filter((o) => !orderTypes || orderTypes.includes(o.orderType))
      .filter((o) => start === undefined || Date.parse(o.createdAt) >= start)
      .filter((o) => end === undefined || Date.parse(o.createdAt) <= end)
      .filter((o) => {
        if (!text) return true;
        const a = o.shippingAddress;
        return [o.orderReferenceId, a.firstName, a.lastName].some((v) => typeof v === 'string' && v.toLowerCase().includes(text));
      })
      .sort((a, b) => b.seq - a.seq);
    return {
      orders: hits.slice(offset, offset + limit).map((o) => {
        const items = o.items.map((i) => i.raw);
        const total = items.reduce((s, i) => s + (typeof i.retailPriceInclVat === 'number' ? i.retailPriceInclVat : 0), 0) + (Number(o.payload.retailShippingPriceInclVat) || 0);
        return {
          id: o.id,
          orderReferenceId: o.orderReferenceId,
          customerReferenceId: o.customerReferenceId,
          fulfillmentStatus: o.status,
          financialStatus: o.financialStatus,
          currency: o.payload.currency ?? null,
          firstName: o.shippingAddress.firstName ?? null,
          lastName: o.shippingAddress.lastName ?? null,
          country: o.shippingAddress.country ?? null,
          itemsCount: items.length,
          totalInclVat: Math.round(total * 100) / 100,
          orderType: o.orderType,
          channel: 'api',
          createdAt: o.createdAt,
          updatedAt: o.updatedAt,
          orderedAt: o.createdAt,
          connectedOrderIds: [],
          storeId: null,
        };
      }),
    };
  }

  // ------------------------------------------------------------------ postbacks

  setTriggers(triggers: unknown): void {
    if (!Array.isArray(triggers)) throw new Error('triggers must be an array');
    const list = triggers.map((t, i) => validateTrigger(t, i, this.env));
    if (this.opts.workflowTriggers) {
      const pkg = list.findIndex((t) => /package\s*status/i.test(t.event));
      if (pkg >= 0) throw new Error(`trigger ${pkg}: ${WORKFLOW_TRIGGER_NO_PACKAGE_EVENT}`);
    }
    this.triggers = list;
  }

  postbacks(): PostbackRecord[] {
    return clone(this.records);
  }

  private context(order: OrderRecord, status: GelatoStatus, from: GelatoStatus | null, reason: string | null, pkgIndex: number | null): PostbackContext {
    const now = new Date();
    const metaMap = (m: unknown): Record<string, string> => {
      const out: Record<string, string> = {};
      if (Array.isArray(m)) for (const e of m as { key?: unknown; value?: unknown }[]) if (typeof e?.key === 'string') out[e.key] = String(e.value ?? '');
      return out;
    };
    const pkg = pkgIndex === null ? order.packages[0] : order.packages[pkgIndex];
    const pkgItems = pkg ? order.items.filter((i) => pkg.orderItemIds.includes(i.id)) : order.items;
    const event = pkgIndex !== null ? PACKAGE_STATUS_UPDATED : (orderEventFor(status) ?? `Order ${status.replace(/_/g, ' ')}`);
    return {
      currentDate: now.toISOString().slice(0, 19).replace('T', ' '),
      customer: { id: this.customerId(order.customerReferenceId), name: order.customerReferenceId, referenceId: order.customerReferenceId },
      order: { id: order.id, referenceId: order.orderReferenceId, metadata: metaMap(order.payload.metadata) },
      package: {
        id: pkg?.id ?? '',
        status,
        weight: pkg?.weight ?? pkgItems.reduce((w, it) => w + 10 * (Number(it.raw.quantity) || 1), 0),
        items: pkgItems.map((it) => ({ id: it.id, quantity: Number(it.raw.quantity), referenceId: it.itemReferenceId, metadata: metaMap(it.raw.metadata) })),
      },
      shipment: {
        fulfillmentLocation: { country: this.opts.fulfillmentCountry, stateProvince: '' },
        method: { id: order.shipmentMethodUid, name: order.shipmentMethodName ?? order.shipmentMethodUid },
        tracking: { code: pkg?.trackingCode ?? '', url: pkg?.trackingUrl ?? '' },
      },
      sandbox: {
        event,
        status,
        previousStatus: from,
        reason,
        occurredAt: gelatoTime(now),
        createdAt: order.createdAt,
        packages: order.packages.map((p) => ({ id: p.id, trackingCode: p.trackingCode, trackingUrl: p.trackingUrl, carrier: p.carrier.name, itemReferenceIds: p.itemReferenceIds })),
      },
    };
  }

  /** Render and queue postbacks for a status change; resolves when they are delivered. Per
   *  order they go out in status order, so a receiver never sees "shipped" before "received". */
  private emit(order: OrderRecord, status: GelatoStatus, from: GelatoStatus | null, reason: string | null): Promise<void> {
    const jobs: { trigger: PostbackTrigger; kind: 'order' | 'package'; pkg: number | null }[] = [];
    for (const t of this.triggers) {
      if (t.customerReferenceId && t.customerReferenceId !== order.customerReferenceId) continue;
      if (triggerMatches(t.event, status, 'order')) jobs.push({ trigger: t, kind: 'order', pkg: null });
      if (triggerMatches(t.event, status, 'package')) {
        if (order.packages.length === 0) jobs.push({ trigger: t, kind: 'package', pkg: null });
        else order.packages.forEach((_, i) => jobs.push({ trigger: t, kind: 'package', pkg: i }));
      }
    }
    if (jobs.length === 0) return Promise.resolve();
    const recs = jobs.map(({ trigger, kind, pkg }) => {
      const context = this.context(order, status, from, reason, kind === 'package' ? (pkg ?? null) : null);
      const rec: PostbackRecord = {
        id: this.records.length + 1,
        trigger: trigger.name ?? trigger.event,
        event: context.sandbox.event,
        status,
        orderId: order.id,
        orderReferenceId: order.orderReferenceId,
        customerReferenceId: order.customerReferenceId,
        url: trigger.url,
        method: trigger.method ?? 'POST',
        // A workflow trigger has no custom headers to send.
        headers: { 'content-type': 'application/json', ...(this.opts.workflowTriggers ? {} : (trigger.headers ?? {})) },
        body: '',
        context,
        attempts: [],
        responseStatus: null,
        delivered: false,
        error: null,
      };
      try {
        rec.body = this.env.renderString(trigger.template, context);
      } catch (e) {
        rec.error = `template error: ${(e as Error).message}`;
      }
      this.records.push(rec);
      return { rec, retry: trigger.retryOnFailure !== false };
    });
    const run = order.postbackChain.then(async () => {
      for (const { rec, retry } of recs) {
        if (rec.error?.startsWith('template error')) continue;
        await deliver(rec, retry, this.opts.postbackDelivery, this.abort.signal);
      }
    });
    order.postbackChain = run.catch(() => undefined);
    return order.postbackChain;
  }

  // ------------------------------------------------------------------ lifecycle

  async waitForFilesSettled(idOrRef: string, timeoutMs = 10_000): Promise<GelatoSandboxOrder> {
    const order = this.mustFind(idOrRef);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, rej) => {
      timer = setTimeout(() => rej(new Error(`Files of order ${order.orderReferenceId} not settled within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([order.filesDone, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return this.snapshot(order);
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
    for (const o of this.orders) if (o.timer) clearTimeout(o.timer);
  }
}
