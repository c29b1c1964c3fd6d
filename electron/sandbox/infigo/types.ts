/**
 * Types of the simulated Infigo storefront. The `Infigo*Json` shapes are what the REST routes
 * serve (PascalCase, as the reference's §12 examples); the `Sandbox*` shapes are the simulator's
 * own inspection and control API.
 */

export interface InfigoAddressJson {
  FirstName: string;
  LastName: string;
  CompanyName: string;
  AddressLine1: string;
  AddressLine2: string;
  Town: string | null;
  ZipPostalCode: string | null;
  StateProvince: string;
  /** ISO 3166-1 alpha-2 most of the time, sometimes the country's English name (both occur). */
  Country: string;
  Telephone: string;
  FaxNumber: string;
  Email: string;
}

export interface InfigoNameValuesJson {
  Name: string;
  Values: { Content: string }[];
}

export interface InfigoOrderNoteJson {
  Note: string;
  DisplayToCustomer: boolean;
  CreatedOnUtc: string;
}

export interface InfigoOrderDetailJson {
  Id: number;
  OrderGuid: string;
  CreatedOnUtc: string;
  OrderStatus: string;
  PaymentStatus: string;
  ShippingStatus: string;
  ShippingMethod: string;
  ShippingMethodExternalId: string;
  PaymentMethod: string;
  PaymentTransactionId: string;
  PurchaseOrderNumber: string;
  ExternalOrderId: string | null;
  VatNumber: string;
  /** Kilograms. */
  OrderWeight: number;
  CustomerId: number;
  CustomerGuid: string;
  CustomerEmail: string;
  ImpersonatingUserId: number;
  DispatchBy: string;
  DeliverBy: string;
  TrackingNumber: string | null;
  BillingAddress: InfigoAddressJson;
  ShippingAddress: InfigoAddressJson;
  CheckoutAttributes: InfigoNameValuesJson[];
  OrderNotes: InfigoOrderNoteJson[];
  ExtraData: Record<string, string>;
  OrderTotal: number;
  CurrencyCode: string;
  /** Numeric job ids. */
  OrderLineItems: number[];
}

export interface InfigoProductAttributeJson {
  Id: number;
  Name: string;
  Values: { Id: string; Content: string }[];
}

export interface InfigoOrderLineJson {
  /** Full job id: type letter + number for printable jobs, the plain number for stock lines. */
  Id: string;
  JobId: number;
  OpvId: number;
  OrderId: number;
  Type: number;
  TypeLetter: string;
  ProductId: number;
  ProductName: string;
  Name: string;
  Sku: string;
  ProductTags: string[];
  Quantity: number;
  ShippedQuantity: number;
  Price: number;
  UnitPriceExclTax: number;
  AttributeSummary: string;
  ProductAttributes: InfigoProductAttributeJson[];
  Variables: { Set: string; Items: { Name: string; Value: string }[] }[] | null;
  MisConfigurations: unknown[];
  Quote: { Id: number } | null;
  OrderProductStatus: string;
  CustomStatus: string | null;
  IsCancelled: boolean;
  DeliveryType: string[];
  /** Grams for the whole line. */
  Weight: number;
  /** Trim size in millimetres (0 for stock items). */
  Width: number;
  Height: number;
  NumPages: number;
  ExtraData: Record<string, string>;
}

/** One line of an order to create (addOrder overrides or seeded). */
export interface SandboxLineSpec {
  /** A catalogue SKU (see catalogue.ts); unknown SKUs become a custom printable product. */
  sku: string;
  quantity?: number;
  /** Attribute name → chosen value; defaults to the product's first values. */
  attributes?: Record<string, string>;
  /** Overrides the product's type (e.g. 60 for an unsupported line). */
  type?: number;
  /** Printable lines only: output must be created with createoutputfor before download works. */
  needsOutput?: boolean;
  /** Simulate the known real-world gap where ProductAttributes comes back empty. */
  emptyAttributes?: boolean;
  /** Size of the print file; defaults to the sandbox's pdfBytes. */
  pdfBytes?: number;
}

