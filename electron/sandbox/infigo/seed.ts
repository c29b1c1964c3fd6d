/**
 * Seeded, realistic-looking orders for the sandbox storefront.
 *
 * Each order is a pure function of (seed, store id, order index), so order 90 000 of a
 * 100 000-order store can be produced without producing the others, and the same seed always
 * gives the same orders. The mix (≈70 % printable only, 15 % mixed, 10 % stock only, 5 % odd)
 * exercises the engine's classification, mapping and "needs attention" paths.
 */
import { rngFor, type Rng } from '../random';
import { PRINTABLE_PRODUCTS, STOCK_PRODUCTS, productBySku, type CatalogueProduct } from './catalogue';
import type { InfigoAddressJson, SandboxLineSpec, SandboxOrderKind, SandboxOrderSpec } from './types';

export const SHIPPING_METHODS = ['First Class', 'Second Class', 'Express', 'Collect'] as const;
export const UNKNOWN_SHIPPING_METHOD = 'Pigeon Post';

interface CountryData {
  iso2: string;
  name: string;
  phone: string;
  people: [string, string][];
  companies: string[];
  streets: string[];
  places: [town: string, zip: (rng: Rng) => string, state: string][];
}

const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');

const L = (rng: Rng) => String.fromCharCode(65 + rng.int(0, 25));

const COUNTRIES: CountryData[] = [
    {
      iso2: 'GB', name: 'United Kingdom', phone: '+44 20 ',
      people: [['Ann', 'Lee'], ['Oliver', 'Hughes'], ['Priya', 'Patel'], ['Siobhán', "O'Neill"], ['Łukasz', 'Żółć'], ['Gareth', 'Evans'], ['Chloe', 'Baker']],
      companies: ['Acme Ltd', 'Hughes & Daughters', 'Brightside Events Ltd', '', ''],
      streets: ['High Street', 'Mill Lane', 'Station Road', 'Church Walk', 'Belgrave House'],
      places: [['Crawley', (rng) => `RH10 ${rng.int(1, 9)}${L(rng)}${L(rng)}`, 'West Sussex'], ['Manchester', (rng) => `M${rng.int(1, 40)} ${rng.int(1, 9)}${L(rng)}${L(rng)}`, 'Greater Manchester'], ['Bristol', (rng) => `BS${rng.int(1, 16)} ${rng.int(1, 9)}${L(rng)}${L(rng)}`, 'Bristol'], ['Leeds', (rng) => `LS${rng.int(1, 28)} ${rng.int(1, 9)}${L(rng)}${L(rng)}`, 'West Yorkshire']],
    },
    {
      iso2: 'IT', name: 'Italy', phone: '+39 02 ',
      people: [['Giulia', 'Rossi'], ['Niccolò', 'Bianchi'], ['Chiara', 'Esposito'], ['Lorenzo', 'De Luca']],
      companies: ['Studio Verdi S.r.l.', 'Tipografia Ferri', ''],
      streets: ['Via Roma', 'Corso Venezia', 'Via Garibaldi', 'Piazza Duomo'],
      places: [['Milano', (rng) => `201${digits(rng, 2)}`, 'MI'], ['Torino', (rng) => `101${digits(rng, 2)}`, 'TO'], ['Bologna', (rng) => `401${digits(rng, 2)}`, 'BO']],
    },
    {
      iso2: 'DE', name: 'Germany', phone: '+49 30 ',
      people: [['Zoë', 'Müller'], ['Jürgen', 'Weiß'], ['Anna', 'Schmidt'], ['Mehmet', 'Öztürk']],
      companies: ['Bäckerei Schmidt GmbH', 'Weiß & Partner KG', ''],
      streets: ['Hauptstraße', 'Bahnhofstraße', 'Schillerstraße', 'Gartenweg'],
      places: [['Berlin', (rng) => `10${digits(rng, 3)}`, 'Berlin'], ['München', (rng) => `80${digits(rng, 3)}`, 'Bayern'], ['Köln', (rng) => `50${digits(rng, 3)}`, 'Nordrhein-Westfalen']],
    },
    {
      iso2: 'FR', name: 'France', phone: '+33 1 ',
      people: [['Amélie', 'Dubois'], ['François', 'Lefèvre'], ['Inès', 'Moreau'], ['Théo', 'Garnier']],
      companies: ['Atelier Lefèvre SARL', 'Café des Arts', ''],
      streets: ['Rue de la Paix', 'Avenue Victor Hugo', 'Boulevard Saint-Michel', 'Rue des Écoles'],
      places: [['Paris', (rng) => `750${String(rng.int(1, 20)).padStart(2, '0')}`, 'Île-de-France'], ['Lyon', (rng) => `6900${rng.int(1, 9)}`, 'Auvergne-Rhône-Alpes'], ['Nantes', (rng) => `44${digits(rng, 3)}`, 'Pays de la Loire']],
    },
    {
      iso2: 'US', name: 'United States', phone: '+1 212 ',
      people: [['Jamal', 'Carter'], ['Emily', 'Chen'], ['José', 'Ramírez'], ['Madison', 'Brooks']],
      companies: ['Carter Creative LLC', 'Brooks Realty Inc.', ''],
      streets: ['Main Street', 'Maple Avenue', 'Broadway', 'Oak Drive'],
      places: [['New York', (rng) => `100${digits(rng, 2)}`, 'NY'], ['Austin', (rng) => `787${digits(rng, 2)}`, 'TX'], ['Portland', (rng) => `972${digits(rng, 2)}`, 'OR']],
    },
    {
      iso2: 'NL', name: 'Netherlands', phone: '+31 20 ',
      people: [['Daan', 'de Vries'], ['Sanne', 'van den Berg'], ['Bram', 'Jansen'], ['Fenna', 'Bakker']],
      companies: ['Drukkerij Jansen B.V.', 'Van den Berg Design', ''],
      streets: ['Keizersgracht', 'Prinsengracht', 'Stationsplein', 'Kerkstraat'],
      places: [['Amsterdam', (rng) => `10${rng.int(11, 99)} ${L(rng)}${L(rng)}`, 'Noord-Holland'], ['Utrecht', (rng) => `35${rng.int(11, 99)} ${L(rng)}${L(rng)}`, 'Utrecht'], ['Rotterdam', (rng) => `30${rng.int(11, 99)} ${L(rng)}${L(rng)}`, 'Zuid-Holland']],
    },
];

