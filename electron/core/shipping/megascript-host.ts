import vm from 'node:vm';

// A stand-in for Infigo's MegaScript host, built only from members that Infigo's typings
// (types-for-megascript v1) declare. Every host object is a Proxy that throws on any other
// member, so running a script here proves it uses nothing Infigo does not document.
// ExternalApi.Execute performs the real HTTP call (source + action, header, JSON body),
// which is how the self-test calls the quote endpoint exactly the way the script does.
//
// Two generations of the typings are modelled: `newer` (the current repository) and `older`
// (the 1.0.x snapshot, commit a6f7374), which lacks the members listed in NEWER_ONLY. Run as
// `older`, such a member reads as undefined, the way an Infigo whose engine predates it would
// behave: a script must test it (`typeof … === 'function'`) before calling it.
//
// `runApiMegaScript` runs a script the way Infigo runs an API-triggered one (Run.Request in,
// Run.Response out) against orders the caller supplies as objects implementing the declared
// Order interface: the status self-test uses an in-memory order, the sandbox its storefront's.

const D = (s: string) => new Set(s.split(/\s+/).filter(Boolean));

/** Member names per interface, copied from the typings (v1/RunObject/*.d.ts, v1/Shared/*.d.ts). */
export const DECLARED = {
  Run: D(`Request Customers Response TriggerMode MegaScriptInstance Links ExternalApi Products Orders Database UploadLocation
    CartManagement MessageHandler Parse CurrentContext File HotFolder Departments CustomDataCategory Data OrderProductVariants
    MisPlugins EditableContent Configurations PdfHelper GenerateMegaScriptLink Helper RequestTime AddRunLogEntry Progress
    CurrentMessage Die IsExecutionCancelled ExecuteMegaScriptAsync SymphonyStatsStart SymphonyStatsStop`),
  Request: D('Method Form Query Headers Body Files ClientIpAddress Customer Impersonator'),
  Response: D('ReturnText ReturnHtml ReturnData ReturnFile ReturnContent Redirect'),
  ExternalApi: D('Execute Get PostForm PostJson PostRaw'),
  CartManagement: D('AddItemToBasket UpdateShoppingCartItem ClearCart DeleteItemFromBasket GetCartItemCount GetItemsFromBasket'),
  ShoppingCartItemObject: D('Id CustomerId ProductId Quantity DeliveryType Group Attributes ExtraData Type LinkedJob SetExtraData'),
  Products: D('FindById FindByIds FindBySku FindByExternalId FindByTextValue AccessPermission'),
  Product: D(`Id Name ShortDescription FullDescription AdditionalDescription AdminComment Published Deleted Tags Score NumberOfViews
    SkipProductDetailsPage AllowCustomerReviews RequiresApproval HomePageProductOrder ShowOnHomePage CustomProductClass PrintLocation
    AdditionalTabText EmbedVideoCode Preview360 Categories RelatedProducts CrossSells SpecificationAttributes MetaKeywords
    MetaDescription MetaTitle SeName OpenGraphTitle OpenGraphDescription OpenGraphPictureUrl ProductVariant Pictures`),
  ProductVariant: D(`Id Sku Type ProductGroup PriceScript Price OldPrice ProductCost SpecialPrice SpecialPriceStartDateTimeUtc
    SpecialPriceEndDateTimeUtc DisableBuyButton DisableWishlistButton CallForPrice CustomerEntersPrice MinimumCustomerEnteredPrice
    MaximumCustomerEnteredPrice AvailableStartDateTimeUtc AvailableEndDateTimeUtc IsShipEnabled IsFreeShipping AdditionalShippingCharge
    Weight Length Width Height IsTaxExempt TaxCategoryIds ManageInventoryMethod StockQuantity DisplayStockQuantity DisplayStockAvailability
    MinStockQuantity LowStockActivity NotifyAdminForQuantityBelow BackorderMode AllowBackInStockSubscriptions OrderMinimumQuantity
    OrderPackQuantity OrderMaximumQuantity TierPrices HasQuantityBasedPricing UseMultiTierSpread UseInterpolationForTierPricing
    ShowOrderlineTotal Discounts ExternalIds Attributes DeliveryType CanDownloadAsset`),
  ProductAttribute: D('Id Name Label IsRequired ControlType DisplayOrder HideFromCustomer DisplayLocation ExternalIds AttributeValues'),
  ProductAttributeValue: D(`Name FriendlyName PriceAdjustment WeightAdjustment IsPreSelected IsDisabled AdjustmentType ExternalIds
    LengthAdjustment WidthAdjustment HeightAdjustment`),
  Customers: D('Budgets FindById FindByEmail FindByUsername FindByGuid Create Update FindByExternalId StartSearch UpdateExternalId GetDepartment'),
  Customer: D(`Id Guid Username Email Password Active Title Gender FullName FirstName LastName DateOfBirth Custom1 Custom2 Custom3 IsAdmin
    CustomerRoles Department TimeZoneId IsTaxExempt AffiliateId PrintLocationId PrintLocationName AdditionalAttributes PromotionCardNumber
    PromotionCardPoints VatNumber VatNumberStatus CompanyName AddressLine1 AddressLine2 City ZipPostalCode StateProvince Country Phone Fax
    BillingAddress ShippingAddress Addresses WorkflowTrustLevelEnabled WorkflowTrustLevel Approvers BudgetManagers AdminContent CreatedOn
    LastActivityDate LastIpAddress LastVisitedPage MisConfigurations LoginMessage ApplyDefaultStyling NotifyMis`),
  Address: D('Id FirstName LastName FullName CompanyName AddressLine1 AddressLine2 Town ZipPostalCode StateProvince Country Telephone FaxNumber Email MisConfigurations'),
  CurrentContextObject: D(`OutputMode OutputFile JobId ProductId Parameter CallingMegaScriptInstanceId CallingMegaScriptInstanceName QueuedOn
    Event SetResult CreateBackup HasBackup RemoveBackup GetBackup`),
  EventObject: D('Name Parameter Result'),
  Configuration: D('ScriptConfig Parameters'),
  Logger: D('Log LogWithCallback SetLogLevel LogDebug LogInfo LogWarning LogError'),
  Orders: D('FindById FindByOrderProductVariantId StartSearch ValidateRecordOrder RecordOrder SearchOrderByCustomTags SearchOrderProductVariantByCustomTags'),
  Order: D(`Id OrderStatus ShippingStatus PaymentStatus ShippingAddress BillingAddress CustomerId ImpersonatingUserId AdditionalData
    CheckoutAttributes ShippingMethod AssignedDepartmentId OrderNotes OrderLineItems CreatedOnUtc UrlForCustomer TrackingNumber ExtraData
    CustomTag1 CustomTag2 CustomTag3 CustomTag4 CustomData1 DeliverBy DispatchBy CaptureOrder UpdateShippingStatus UpdatePaymentStatus
    GetInvoice GetPackingSlip UpdateCustomData SetTrackingNumber SetStatus Cancel SetExtraData AddOrderNotes`),
  OrderProductVariant: D(`JobProcessingFolderPath OrderId Name Sku Id JobId TypeLetter Type ProductName ProductTags UnitPriceExclTax
    UnitPriceInclTax PriceExclTax PriceInclTax Quantity ShippedQuantity AttributeSummary Attributes Weight ShortDescription AdminComment
    OrderProductStatus NumberOfRecords ProcessingType NumPages PONumber History SpecificationAttributes Product Height Width Length
    IsCancelled Quote CustomTag1 CustomTag2 DeliveryType CustomTag3 CustomTag4 CustomData1 CustomData2 ExtraData GetCustomerEmail
    GetOutputFile SetOutputFile LoadMetaData GetPreviewFile GetJobTicket GetPackingSlip GetInvoice CreateBackup HasBackup RemoveBackup
    GetBackup SetStatus SetCustomStatus SetCustomHiddenStatus GetLatestStatus GetStatusHistory Remove UpdateCustomData ClearJobFolder
    Cancel SetQuantity SetExtraData ReleaseQuoteResources`),
} as const;

