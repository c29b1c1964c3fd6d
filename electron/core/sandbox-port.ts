import type { ConfigInput } from '../../shared/config';

// "Try with the sandbox" needs simulated services, but the engine must not carry
// them: production core never imports electron/sandbox (a layer rule proves it).
// The shells (CLI, desktop, tests) hand the engine a launcher that implements
// this port; an engine without one says plainly that sandbox mode is unavailable.

/** One order line of a test order placed in the simulated storefront. */
export interface SandboxTestLine {
  sku: string;
  quantity: number;
  attributes?: Record<string, string>;
}

export interface SandboxTestOrder {
  lines: SandboxTestLine[];
  orderStatus: string;
  paymentStatus: string;
  shippingStatus: string;
  shippingMethod: string;
}

/** A print file as the simulated GelatoConnect tenant fetched it. */
export interface SandboxFetchedFile {
  itemReferenceId: string;
  status: string;
  bytes: number | null;
  sha256: string | null;
  /** Why the tenant refused the file, when it did. */
  problem: string | null;
}

/** Simulated Infigo storefronts and a GelatoConnect tenant, running until closed. */
export interface SandboxSession {
  infigoUrl: string;
  gelatoUrl: string;
  /** The simulated storefronts' ids. */
  storeIds: string[];
  /** A complete Presslink configuration for these services (secrets inline: import moves them to the secret store). */
  connection(publicBaseUrl: string): ConfigInput & { stores: NonNullable<ConfigInput['stores']> };
  /** Places an order in a storefront; returns its Infigo order id. */
  placeOrder(storeId: string, order: SandboxTestOrder): number;
  /** Resolves when the tenant has fetched and checked the order's files. */
  waitForFilesSettled(gelatoOrderId: string, timeoutMs: number): Promise<{ status: string; failureReason: string | null }>;
  gelatoOrder(gelatoOrderId: string): { status: string; files: SandboxFetchedFile[] } | undefined;
  /** Moves a GelatoConnect order to a later status (and sends its postbacks). */
  advance(gelatoOrderId: string, status: 'in_production' | 'shipped' | 'delivered'): Promise<void>;
  /** What the storefront received as status/tracking writes for an order, and its status now. */
  infigoWrites(storeId: string, infigoOrderId: number): { at: string; changes: unknown }[];
  infigoOrder(storeId: string, infigoOrderId: number): { OrderStatus?: string; ShippingStatus?: string; TrackingNumber?: string | null } | undefined;
  close(): Promise<void>;
}

export interface SandboxLauncher {
  start(opts: { stores: number; ordersPerStore: number }): Promise<SandboxSession>;
}
