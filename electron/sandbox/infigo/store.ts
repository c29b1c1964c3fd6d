/**
 * One simulated storefront: its orders (generated lazily from the seed, cached once touched),
 * their lines and output state, and how status writes change them.
 */
import { rngFor } from '../random';
import { adHocProduct, PRINTABLE_TYPES, productBySku, STOCK_TYPE, typeLetter, type CatalogueProduct } from './catalogue';
import { generateOrder, seededCreatedOn } from './seed';
import { canonicalStatus, ORDER_STATUSES, PAYMENT_STATUSES, SHIPPING_STATUSES } from './statuses';
import type {
  InfigoOrderDetailJson,
  InfigoOrderLineJson,
  InfigoOrderNoteJson,
  LineFileKind,
  OutputState,
  SandboxLineSpec,
  SandboxLineView,
  SandboxOrderKind,
  SandboxOrderSpec,
  SandboxOrderView,
  StatusWriteChanges,
} from './types';

export const FIRST_ORDER_ID = 10001;
/** Seeded order i owns job numbers jobBase + 3i .. jobBase + 3i + 2 (at most three lines). */
const JOBS_PER_SEEDED_ORDER = 3;

const SHIPPING_COST: Record<string, number> = { 'First Class': 4.95, 'Second Class': 3.5, Express: 12.95, Collect: 0 };

export interface LineRecord {
  jobNumber: number;
  opvId: number;
  product: CatalogueProduct;
  type: number;
  spec: SandboxLineSpec;
  output: OutputState;
  file: { kind: LineFileKind; bytes: number };
  customStatus: string | null;
  cancelled: boolean;
  /** Bumped when the output is re-created, so the file's ETag changes with it. */
  outputVersion: number;
}

export interface OrderRecord {
  id: number;
  index: number;
  kind: SandboxOrderKind;
  quirks: string[];
  spec: SandboxOrderSpec;
  guid: string;
  customerGuid: string;
  lines: LineRecord[];
  orderStatus: string;
  paymentStatus: string;
  shippingStatus: string;
  trackingNumber: string | null;
  notes: InfigoOrderNoteJson[];
  extraData: Record<string, string>;
}

export class StatusWriteError extends Error {}

const round2 = (n: number) => Math.round(n * 100) / 100;
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function fullJobId(line: LineRecord): string {
  return `${typeLetter(line.type)}${line.jobNumber}`;
}