/** Members only the newer typings declare (absent from the 1.0.x snapshot): a script must guard them. */
export const NEWER_ONLY: Partial<Record<keyof typeof DECLARED, ReadonlySet<string>>> = {
  CurrentContextObject: D('SetResult ProductId'),
  OrderProductVariant: D('GetCustomerEmail'),
};

/** Which generation of Infigo's MegaScript engine the host plays. */
export type Typings = 'newer' | 'older';

export type Interface = keyof typeof DECLARED;

export class UndeclaredMemberError extends Error {}

const UNDECLARED = '!undeclared ';

const PROBED = '!probed ';

/** Wraps a host object so that only declared members can be read, written or tested with `in`. */
export function strict<T extends object>(iface: Interface, target: T, touched: Set<string>, typings: Typings = 'newer'): T {
  const absent = typings === 'older' ? NEWER_ONLY[iface] : undefined;
  const declared = DECLARED[iface];
  return new Proxy(target, {
    get(t, prop, recv) {
      if (typeof prop === 'symbol') return Reflect.get(t, prop, recv);
      if (absent?.has(prop)) {
        // An older Infigo has no such member: reading it gives undefined, calling it fails.
        touched.add(`${PROBED}${iface}.${prop}`);
        return undefined;
      }
      if (!declared.has(prop)) {
        touched.add(`${UNDECLARED}${iface}.${prop}`);
        throw new UndeclaredMemberError(`The script used ${iface}.${prop}, which Infigo's MegaScript typings do not declare.`);
      }
      touched.add(`${iface}.${prop}`);
      return Reflect.get(t, prop, recv);
    },
    set(t, prop, value) {
      if (typeof prop === 'string' && !declared.has(prop)) {
        touched.add(`${UNDECLARED}${iface}.${prop}`);
        throw new UndeclaredMemberError(`The script set ${iface}.${prop}, which Infigo's MegaScript typings do not declare.`);
      }
      return Reflect.set(t, prop, value);
    },
    has(t, prop) {
      return typeof prop === 'string' ? declared.has(prop) && !absent?.has(prop) : Reflect.has(t, prop);
    },
  });
}

