/**
 * Magento 2.4 REST order documents as the simulator serves them (reference/webshop-api.md §4 and
 * reference/samples/magento/rest-v1-order-3-get-response.json): money as JSON numbers, dates as
 * `YYYY-MM-DD HH:MM:SS` UTC, items as a tree through parent_item_id.
 */
export interface MgAddress {
  address_type: 'billing' | 'shipping';
  city: string;
  company?: string;
  country_id: string;
  email: string;
  entity_id: number;
  firstname: string;
  lastname: string;
  parent_id: number;
  postcode: string;
  region: string;
  region_code: string;
  region_id: number;
  street: string[];
  telephone: string;
}

export type MgItem = Record<string, unknown> & {
  item_id: number;
  order_id: number;
  sku: string;
  name: string;
  product_id: number;
  product_type: string;
  qty_ordered: number;
  price: number;
  row_total: number;
  tax_amount: number;
  discount_amount: number;
  parent_item_id?: number;
  parent_item?: MgItem;
};

export type MgOrder = Record<string, unknown> & {
  entity_id: number;
  increment_id: string;
  state: string;
  status: string;
  created_at: string;
  updated_at: string;
  grand_total: number;
  items: MgItem[];
  billing_address: MgAddress;
  payment: Record<string, unknown>;
  status_histories: Record<string, unknown>[];
  extension_attributes: Record<string, unknown>;
};

export interface GenerateOptions {
  /** Share of guest orders (customer_is_guest 1). Default 0.4. */
  guestShare?: number;
  /** Share of unpaid orders (pending, checkmo/banktransfer). Default 0.25. */
  unpaidShare?: number;
  /** Only these statuses (pending, processing, complete, canceled, holded, closed). */
  statuses?: string[];
  currency?: string;
  unknownSkuShare?: number;
  blockedItemShare?: number;
  /** Share of paid orders with a partial credit memo. Default 0.03. */
  refundShare?: number;
  /** Share of orders from a catalog entered including tax. Default 0.3. */
  pricesIncludeTaxShare?: number;
}

/** A hand-made order for addOrder: anything left out is generated. */
export interface MgOrderSpec {
  status?: string;
  customer?: 'guest' | number;
  billing?: Partial<Pick<MgAddress, 'firstname' | 'lastname' | 'company' | 'street' | 'city' | 'region' | 'region_code' | 'postcode' | 'country_id' | 'telephone' | 'email'>>;
  shipping?: MgOrderSpec['billing'];
  /** Simple items by SKU (catalog or unknown with unitPrice; net, order currency). */
  lines?: { sku: string; quantity?: number; unitPrice?: string; name?: string }[];
  /** Net shipping; '0' = free shipping. */
  shippingCost?: string;
  currency?: string;
  pricesIncludeTax?: boolean;
  couponPercent?: number;
  /** Include a configurable and a dynamic bundle item. */
  withTrees?: boolean;
  /** How the bundle ships (a catalog setting, not in the REST order): with its parent item (default) or by its parts. */
  bundleShipment?: 'together' | 'separately';
}

/** A shipment as GET /V1/shipments returns it (Magento\Sales\Api\Data\ShipmentInterface). */
export interface MgShipment {
  billing_address_id: number;
  created_at: string;
  customer_id: number | null;
  email_sent: number | null;
  entity_id: number;
  increment_id: string;
  order_id: number;
  packages: unknown[];
  shipping_address_id: number | null;
  store_id: number;
  total_qty: number;
  updated_at: string;
  items: { entity_id: number; name: string; parent_id: number; price: number; product_id: number; sku: string; weight: number | null; order_item_id: number; qty: number }[];
  tracks: { order_id: number; created_at: string; entity_id: number; parent_id: number; updated_at: string; weight: null; qty: null; description: null; track_number: string; title: string; carrier_code: string }[];
  comments: { is_customer_notified: number; parent_id: number; comment: string; is_visible_on_front: number; created_at: string; entity_id: number }[];
  extension_attributes: Record<string, unknown>;
}