function emailFor(first: string, last: string, company: string, n: number): string {
  const clean = (s: string) =>
    s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[łŁ]/g, 'l').toLowerCase().replace(/[^a-z0-9]+/g, '');
  const domain = company ? `${clean(company).slice(0, 16)}.example` : 'mail.example';
  return `${clean(first)}.${clean(last)}${n % 3 === 0 ? n % 100 : ''}@${domain}`;
}

export interface SandboxCustomer {
  id: number;
  guid: string;
  email: string;
  address: InfigoAddressJson;
}

/** Customers are generated by index, so repeat buyers recur across orders. */
export function customerFor(seed: number, storeId: string, index: number): SandboxCustomer {
  const rng = rngFor(seed, storeId, 'customer', index);
  const country = rng.weighted(COUNTRIES.map((c) => [c, c.iso2 === 'GB' ? 4 : c.iso2 === 'US' ? 1.5 : 1] as const));
  const [first, last] = rng.pick(country.people);
  const company = rng.pick(country.companies);
  const [town, zip, state] = rng.pick(country.places);
  const email = emailFor(first, last, company, index);
  const address: InfigoAddressJson = {
    FirstName: first,
    LastName: last,
    CompanyName: company,
    AddressLine1: country.iso2 === 'GB' || country.iso2 === 'US' ? `${rng.int(1, 180)} ${rng.pick(country.streets)}` : `${rng.pick(country.streets)} ${rng.int(1, 180)}`,
    AddressLine2: rng.chance(0.2) ? `Unit ${rng.int(1, 30)}` : '',
    Town: town,
    ZipPostalCode: zip(rng),
    StateProvince: state,
    // Both spellings occur in Infigo examples; most stores hold ISO codes.
    Country: rng.chance(0.15) ? country.name : country.iso2,
    Telephone: `${country.phone}${digits(rng, 4)} ${digits(rng, 4)}`,
    FaxNumber: '',
    Email: email,
  };
  return { id: 4000 + index, guid: rng.guid(), email, address };
}

export interface GeneratedOrder {
  kind: SandboxOrderKind;
  quirks: string[];
  spec: SandboxOrderSpec;
}

/** Seeded orders are spread over the weeks before this fixed instant so runs are repeatable. */
export const SEED_ANCHOR_MS = Date.UTC(2026, 10, 27, 17, 0, 0);