export interface HostAddress {
  FirstName: string;
  LastName: string;
  CompanyName?: string;
  AddressLine1: string;
  AddressLine2?: string;
  Town: string;
  ZipPostalCode: string;
  StateProvince?: string | null;
  Country: string;
  Telephone?: string;
  Email?: string;
}

export interface HostProduct {
  id: number;
  sku: string;
  /** In Infigo's base weight unit (kg with the default weightUnitGrams). */
  weight: number;
  /** MegaScript ProductType, by declaration index (7 = PdfStatic). */
  type: number;
  attributes?: { name: string; values: { name: string; weightAdjustment: number }[] }[];
}

export interface HostScenario {
  config: unknown;
  customer: { id: number; email: string; address: HostAddress };
  cart: { productId: number; quantity: number; attributes?: Record<string, string>; deliveryType?: string[] }[];
  products: HostProduct[];
  /** 'event': the hook passes CustomerId in Event.Parameter; 'request': only Run.Request.Customer. */
  mode?: 'event' | 'request';
  /** Which generation of Infigo the host plays (default `newer`). */
  typings?: Typings;
  timeoutMs?: number;
}

export interface HostRun {
  /** What the script sent: URL, headers, JSON body. */
  request: { url: string; headers: Record<string, string>; body: unknown } | null;
  status: number | null;
  /** ReturnData's content, parsed. */
  returned: { shippingOptions: { name: string; description: string; price: number; currency: string; code: string }[]; errors: string[] } | null;
  eventResult: Record<string, unknown>;
  setResult: { isSuccess: boolean; message: string } | null;
  logs: string[];
  touched: string[];
  /** Members the script reached for that the typings do not declare (must be empty). */
  violations: string[];
  /** Newer-only members the script looked for on an `older` host (it must have guarded them). */
  probed: string[];
  latencyMs: number | null;
}

function joinUrl(source: string, action: string): string {
  if (!action) return source;
  return `${source.replace(/\/+$/, '')}/${action.replace(/^\/+/, '')}`;
}

