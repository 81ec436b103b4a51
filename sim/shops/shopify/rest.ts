/**
 * The REST rendering of an order (webshop-api.md §2 "Order document", the shape of the 2024-04 samples):
 * what Shopify puts in a webhook body, also for apps that only use GraphQL. Plain money fields are in the
 * shop currency; every `*_set` carries shop_money and presentment_money.
 */
import { fulfilledQuantity } from './fulfillment.js';
import type { Money2 } from './money.js';
import { orderTotals } from './totals.js';
import type { SimAddress, SimAllocation, SimOrder, SimTaxLine } from './types.js';

export interface RestContext {
  /** Shop time zone offset in minutes (REST timestamps carry it). */
  tzOffsetMinutes: number;
  shopDomain: string;
}

export function restTime(sec: number, tzOffsetMinutes: number): string {
  const local = new Date((sec + tzOffsetMinutes * 60) * 1000).toISOString().slice(0, 19);
  const sign = tzOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(tzOffsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function moneySet(o: SimOrder, m: Money2) {
  return { shop_money: { amount: m.shop, currency_code: o.currency }, presentment_money: { amount: m.presentment, currency_code: o.presentmentCurrency } };
}

function taxLine(o: SimOrder, t: SimTaxLine) {
  return { channel_liable: false, price: t.price.shop, price_set: moneySet(o, t.price), rate: t.rate, title: t.title };
}

function allocation(o: SimOrder, a: SimAllocation) {
  return { amount: a.amount.shop, amount_set: moneySet(o, a.amount), discount_application_index: a.index };
}

function address(a: SimAddress | null) {
  if (!a) return null;
  return {
    first_name: a.firstName, address1: a.address1, phone: a.phone, city: a.city, zip: a.zip, province: a.province, country: a.country,
    last_name: a.lastName, address2: a.address2, company: a.company, latitude: null, longitude: null, name: `${a.firstName} ${a.lastName}`,
    country_code: a.countryCode, province_code: a.provinceCode,
  };
}

export function toRest(o: SimOrder, ctx: RestContext): Record<string, unknown> {
  const t = orderTotals(o);
  const time = (s: number | null) => (s === null ? null : restTime(s, ctx.tzOffsetMinutes));
  const set = (m: Money2) => moneySet(o, m);
  const zero = { shop: '0.00', presentment: '0.00' };
  return {
    id: o.id,
    admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
    app_id: 580111,
    browser_ip: '198.51.100.7',
    buyer_accepts_marketing: false,
    cancel_reason: o.cancelReason,
    cancelled_at: time(o.cancelledAt),
    cart_token: null,
    checkout_id: o.id + 1_000_000,
    checkout_token: o.token.slice(0, 32),
    client_details: null,
    closed_at: time(o.closedAt),
    confirmation_number: o.token.slice(0, 9).toUpperCase(),
    confirmed: true,
    contact_email: o.email,
    created_at: time(o.createdAt),
    currency: o.currency,
    current_subtotal_price: t.subtotal.shop,
    current_subtotal_price_set: set(t.subtotal),
    current_total_additional_fees_set: null,
    current_total_discounts: t.discounts.shop,
    current_total_discounts_set: set(t.discounts),
    current_total_duties_set: null,
    current_total_price: t.total.shop,
    current_total_price_set: set(t.total),
    current_total_tax: t.tax.shop,
    current_total_tax_set: set(t.tax),
    customer_locale: 'de',
    device_id: null,
    discount_codes: o.discountCodes,
    email: o.email,
    estimated_taxes: false,
    financial_status: o.financialStatus,
    fulfillment_status: o.fulfillmentStatus,
    landing_site: '/',
    landing_site_ref: null,
    location_id: null,
    merchant_of_record_app_id: null,
    name: o.name,
    note: o.note,
    note_attributes: [],
    number: o.orderNumber - 1000,
    order_number: o.orderNumber,
    order_status_url: `https://${ctx.shopDomain}/9876543210/orders/${o.token}/authenticate?key=${o.token.slice(0, 16)}`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: [o.gateway],
    phone: o.phone,
    po_number: null,
    presentment_currency: o.presentmentCurrency,
    processed_at: time(o.processedAt),
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: o.sourceName,
    source_url: null,
    subtotal_price: t.subtotal.shop,
    subtotal_price_set: set(t.subtotal),
    tags: o.tags,
    tax_exempt: false,
    tax_lines: t.taxLines.map((x) => taxLine(o, x)),
    taxes_included: o.taxesIncluded,
    test: o.test,
    token: o.token,
    total_discounts: t.discounts.shop,
    total_discounts_set: set(t.discounts),
    total_line_items_price: t.lineItems.shop,
    total_line_items_price_set: set(t.lineItems),
    total_outstanding: ['paid', 'partially_refunded', 'refunded', 'voided'].includes(o.financialStatus) ? '0.00' : t.total.shop,
    total_price: t.total.shop,
    total_price_set: set(t.total),
    total_shipping_price_set: set(t.shipping),
    total_tax: t.tax.shop,
    total_tax_set: set(t.tax),
    total_tip_received: '0.00',
    total_weight: o.lines.reduce((s, l) => s + l.grams * l.quantity, 0),
    updated_at: time(o.updatedAt),
    user_id: null,
    billing_address: address(o.billing),
    customer: o.customer && {
      id: o.customer.id,
      email: o.customer.email,
      created_at: time(o.customer.createdAt),
      updated_at: time(o.customer.createdAt),
      first_name: o.customer.firstName,
      last_name: o.customer.lastName,
      state: 'enabled',
      note: null,
      verified_email: true,
      multipass_identifier: null,
      tax_exempt: false,
      phone: o.customer.phone,
      tags: '',
      currency: o.currency,
      tax_exemptions: [],
      admin_graphql_api_id: `gid://shopify/Customer/${o.customer.id}`,
      default_address: o.billing && { ...address(o.billing), id: o.customer.id, customer_id: o.customer.id, default: true, country_name: o.billing.country },
    },
    discount_applications: o.discountApplications.map((d) => ({
      target_type: d.targetType, type: d.type, value: d.value, value_type: d.valueType, allocation_method: d.allocationMethod, target_selection: d.targetSelection,
      ...(d.code !== undefined ? { code: d.code } : { title: d.title, description: d.title }),
    })),
    fulfillments: o.fulfillments.map((f) => ({
      id: f.id,
      admin_graphql_api_id: `gid://shopify/Fulfillment/${f.id}`,
      order_id: o.id,
      name: f.name,
      status: f.status,
      service: 'manual',
      created_at: time(f.createdAt),
      updated_at: time(f.updatedAt),
      tracking_company: f.tracking?.company ?? null,
      tracking_number: f.tracking?.number ?? null,
      tracking_numbers: f.tracking?.number ? [f.tracking.number] : [],
      tracking_url: f.tracking?.url ?? null,
      tracking_urls: f.tracking?.url ? [f.tracking.url] : [],
      line_items: f.lines.map((x) => ({ id: x.lineId, quantity: x.quantity, admin_graphql_api_id: `gid://shopify/LineItem/${x.lineId}` })),
    })),
    line_items: o.lines.map((l) => {
      const shipped = fulfilledQuantity(o, l.id);
      return {
        id: l.id,
        admin_graphql_api_id: `gid://shopify/LineItem/${l.id}`,
        attributed_staffs: [],
        current_quantity: l.quantity,
        fulfillable_quantity: o.cancelledAt ? 0 : Math.max(0, l.quantity - shipped),
        fulfillment_service: 'manual',
        fulfillment_status: shipped === 0 ? null : shipped >= l.quantity ? 'fulfilled' : 'partial',
        gift_card: false,
        grams: l.grams,
        name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
        price: l.price.shop,
        price_set: set(l.price),
        product_exists: true,
        product_id: l.productId,
        properties: l.properties,
        quantity: l.quantity,
        requires_shipping: true,
        sku: l.sku,
        taxable: true,
        title: l.title,
        // Legacy field: current documents put every discount in discount_allocations (the samples show 0.00 beside them).
        total_discount: '0.00',
        total_discount_set: set(zero),
        variant_id: l.variantId,
        variant_inventory_management: 'shopify',
        variant_title: l.variantTitle,
        vendor: l.vendor,
        tax_lines: l.taxLines.map((x) => taxLine(o, x)),
        duties: [],
        discount_allocations: l.allocations.map((a) => allocation(o, a)),
      };
    }),
    payment_terms: null,
    refunds: o.refunds.map((r) => ({
      id: r.id,
      admin_graphql_api_id: `gid://shopify/Refund/${r.id}`,
      created_at: time(r.createdAt),
      note: r.note,
      order_id: o.id,
      processed_at: time(r.createdAt),
      restock: false,
      user_id: null,
      order_adjustments: [],
      transactions: [{ id: r.id + 1, amount: r.amount.presentment, currency: o.presentmentCurrency, kind: 'refund', status: 'success', gateway: o.gateway, order_id: o.id, created_at: time(r.createdAt) }],
      refund_line_items: [],
      duties: [],
      additional_fees: [],
    })),
    shipping_address: address(o.shipping),
    shipping_lines: o.shippingLines.map((s) => ({
      id: s.id,
      carrier_identifier: null,
      code: s.code,
      discounted_price: s.discountedPrice.shop,
      discounted_price_set: set(s.discountedPrice),
      phone: null,
      price: s.price.shop,
      price_set: set(s.price),
      requested_fulfillment_service_id: null,
      source: s.source,
      title: s.title,
      tax_lines: s.taxLines.map((x) => taxLine(o, x)),
      discount_allocations: s.allocations.map((a) => allocation(o, a)),
    })),
  };
}