export function seededCreatedOn(index: number, total: number): string {
  const span = Math.min(Math.max(total, 1) * 20 * 60_000, 60 * 86_400_000);
  const step = span / Math.max(total, 1);
  const jitter = rngFor(index, 'created').next() * step * 0.8;
  return new Date(SEED_ANCHOR_MS - span + index * step + jitter).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function lineFor(rng: Rng, product: CatalogueProduct): SandboxLineSpec {
  const attributes: Record<string, string> = {};
  for (const a of product.attributes) attributes[a.name] = rng.pick(a.values).name;
  return { sku: product.sku, quantity: rng.pick(product.quantities), attributes };
}

/**
 * The spec of seeded order `index`. `customerPool` bounds how many distinct customers exist;
 * `createdOnUtc` is given by the caller so added orders can use the real clock.
 */
export function generateOrder(seed: number, storeId: string, index: number, customerPool: number, createdOnUtc: string, kindHint?: SandboxOrderKind): GeneratedOrder {
  const rng = rngFor(seed, storeId, 'order', index);
  const kind: SandboxOrderKind = kindHint ?? rng.weighted<SandboxOrderKind>([['printable', 70], ['mixed', 15], ['stock', 10], ['odd', 5]]);
  const quirks: string[] = [];
  const lineCount = rng.weighted([[1, 55], [2, 30], [3, 15]] as const);
  const lines: SandboxLineSpec[] = [];
  const distinct = (pool: CatalogueProduct[]) => {
    const unused = pool.filter((p) => !lines.some((l) => l.sku === p.sku));
    return rng.pick(unused.length > 0 ? unused : pool);
  };

  switch (kind) {
    case 'printable':
    case 'added':
      for (let i = 0; i < lineCount; i++) lines.push(lineFor(rng, distinct(PRINTABLE_PRODUCTS)));
      break;
    case 'mixed': {
      const n = Math.max(2, lineCount);
      lines.push(lineFor(rng, distinct(PRINTABLE_PRODUCTS)));
      lines.push(lineFor(rng, distinct(STOCK_PRODUCTS)));
      if (n > 2) lines.push(lineFor(rng, distinct(rng.chance(0.5) ? PRINTABLE_PRODUCTS : STOCK_PRODUCTS)));
      break;
    }
    case 'stock':
      for (let i = 0; i < lineCount; i++) lines.push(lineFor(rng, distinct(STOCK_PRODUCTS)));
      break;
    case 'odd':
      lines.push(lineFor(rng, distinct(PRINTABLE_PRODUCTS)));
      break;
  }

  const customer = customerFor(seed, storeId, rng.int(0, Math.max(0, customerPool - 1)));
  const shippingAddress: InfigoAddressJson = { ...customer.address };
  // Most buyers ship to their billing address; some ship to a colleague or a venue.
  if (rng.chance(0.2)) {
    const other = customerFor(seed, storeId, customerPool + rng.int(0, 999)).address;
    Object.assign(shippingAddress, { ...other, Email: customer.email });
  }
  let shippingMethod: string = rng.weighted([['First Class', 40], ['Second Class', 30], ['Express', 20], ['Collect', 10]] as const);

  if (kind === 'odd') {
    const odd = rng.pick(['unsupported-line', 'missing-address-field', 'unknown-shipping', 'empty-attributes'] as const);
    if (odd === 'unsupported-line') {
      lines.push({ sku: 'SMS-CAMPAIGN', quantity: 500, attributes: {} });
      quirks.push('has an unsupported product type (60, SMS)');
    } else if (odd === 'missing-address-field') {
      const field = rng.pick(['ZipPostalCode', 'Town', 'AddressLine1'] as const);
      if (field === 'AddressLine1') shippingAddress.AddressLine1 = '';
      else shippingAddress[field] = rng.chance(0.5) ? null : '';
      quirks.push(`shipping address lacks ${field}`);
    } else if (odd === 'unknown-shipping') {
      shippingMethod = UNKNOWN_SHIPPING_METHOD;
      quirks.push(`unknown shipping method "${UNKNOWN_SHIPPING_METHOD}"`);
    } else {
      const first = lines[0];
      if (first) first.emptyAttributes = true;
      quirks.push('ProductAttributes empty on a line (known Infigo gap)');
    }
  }

  const orderStatus = rng.weighted([['Pending', 45], ['Processing', 50], ['Cancelled', 4], ['Complete', 1]] as const);
  const paymentStatus = orderStatus === 'Cancelled' ? rng.pick(['Voided', 'Pending'] as const) : rng.weighted([['Paid', 92], ['Pending', 5], ['Authorized', 3]] as const);
  const shippingStatus = orderStatus === 'Complete' ? 'Shipped' : 'NotYetShipped';
  const paymentMethod = rng.weighted([['Credit Card', 60], ['Purchase Order', 30], ['Invoice', 10]] as const);

  const checkoutAttributes = rng.chance(0.3) ? [{ Name: 'Cost Center', Values: [{ Content: String(rng.int(1000, 9999)) }] }] : [];
  if (rng.chance(0.15)) checkoutAttributes.push({ Name: 'Delivery instructions', Values: [{ Content: rng.pick(['Leave at reception', 'Call on arrival', 'Ring twice — back door']) }] });

  return {
    kind,
    quirks,
    spec: {
      createdOnUtc,
      orderStatus,
      paymentStatus,
      shippingStatus,
      shippingMethod,
      paymentMethod,
      purchaseOrderNumber: paymentMethod === 'Purchase Order' ? `PO-${rng.int(10000, 99999)}` : '',
      customerId: customer.id,
      customerEmail: customer.email,
      shippingAddress,
      billingAddress: customer.address,
      checkoutAttributes,
      currencyCode: 'GBP',
      lines,
    },
  };
}

export function productForLine(line: SandboxLineSpec): CatalogueProduct | undefined {
  return productBySku(line.sku);
}