/** Runs a MegaScript source once against the scenario; resolves when the script hands its result back. */
export async function runMegaScript(source: string, sc: HostScenario): Promise<HostRun> {
  const touched = new Set<string>();
  const typings = sc.typings ?? 'newer';
  const out: HostRun = { request: null, status: null, returned: null, eventResult: {}, setResult: null, logs: [], touched: [], violations: [], probed: [], latencyMs: null };
  let finish!: () => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  let settled = 0;
  const settle = () => {
    // The script reports through SetResult and ReturnData; both count as "handed back" (an
    // older Infigo has no SetResult, so there ReturnData alone does).
    if (++settled >= (typings === 'older' ? 1 : 2)) finish();
  };

  const address = (a: HostAddress) => strict('Address', { Id: 1, FullName: `${a.FirstName} ${a.LastName}`, FaxNumber: '', MisConfigurations: [], CompanyName: '', AddressLine2: '', StateProvince: null, Telephone: '', Email: '', ...a }, touched);
  const customer = strict('Customer', { Id: sc.customer.id, Email: sc.customer.email, ShippingAddress: address(sc.customer.address), BillingAddress: address(sc.customer.address) }, touched);
  const products = new Map(
    sc.products.map((p) => [
      p.id,
      strict(
        'Product',
        {
          Id: p.id,
          Name: p.sku,
          ProductVariant: strict(
            'ProductVariant',
            {
              Id: p.id,
              Sku: p.sku,
              Type: p.type,
              Weight: p.weight,
              Attributes: (p.attributes ?? []).map((a) =>
                strict('ProductAttribute', { Id: 0, Name: a.name, AttributeValues: a.values.map((v) => strict('ProductAttributeValue', { Name: v.name, WeightAdjustment: v.weightAdjustment }, touched)) }, touched),
              ),
            },
            touched,
          ),
        },
        touched,
      ),
    ]),
  );
  const cartItems = sc.cart.map((c, i) =>
    strict('ShoppingCartItemObject', { Id: i + 1, CustomerId: sc.customer.id, ProductId: c.productId, Quantity: c.quantity, Attributes: { ...(c.attributes ?? {}) }, ExtraData: {}, DeliveryType: c.deliveryType ?? ['print'], Type: 1 }, touched),
  );
  const event = strict('EventObject', { Name: 'Presslink.ShippingQuote', Parameter: sc.mode === 'request' ? {} : { CustomerId: sc.customer.id }, Result: out.eventResult }, touched);
  const Run = strict(
    'Run',
    {
      Request: strict('Request', { Method: 'POST', Customer: customer, Headers: {}, Query: {}, Form: {}, Body: '' }, touched),
      Customers: strict('Customers', { FindById: (id: number) => (id === sc.customer.id ? customer : null) }, touched),
      CartManagement: strict('CartManagement', { GetItemsFromBasket: (c: unknown) => (c === customer || c === sc.customer.id ? cartItems : []) }, touched),
      Products: strict('Products', { FindById: (id: number) => products.get(id) ?? null }, touched),
      CurrentContext: strict(
        'CurrentContextObject',
        {
          Event: event,
          Parameter: {},
          SetResult: (isSuccess: boolean, message: string) => {
            out.setResult = { isSuccess, message };
            settle();
          },
        },
        touched,
        typings,
      ),
      Response: strict(
        'Response',
        {
          ReturnData: (content: string, _type: string, status?: number) => {
            out.status = status ?? 200;
            try {
              out.returned = JSON.parse(content) as HostRun['returned'];
            } catch (e) {
              fail(e);
            }
            settle();
          },
        },
        touched,
      ),
      ExternalApi: strict(
        'ExternalApi',
        {
          Execute: (x: { source: string; action: string; header: Record<string, string>; query: Record<string, string>; body: unknown; raw: string; sendAsForm?: boolean }, cb: (r: string) => void) => {
            const url = new URL(joinUrl(x.source, x.action));
            for (const [k, v] of Object.entries(x.query ?? {})) url.searchParams.set(k, String(v));
            // JSON.parse(JSON.stringify()) copies the body out of the script's realm.
            const body = x.raw ? x.raw : JSON.stringify(x.body);
            out.request = { url: url.toString(), headers: { ...x.header }, body: JSON.parse(body) };
            const started = performance.now();
            fetch(url, { method: 'POST', headers: x.header, body, signal: AbortSignal.timeout(sc.timeoutMs ?? 10_000) })
              .then(async (r) => {
                const textBody = await r.text();
                out.latencyMs = Math.round((performance.now() - started) * 10) / 10;
                // An error thrown by the script's callback ends the run, as Infigo would end the script.
                try {
                  cb(textBody);
                } catch (e) {
                  fail(e);
                }
              })
              .catch((e: Error) => {
                out.latencyMs = Math.round((performance.now() - started) * 10) / 10;
                // The typings give the callback only the response text; a transport failure reaches it as empty text.
                out.logs.push(`transport error: ${e.message}`);
                try {
                  cb('');
                } catch (err) {
                  fail(err);
                }
              });
          },
        },
        touched,
      ),
    },
    touched,
  );
  const Configuration = strict('Configuration', { ScriptConfig: () => sc.config, Parameters: () => null }, touched);
  const log = (level: string) => (m: string) => out.logs.push(`${level}: ${m}`);
  const Logger = strict('Logger', { LogError: log('error'), LogWarning: log('warning'), LogInfo: log('info'), LogDebug: log('debug') }, touched);

  const context = vm.createContext({ Run, Configuration, Logger });
  const timer = setTimeout(() => fail(new Error('The script did not hand back a result in time.')), (sc.timeoutMs ?? 10_000) + 1_000);
  try {
    new vm.Script(source, { filename: 'presslink-shipping.megascript.js' }).runInContext(context, { timeout: 2_000 });
    await done;
  } finally {
    clearTimeout(timer);
  }
  out.touched = [...touched].filter((t) => !t.startsWith(UNDECLARED) && !t.startsWith(PROBED)).sort();
  out.violations = [...touched].filter((t) => t.startsWith(UNDECLARED)).map((t) => t.slice(UNDECLARED.length));
  out.probed = [...touched].filter((t) => t.startsWith(PROBED)).map((t) => t.slice(PROBED.length));
  return out;
}