export class SandboxStore {
  readonly jobBase: number;
  private readonly cache = new Map<number, OrderRecord>();
  private readonly addedJobs = new Map<number, { index: number; line: number }>();
  private nextAddedJob: number;
  private readonly externalIds = new Map<string, number>();
  private total: number;
  private readonly customerPool: number;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly token: string,
    readonly megascriptToken: string,
    readonly seed: number,
    readonly seededCount: number,
    readonly pdfBytes: number,
  ) {
    this.jobBase = 60000 + rngFor(seed, id, 'jobs').int(0, 199) * 100;
    this.nextAddedJob = this.jobBase + seededCount * JOBS_PER_SEEDED_ORDER + 1000;
    this.total = seededCount;
    this.customerPool = Math.max(12, Math.ceil(seededCount / 3));
  }

  get orderCount(): number {
    return this.total;
  }

  orderIds(): number[] {
    return Array.from({ length: this.total }, (_, i) => FIRST_ORDER_ID + i);
  }

  order(orderId: number): OrderRecord | undefined {
    const index = orderId - FIRST_ORDER_ID;
    if (!Number.isInteger(index) || index < 0 || index >= this.total) return undefined;
    return this.orderAt(index);
  }

  orderAt(index: number): OrderRecord {
    let rec = this.cache.get(index);
    if (!rec) {
      // Only seeded orders can be missing: added ones are cached when created.
      const gen = generateOrder(this.seed, this.id, index, this.customerPool, seededCreatedOn(index, this.seededCount));
      rec = this.build(index, gen.kind, gen.quirks, gen.spec, (k) => this.jobBase + index * JOBS_PER_SEEDED_ORDER + k);
      this.cache.set(index, rec);
    }
    return rec;
  }

  /** Accepts "s60123", "60123" (any letter, any case). */
  line(jobId: string): { order: OrderRecord; line: LineRecord } | undefined {
    const m = /^([a-z]?)(\d+)$/i.exec(jobId.trim());
    if (!m) return undefined;
    const n = Number(m[2]);
    let index: number;
    let k: number;
    const added = this.addedJobs.get(n);
    if (added) {
      index = added.index;
      k = added.line;
    } else {
      const rel = n - this.jobBase;
      if (rel < 0 || rel >= this.seededCount * JOBS_PER_SEEDED_ORDER) return undefined;
      index = Math.floor(rel / JOBS_PER_SEEDED_ORDER);
      k = rel % JOBS_PER_SEEDED_ORDER;
    }
    const order = this.orderAt(index);
    const line = order.lines[k];
    if (!line || line.jobNumber !== n) return undefined;
    return { order, line };
  }

  /** Only added orders carry external ids (seeded ones are storefront orders). */
  orderIdByExternalId(externalId: string): number | undefined {
    return this.externalIds.get(externalId);
  }

  addOrder(overrides: Partial<SandboxOrderSpec> = {}): OrderRecord {
    const index = this.total;
    const gen = generateOrder(this.seed, this.id, index, this.customerPool, isoSeconds(Date.now()), 'added');
    const spec: SandboxOrderSpec = { ...gen.spec, ...stripUndefined(overrides) };
    // An order given its status but not its shipping status ships as nopCommerce would: only a
    // Complete order has shipped (a generated "Shipped" must not stay on an order now Pending).
    if (overrides.orderStatus !== undefined && overrides.shippingStatus === undefined) {
      spec.shippingStatus = canonicalStatus(ORDER_STATUSES, overrides.orderStatus) === 'Complete' ? 'Shipped' : 'NotYetShipped';
    }
    if (!Array.isArray(spec.lines) || spec.lines.length === 0) throw new Error('an order needs at least one line');
    for (const l of spec.lines) {
      if (!l || typeof l.sku !== 'string' || l.sku === '') throw new Error('every line needs a "sku"');
    }
    const jobNumbers = spec.lines.map(() => this.nextAddedJob++);
    const rec = this.build(index, 'added', [], spec, (k) => jobNumbers[k]!);
    jobNumbers.forEach((n, k) => this.addedJobs.set(n, { index, line: k }));
    if (spec.externalOrderId) this.externalIds.set(spec.externalOrderId, rec.id);
    this.cache.set(index, rec);
    this.total++;
    return rec;
  }

  private build(index: number, kind: SandboxOrderKind, quirks: string[], spec: SandboxOrderSpec, jobNumber: (k: number) => number): OrderRecord {
    const rng = rngFor(this.seed, this.id, 'ids', index);
    const lines = spec.lines.map((ls, k): LineRecord => {
      const known = productBySku(ls.sku);
      const type = ls.type ?? known?.type ?? 30;
      const product = known ?? adHocProduct(ls.sku, type);
      const printable = PRINTABLE_TYPES.has(type);
      const n = jobNumber(k);
      return {
        jobNumber: n,
        opvId: 20000 + (n - this.jobBase),
        product,
        type,
        spec: ls,
        output: printable ? (ls.needsOutput ? 'pending' : 'ready') : 'none',
        file: { kind: 'pdf', bytes: ls.pdfBytes ?? this.pdfBytes },
        customStatus: null,
        cancelled: false,
        outputVersion: 0,
      };
    });
    return {
      id: FIRST_ORDER_ID + index,
      index,
      kind,
      quirks,
      spec,
      guid: rng.guid(),
      customerGuid: rngFor(this.seed, this.id, 'customer-guid', spec.customerId).guid(),
      lines,
      orderStatus: canonicalStatus(ORDER_STATUSES, spec.orderStatus) ?? spec.orderStatus,
      paymentStatus: canonicalStatus(PAYMENT_STATUSES, spec.paymentStatus) ?? spec.paymentStatus,
      shippingStatus: canonicalStatus(SHIPPING_STATUSES, spec.shippingStatus) ?? spec.shippingStatus,
      trackingNumber: null,
      notes: [],
      extraData: { source: kind === 'added' ? 'sandbox' : 'storefront' },
    };
  }

  setOrderStatus(orderId: number, status: string): OrderRecord {
    const order = this.order(orderId);
    if (!order) throw new Error(`store ${this.id} has no order ${orderId}`);
    const s = canonicalStatus(ORDER_STATUSES, status);
    if (!s) throw new Error(`unknown order status "${status}" (known: ${Object.keys(ORDER_STATUSES).join(', ')})`);
    order.orderStatus = s;
    return order;
  }

  /**
   * Validates the whole write first so a bad field changes nothing, then applies it. Follows
   * nopCommerce semantics where the write leaves things implicit (reference §4.4, inferred):
   * a tracking number marks the order shipped, and a paid, delivered order becomes Complete.
   */
  applyStatusWrite(orderId: number, raw: StatusWriteChanges): { order: OrderRecord; changes: StatusWriteChanges } {
    const order = this.order(orderId);
    if (!order) throw new StatusWriteError(`Order ${orderId} not found`);
    const changes: StatusWriteChanges = {};
    const pick = (field: 'OrderStatus' | 'ShippingStatus' | 'PaymentStatus', table: Record<string, number>) => {
      const v = raw[field];
      if (v === undefined || v === null) return;
      const c = canonicalStatus(table, v);
      if (!c) throw new StatusWriteError(`${field} "${String(v)}" is not one of ${Object.keys(table).join(', ')}`);
      changes[field] = c;
    };
    pick('OrderStatus', ORDER_STATUSES);
    pick('ShippingStatus', SHIPPING_STATUSES);
    pick('PaymentStatus', PAYMENT_STATUSES);
    for (const f of ['TrackingNumber', 'TrackingUrl', 'Carrier', 'Note'] as const) {
      const v = raw[f];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') throw new StatusWriteError(`${f} must be a string`);
      changes[f] = v;
    }
    const lineUpdates: { line: LineRecord; status: string }[] = [];
    if (raw.LineStatuses !== undefined && raw.LineStatuses !== null) {
      if (!Array.isArray(raw.LineStatuses)) throw new StatusWriteError('LineStatuses must be an array');
      changes.LineStatuses = [];
      for (const ls of raw.LineStatuses) {
        const jobId = String(ls?.JobId ?? '');
        const found = this.line(jobId);
        if (!found || found.order !== order) throw new StatusWriteError(`Job ${jobId} is not a line of order ${orderId}`);
        if (typeof ls.Status !== 'string' || ls.Status.trim() === '') throw new StatusWriteError(`Job ${jobId}: Status must be a non-empty string`);
        lineUpdates.push({ line: found.line, status: ls.Status });
        changes.LineStatuses.push({ JobId: fullJobId(found.line), Status: ls.Status });
      }
    }
    if (Object.keys(changes).length === 0) throw new StatusWriteError('Nothing to change: give at least one of OrderStatus, ShippingStatus, PaymentStatus, TrackingNumber, TrackingUrl, Carrier, Note, LineStatuses');

    if (changes.PaymentStatus) order.paymentStatus = changes.PaymentStatus;
    if (changes.ShippingStatus) order.shippingStatus = changes.ShippingStatus;
    if (changes.TrackingNumber !== undefined) {
      order.trackingNumber = changes.TrackingNumber === '' ? null : changes.TrackingNumber;
      if (!changes.ShippingStatus && order.trackingNumber && ['NotYetShipped', 'PartiallyShipped'].includes(order.shippingStatus)) {
        order.shippingStatus = 'Shipped';
      }
    }
    if (changes.TrackingUrl !== undefined) order.extraData.TrackingUrl = changes.TrackingUrl;
    if (changes.Carrier !== undefined) order.extraData.Carrier = changes.Carrier;
    if (changes.Note !== undefined) order.notes.push({ Note: changes.Note, DisplayToCustomer: false, CreatedOnUtc: isoSeconds(Date.now()) });
    for (const { line, status } of lineUpdates) {
      line.customStatus = status;
      if (/^cancel+ed$/i.test(status.trim())) line.cancelled = true;
    }
    if (changes.OrderStatus) {
      order.orderStatus = changes.OrderStatus;
    } else if (order.orderStatus !== 'Cancelled') {
      // nopCommerce's CheckOrderStatus rules.
      if (order.orderStatus === 'Pending' && (['Authorized', 'Paid'].includes(order.paymentStatus) || ['PartiallyShipped', 'Shipped', 'Delivered'].includes(order.shippingStatus))) {
        order.orderStatus = 'Processing';
      }
      if (order.paymentStatus === 'Paid' && ['ShippingNotRequired', 'Delivered'].includes(order.shippingStatus)) order.orderStatus = 'Complete';
    }
    return { order, changes };
  }

  /**
   * The order as a MegaScript sees it: Infigo's Order interface (types-for-megascript v1,
   * RunObject/Order.d.ts) over this storefront's order, with live fields and the write methods
   * (each returns false when the storefront refuses the value, as Infigo's do). `onWrite` hears
   * every change made.
   */
  megaScriptOrder(orderId: number, onWrite: (order: OrderRecord, changes: StatusWriteChanges) => void): Record<string, unknown> | null {
    const order = this.order(orderId);
    if (!order) return null;
    const write = (changes: StatusWriteChanges): boolean => {
      try {
        const r = this.applyStatusWrite(orderId, changes);
        onWrite(r.order, r.changes);
        return true;
      } catch (e) {
        if (e instanceof StatusWriteError) return false;
        throw e;
      }
    };
    const o: Record<string, unknown> = {
      Id: order.id,
      CreatedOnUtc: new Date(Date.parse(order.spec.createdOnUtc)),
      ShippingMethod: order.spec.shippingMethod,
      CustomerId: order.spec.customerId,
      SetStatus: (s: string) => write({ OrderStatus: String(s) }),
      UpdateShippingStatus: (s: string) => write({ ShippingStatus: String(s) }),
      UpdatePaymentStatus: (s: string) => write({ PaymentStatus: String(s) }),
      SetTrackingNumber: (n: string) => write({ TrackingNumber: String(n) }),
      AddOrderNotes: (note: string) => write({ Note: String(note) }),
    };
    const live: Record<string, () => unknown> = {
      OrderStatus: () => order.orderStatus,
      ShippingStatus: () => order.shippingStatus,
      PaymentStatus: () => order.paymentStatus,
      TrackingNumber: () => order.trackingNumber ?? '',
      OrderNotes: () => order.notes.map((n) => n.Note),
      OrderLineItems: () =>
        order.lines.map((l) => ({
          Id: l.opvId,
          OrderId: order.id,
          JobId: String(l.jobNumber),
          TypeLetter: typeLetter(l.type),
          Sku: l.product.sku,
          ProductName: l.product.name,
          Name: l.product.name,
          Quantity: l.spec.quantity ?? l.product.quantities[0] ?? 1,
          IsCancelled: l.cancelled,
          SetStatus: (status: string) => void write({ LineStatuses: [{ JobId: fullJobId(l), Status: String(status) }] }),
        })),
    };
    for (const [k, get] of Object.entries(live)) Object.defineProperty(o, k, { get, enumerable: true });
    return o;
  }

  setLineFile(jobId: string, kind: LineFileKind, bytes?: number): LineRecord {
    const found = this.line(jobId);
    if (!found) throw new Error(`store ${this.id} has no job ${jobId}`);
    found.line.file = { kind, bytes: bytes ?? found.line.file.bytes };
    found.line.outputVersion++;
    return found.line;
  }

  // ---- JSON as served ------------------------------------------------------------------

  lineJson(order: OrderRecord, line: LineRecord): InfigoOrderLineJson {
    const p = line.product;
    const quantity = line.spec.quantity ?? p.quantities[0] ?? 1;
    const chosen = p.attributes.map((a) => {
      const wanted = line.spec.attributes?.[a.name];
      const v = a.values.find((x) => x.name === wanted) ?? a.values[0]!;
      return { attr: a, value: wanted !== undefined && !a.values.some((x) => x.name === wanted) ? { ...v, name: wanted } : v };
    });
    // Attributes named in the spec that the product does not define still show (free text).
    const extra = Object.entries(line.spec.attributes ?? {}).filter(([k]) => !p.attributes.some((a) => a.name === k));
    const unit = p.unitPrice + chosen.reduce((s, c) => s + c.value.priceAdjustment, 0);
    const productAttributes = line.spec.emptyAttributes
      ? []
      : [
          ...chosen.map((c) => ({ Id: c.attr.id, Name: c.attr.name, Values: [{ Id: c.value.id, Content: c.value.name }] })),
          ...extra.map(([k, v], i) => ({ Id: 90 + i, Name: k, Values: [{ Id: '0', Content: v }] })),
        ];
    const printable = PRINTABLE_TYPES.has(line.type);
    const status =
      line.output === 'ready' ? 'OutputCreated' : line.output === 'creating' ? 'OutputCreationStarted' : 'Ordered';
    return {
      Id: fullJobId(line),
      JobId: line.jobNumber,
      OpvId: line.opvId,
      OrderId: order.id,
      Type: line.type,
      TypeLetter: typeLetter(line.type),
      ProductId: p.id,
      ProductName: p.name,
      Name: p.name,
      Sku: p.sku,
      ProductTags: [...p.tags],
      Quantity: quantity,
      ShippedQuantity: ['Shipped', 'Delivered'].includes(order.shippingStatus) ? quantity : 0,
      Price: round2(unit * quantity),
      UnitPriceExclTax: round2(unit),
      AttributeSummary: productAttributes.map((a) => `${a.Name}: ${a.Values.map((v) => v.Content).join(', ')}`).join('; '),
      ProductAttributes: productAttributes,
      Variables: line.type === 50 ? [{ Set: 'Default', Items: [{ Name: 'Name', Value: `${order.spec.billingAddress.FirstName} ${order.spec.billingAddress.LastName}` }] }] : null,
      MisConfigurations: [],
      Quote: null,
      OrderProductStatus: status,
      CustomStatus: line.customStatus,
      IsCancelled: line.cancelled || order.orderStatus === 'Cancelled',
      DeliveryType: line.type === 60 ? ['digital'] : ['print'],
      Weight: round2(p.unitWeight * quantity),
      Width: printable ? p.widthMm : 0,
      Height: printable ? p.heightMm : 0,
      NumPages: printable ? p.pages : 0,
      ExtraData: {},
    };
  }

  detailJson(order: OrderRecord): InfigoOrderDetailJson {
    const lines = order.lines.map((l) => this.lineJson(order, l));
    const created = Date.parse(order.spec.createdOnUtc);
    const base = Number.isFinite(created) ? created : Date.now();
    const day = 86_400_000;
    const shipping = SHIPPING_COST[order.spec.shippingMethod] ?? 9.99;
    return {
      Id: order.id,
      OrderGuid: order.guid,
      CreatedOnUtc: order.spec.createdOnUtc,
      OrderStatus: order.orderStatus,
      PaymentStatus: order.paymentStatus,
      ShippingStatus: order.shippingStatus,
      ShippingMethod: order.spec.shippingMethod,
      ShippingMethodExternalId: '',
      PaymentMethod: order.spec.paymentMethod,
      PaymentTransactionId: '',
      PurchaseOrderNumber: order.spec.purchaseOrderNumber,
      ExternalOrderId: order.spec.externalOrderId ?? null,
      VatNumber: '',
      OrderWeight: round2(lines.reduce((s, l) => s + l.Weight, 0) / 1000),
      CustomerId: order.spec.customerId,
      CustomerGuid: order.customerGuid,
      CustomerEmail: order.spec.customerEmail,
      ImpersonatingUserId: 0,
      DispatchBy: isoSeconds(Math.floor(base / day) * day + 2 * day + 17 * 3_600_000),
      DeliverBy: isoSeconds(Math.floor(base / day) * day + 3 * day + 17 * 3_600_000),
      TrackingNumber: order.trackingNumber,
      BillingAddress: { ...order.spec.billingAddress },
      ShippingAddress: { ...order.spec.shippingAddress },
      CheckoutAttributes: order.spec.checkoutAttributes.map((a) => ({ Name: a.Name, Values: a.Values.map((v) => ({ ...v })) })),
      OrderNotes: order.notes.map((n) => ({ ...n })),
      ExtraData: { ...order.extraData },
      OrderTotal: round2(lines.reduce((s, l) => s + l.Price, 0) + shipping),
      CurrencyCode: order.spec.currencyCode,
      OrderLineItems: order.lines.map((l) => l.jobNumber),
    };
  }

  view(order: OrderRecord): SandboxOrderView {
    return {
      storeId: this.id,
      id: order.id,
      kind: order.kind,
      quirks: [...order.quirks],
      detail: this.detailJson(order),
      lines: order.lines.map((l): SandboxLineView => ({
        jobId: fullJobId(l),
        jobNumber: l.jobNumber,
        type: l.type,
        sku: l.product.sku,
        printable: PRINTABLE_TYPES.has(l.type),
        output: l.output,
        file: { ...l.file },
        json: this.lineJson(order, l),
      })),
    };
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export { STOCK_TYPE };