export interface SandboxOrderSpec {
  createdOnUtc: string;
  orderStatus: string;
  paymentStatus: string;
  shippingStatus: string;
  shippingMethod: string;
  paymentMethod: string;
  purchaseOrderNumber: string;
  customerId: number;
  customerEmail: string;
  shippingAddress: InfigoAddressJson;
  billingAddress: InfigoAddressJson;
  checkoutAttributes: InfigoNameValuesJson[];
  currencyCode: string;
  /** Set by RecordOrder; null for storefront orders. */
  externalOrderId?: string | null;
  lines: SandboxLineSpec[];
}

export type SandboxOrderKind = 'printable' | 'mixed' | 'stock' | 'odd' | 'added';

export type OutputState = 'none' | 'pending' | 'creating' | 'ready';

export type LineFileKind = 'pdf' | 'empty' | 'not-pdf' | 'missing';

export interface SandboxLineView {
  /** Full job id as used in routes ("s10234" or "10236"). */
  jobId: string;
  jobNumber: number;
  type: number;
  sku: string;
  /** Type is one of 20/30/40/50/80 (has a print file). */
  printable: boolean;
  output: OutputState;
  file: { kind: LineFileKind; bytes: number };
  /** What orderlineitem/get serves for this line right now. */
  json: InfigoOrderLineJson;
}

export interface SandboxOrderView {
  storeId: string;
  id: number;
  kind: SandboxOrderKind;
  /** Short notes on deliberately odd data ("unknown shipping method", ...). */
  quirks: string[];
  /** What order/detail serves right now (status writes applied). */
  detail: InfigoOrderDetailJson;
  lines: SandboxLineView[];
}

/** rest-sim: the simulator-only REST route; megascript-sim: the simulator's own stand-in script;
 *  megascript: a script installed in the sandbox (e.g. Presslink's generated one) run on the order object. */
export type StatusWriteVia = 'rest-sim' | 'megascript-sim' | 'megascript';

/**
 * Runs an API-triggered MegaScript the way Infigo would (SIMULATOR-ONLY plumbing): the sandbox has
 * no MegaScript engine of its own, so whoever starts it hands one in (the tests use Presslink's
 * MegaScript host). `findOrder` gives objects implementing Infigo's Order interface over the
 * storefront's orders.
 */
export type SandboxMegaScriptRunner = (
  script: { source: string; config: unknown },
  request: { method: string; headers: Record<string, string>; body: string; query: Record<string, string> },
  findOrder: (id: number) => Record<string, unknown> | null,
) => Promise<{ status: number; contentType: string; body: string }> | { status: number; contentType: string; body: string };

export interface StatusWriteChanges {
  OrderStatus?: string;
  ShippingStatus?: string;
  PaymentStatus?: string;
  TrackingNumber?: string;
  TrackingUrl?: string;
  Carrier?: string;
  Note?: string;
  LineStatuses?: { JobId: string; Status: string }[];
}

export interface StatusWrite {
  seq: number;
  at: string;
  storeId: string;
  orderId: number;
  via: StatusWriteVia;
  /** As received, with status names normalised to their canonical spelling. */
  changes: StatusWriteChanges;
  /** Order state after the write. */
  after: { OrderStatus: string; ShippingStatus: string; PaymentStatus: string; TrackingNumber: string | null };
}

export interface RequestRecord {
  seq: number;
  at: string;
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  storeId: string | null;
  /** The Range request header, if any. */
  range: string | null;
  status: number;
  /** Body bytes handed to the socket (for streamed files: bytes actually produced). */
  bytesSent: number;
  durationMs: number;
  /** False when the response ended before the full body was sent (client abort, fault). */
  completed: boolean;
}
