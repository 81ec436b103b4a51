/**
 * POST /v2/orders/{id}/shipments as BigCommerce validates it (orders.v2.oas2.yml `orderShipment_Post`,
 * reference/webshop-api.md §3 "Writing back"): `order_address_id` and `items` are required, every item names
 * an order product of that address with a whole quantity not above what is left to ship, read-only fields
 * are refused by name ("The field 'product_id' cannot be written to…", as BigCommerce answers), and
 * `shipping_provider` is one of BigCommerce's providers or `carrier_{id}`. Pure: the store applies the result.
 */
import type { BcOrderRecord, BcShipment } from './types.js';

/** orders.v2.oas2.yml `shipping_provider_standard`, with the display names the control panel shows. */
const PROVIDERS: Record<string, string> = {
  '': '', auspost: 'Australia Post', canadapost: 'Canada Post', endicia: 'Endicia', usps: 'USPS', fedex: 'FedEx',
  ups: 'UPS', upsready: 'UPS', upsonline: 'UPS', shipperhq: 'ShipperHQ', royalmail: 'Royal Mail',
};

/** Fields of the shipment object that a POST may not set. */
const READ_ONLY = ['id', 'order_id', 'customer_id', 'date_created', 'billing_address', 'shipping_address', 'shipping_provider_display_name', 'generated_tracking_link'];

export type ShipmentDraft = Omit<BcShipment, 'id' | 'date_created'>;

/** The shipment to create, or the 400 message BigCommerce would answer with. */
export function validateShipment(record: BcOrderRecord, body: unknown): { draft: ShipmentDraft } | { error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: 'The request payload is not a JSON object.' };
  const b = body as Record<string, unknown>;
  for (const f of READ_ONLY) if (f in b) return { error: cannotWrite(f) };
  if (b.order_address_id === undefined || b.order_address_id === null || b.order_address_id === '') return { error: "The required field 'order_address_id' was not supplied." };
  const addressId = wholeNumber(b.order_address_id);
  const address = addressId === undefined ? undefined : record.shippingAddresses.find((a) => a.id === addressId);
  if (!address) return { error: "The field 'order_address_id' is invalid." };
  if (b.items === undefined || b.items === null) return { error: "The required field 'items' was not supplied." };
  if (!Array.isArray(b.items) || b.items.length === 0) return { error: "The field 'items' is invalid." };
  const wanted = new Map<number, number>();
  const items: ShipmentDraft['items'] = [];
  for (const raw of b.items) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: "The field 'items' is invalid." };
    const item = raw as Record<string, unknown>;
    if ('product_id' in item) return { error: cannotWrite('product_id') };
    const productId = wholeNumber(item.order_product_id);
    const product = productId === undefined ? undefined : record.products.find((p) => p.id === productId);
    if (!product) return { error: `The field 'order_product_id' is invalid: order ${record.order.id} has no product ${String(item.order_product_id)}.` };
    if (product.order_address_id !== address.id) return { error: `Order product ${product.id} does not ship to address ${address.id}.` };
    const quantity = wholeNumber(item.quantity);
    if (quantity === undefined || quantity < 1) return { error: "The field 'quantity' is invalid." };
    const total = (wanted.get(product.id) ?? 0) + quantity;
    if (total > product.quantity - product.quantity_shipped) {
      return { error: `The quantity specified for order product ${product.id} is greater than the quantity left to ship (${product.quantity - product.quantity_shipped}).` };
    }
    wanted.set(product.id, total);
    items.push({ order_product_id: product.id, product_id: product.product_id, quantity });
  }
  const text = (field: string, max: number): string | { error: string } => {
    const v = b[field];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string' || v.length > max) return { error: `The field '${field}' is invalid.` };
    return v;
  };
  const fields = {
    tracking_number: text('tracking_number', 50), tracking_link: text('tracking_link', 500), comments: text('comments', 65535),
    shipping_method: text('shipping_method', 250), tracking_carrier: text('tracking_carrier', 100), shipping_provider: text('shipping_provider', 100),
    merchant_shipping_cost: text('merchant_shipping_cost', 20),
  };
  for (const v of Object.values(fields)) if (typeof v !== 'string') return v;
  const f = fields as Record<keyof typeof fields, string>;
  if (!(f.shipping_provider in PROVIDERS) && !/^carrier_\w+$/.test(f.shipping_provider)) return { error: "The field 'shipping_provider' is invalid." };
  // AfterShip courier slugs: lower-case letters, digits and dashes.
  if (f.tracking_carrier !== '' && !/^[a-z0-9][a-z0-9-]*$/.test(f.tracking_carrier)) return { error: "The field 'tracking_carrier' is invalid." };
  const { form_fields: _ignored, ...billing } = record.order.billing_address;
  const { first_name, last_name, company, street_1, street_2, city, state, zip, country, country_iso2, phone, email } = address;
  const slug = f.tracking_carrier || f.shipping_provider;
  return {
    draft: {
      order_id: record.order.id,
      customer_id: record.order.customer_id,
      order_address_id: address.id,
      tracking_number: f.tracking_number,
      merchant_shipping_cost: f.merchant_shipping_cost ? Number(f.merchant_shipping_cost).toFixed(4) : '0.0000',
      shipping_method: f.shipping_method || 'None',
      comments: f.comments,
      shipping_provider: f.shipping_provider,
      tracking_carrier: f.tracking_carrier,
      tracking_link: f.tracking_link,
      billing_address: billing,
      shipping_address: { first_name, last_name, company, street_1, street_2, city, state, zip, country, country_iso2, phone, email },
      items,
      shipping_provider_display_name: PROVIDERS[f.shipping_provider] ?? f.shipping_provider,
      // A custom link wins; otherwise BigCommerce links the provider's page, or AfterShip's for a tracking carrier.
      generated_tracking_link: f.tracking_link || !f.tracking_number || !slug ? '' : `https://track.aftership.com/${slug}/${encodeURIComponent(f.tracking_number)}`,
    },
  };
}

function cannotWrite(field: string): string {
  return `The field '${field}' cannot be written to. Please remove it from your request before trying again.`;
}

/** An integer id or quantity, as a JSON number or a string of digits (BigCommerce's own example sends "128"). */
function wholeNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}
