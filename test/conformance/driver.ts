/**
 * What the conformance suite needs from a platform: its simulator, a shop config pointing at it, and a
 * few shop-side actions. Each platform implements this in its own file (drivers/<platform>.ts) with the
 * simulator's own vocabulary; the suite itself never names a platform.
 */
export interface AddressInput {
  firstName: string;
  lastName: string;
  company?: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  email?: string;
  phone?: string;
}

export interface OrderInput {
  billing?: AddressInput;
  shipping?: AddressInput;
  /** Catalog SKUs; unitPrice (net, 2 decimals) overrides the catalog price, '0' for a free item. */
  lines?: { sku: string; quantity?: number; unitPrice?: string }[];
  /** Net shipping cost; '0' is free shipping. */
  shippingCost?: string;
  /** Paid and in an exportable status unless false. */
  exportable?: boolean;
}

export interface DriverInstance {
  /** The `shops[]` entry for this simulator (before schema defaults); `overrides` are merged on top. */
  shopConfig(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** Overrides that make authentication fail (a wrong secret or token). */
  badCredentials: Record<string, unknown>;
  /** Secret values that must never appear in a message. */
  secrets: string[];
  /** Generates n paid orders in an exportable status; returns their shop ids. */
  generate(n: number): Promise<string[]>;
  /** Adds one hand-made order; returns its shop id. */
  addOrder(input: OrderInput): Promise<string>;
  /** Changes an order in a way that bumps its modification time (a staff note, a status flip back and forth …). */
  touch(id: string): Promise<void>;
  cancel(id: string): Promise<void>;
  /** Refunds part of an order (amount in the order currency). */
  refund(id: string, amount: string): Promise<void>;
  /** Every order id the shop lists (what a complete listing must return). */
  listableIds(): Promise<string[]>;
  close(): Promise<void>;
}

export interface PlatformDriver {
  platform: string;
  start(seed?: number): Promise<DriverInstance>;
}