// ---- API-triggered scripts ------------------------------------------------------------------

/** An HTTP request as Infigo hands it to an API-triggered script (Run.Request). */
export interface ApiRequest {
  method: string;
  headers: Record<string, string>;
  body: string;
  query?: Record<string, string>;
}

export interface ApiScenario {
  config: unknown;
  request: ApiRequest;
  /** Run.Orders.FindById: an object implementing the declared Order interface (data and methods), or null. */
  findOrder: (id: number) => Record<string, unknown> | null;
  typings?: Typings;
  timeoutMs?: number;
}

export interface ApiRun {
  /** What the script answered through Run.Response (null when it answered nothing). */
  status: number | null;
  contentType: string | null;
  body: string | null;
  logs: string[];
  touched: string[];
  violations: string[];
  probed: string[];
}

/** An order as the script sees it: declared members only, its lines declared as OrderProductVariant. */
function hostOrder(o: Record<string, unknown>, touched: Set<string>, typings: Typings): Record<string, unknown> {
  const withLines = new Proxy(o, {
    get(t, prop, recv) {
      const v = Reflect.get(t, prop, recv) as unknown;
      if (prop === 'OrderLineItems' && Array.isArray(v)) return v.map((l: object) => strict('OrderProductVariant', l, touched, typings));
      return v;
    },
  });
  return strict('Order', withLines, touched, typings);
}

/** Runs a script as Infigo runs an API-triggered MegaScript: one request in, one answer out. */
export function runApiMegaScript(source: string, sc: ApiScenario): ApiRun {
  const typings = sc.typings ?? 'newer';
  const touched = new Set<string>();
  const out: ApiRun = { status: null, contentType: null, body: null, logs: [], touched: [], violations: [], probed: [] };
  const answer = (body: string, contentType: string, status = 200) => {
    if (out.status !== null) return; // the first answer is the one Infigo sends
    out.status = status;
    out.contentType = contentType;
    out.body = String(body);
  };
  const Run = strict(
    'Run',
    {
      Request: strict('Request', { Method: sc.request.method, Headers: { ...sc.request.headers }, Body: sc.request.body, Query: { ...(sc.request.query ?? {}) }, Form: {}, Files: [], ClientIpAddress: '127.0.0.1', Customer: null, Impersonator: null }, touched, typings),
      Response: strict(
        'Response',
        {
          ReturnData: (content: string, contentType: string, status?: number) => answer(content, contentType, status ?? 200),
          ReturnText: (text: string) => answer(text, 'text/plain'),
        },
        touched,
        typings,
      ),
      Orders: strict(
        'Orders',
        {
          FindById: (id: number) => {
            const o = sc.findOrder(Number(id));
            return o ? hostOrder(o, touched, typings) : null;
          },
        },
        touched,
        typings,
      ),
    },
    touched,
    typings,
  );
  const Configuration = strict('Configuration', { ScriptConfig: () => sc.config, Parameters: () => null }, touched, typings);
  const log = (level: string) => (m: string) => out.logs.push(`${level}: ${m}`);
  const Logger = strict('Logger', { LogError: log('error'), LogWarning: log('warning'), LogInfo: log('info'), LogDebug: log('debug') }, touched, typings);
  const context = vm.createContext({ Run, Configuration, Logger });
  new vm.Script(source, { filename: 'presslink-status.megascript.js' }).runInContext(context, { timeout: sc.timeoutMs ?? 2_000 });
  out.touched = [...touched].filter((t) => !t.startsWith(UNDECLARED) && !t.startsWith(PROBED)).sort();
  out.violations = [...touched].filter((t) => t.startsWith(UNDECLARED)).map((t) => t.slice(UNDECLARED.length));
  out.probed = [...touched].filter((t) => t.startsWith(PROBED)).map((t) => t.slice(PROBED.length));
  return out;
}
