import { Dec, dec, minorUnits, money, price, roundTo, sum } from '../domain/money.js';
import type { Address, CanonicalOrder } from '../domain/order.js';
import type { PlannedLine } from '../domain/rules/bundles.js';
import { lineAmounts, linePrice } from '../domain/rules/line-prices.js';
import type { BcDimension, BcLineType, BcSalesOrderDocument, BcSalesOrderLine } from './document.js';

export interface LineTargetDecision {
  type: BcLineType;
  no: string;
  description?: string;
}

/** What the rules decided for one shop line that is sold as an item. */
export interface ItemLineDecision {
  itemNumber: string;
  variantCode?: string;
  unitOfMeasureCode?: string;
  /** Description 2 (product options in the default mode). */
  description2?: string;
  dimensions: BcDimension[];
  /** Comment lines that follow the item line (options in `newLine` mode). */
  comments: { description: string; description2?: string }[];
}

/** Decisions made by the evaluate stage that the mapping applies. */
export interface MappingDecisions {
  orderKey: string;
  customerNumber: string;
  /** The lines to send, in order: items (by shop line) and comments (bundle parts …). */
  plan: PlannedLine[];
  /** Shop line id → item decision, for every `item` entry of the plan. */
  items: Map<string, ItemLineDecision>;
  freight?: LineTargetDecision;
  /** Fee line id → target. */
  fees: Map<string, LineTargetDecision>;
  coupons: { mode: 'lineDiscount' | 'separateLine' | 'orderDiscount'; line?: LineTargetDecision };
  /** Prices including tax on the BC order. */
  pricesIncludeTax: boolean;
  localCurrency: string;
  salesperson?: string;
  locationCode?: string;
  shipmentMethodCode?: string;
  /** Header dimensions. */
  dimensions: BcDimension[];
  /** First comment line with the shop's ids; absent = none. */
  shopIdsComment?: string;
}

// BC field lengths (reference/bc-api.md §1.2): longer values are cut rather than rejected by BC.
const LEN = { name: 100, line1: 100, line2: 50, city: 30, state: 30, postCode: 20, country: 10, email: 80, phone: 30, description: 100, description2: 50 };

function cut(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  // UTF-16 length ≥ code points: a value within `max` units is within `max` characters, the usual case.
  if (v.length <= max) return v;
  return [...v].slice(0, max).join('');
}

function fullName(a: Address): string | undefined {
  const n = a.name ?? [a.firstName, a.lastName].filter(Boolean).join(' ');
  return n || a.company || undefined;
}

function comment(description: string, description2?: string, sourceLineId?: string): BcSalesOrderLine {
  return {
    lineType: 'Comment',
    description: cut(description, LEN.description),
    description2: cut(description2, LEN.description2),
    quantity: '0',
    unitPrice: '0',
    ...(sourceLineId !== undefined && { sourceLineId }),
  };
}

/**
 * Canonical order → the BC sales order document. Pure and deterministic (what `bcbridge map` prints).
 *
 * Every line's BC amount, round(quantity × unit price) − line discount, equals the shop's line total in the
 * chosen basis, so BC's totals reconcile with the shop's. With `pricesIncludeTax` the basis is gross and BC
 * extracts the tax from it, as a shop with prices including tax did at checkout.
 *
 * Coupons and discounts (`coupons.mode`):
 * - `lineDiscount`: each line carries its own discount (BC Line Discount Amount);
 * - `separateLine`: lines at their undiscounted price, plus one negative line per coupon on the configured
 *   target (a rest not explained by the coupons becomes one more "Discount" line);
 * - `orderDiscount`: lines at their undiscounted price; the sum of the discounts is the order's invoice
 *   discount (`discountAmount`), which BC allocates over the lines.
 */
export function toSalesOrder(order: CanonicalOrder, d: MappingDecisions): BcSalesOrderDocument {
  const gross = d.pricesIncludeTax;
  const currency = order.currency.toUpperCase();
  const places = minorUnits(currency);
  const lines: BcSalesOrderLine[] = [];
  if (d.shopIdsComment) lines.push(comment(d.shopIdsComment));

  // Discount taken off the lines in the separateLine / orderDiscount modes, in the order's price basis.
  let moved = new Dec(0);
  for (const entry of d.plan) {
    if (entry.kind === 'comment') {
      lines.push(comment(entry.description, entry.description2, entry.sourceLineId));
      continue;
    }
    const line = entry.line;
    const item = d.items.get(line.lineId);
    if (!item) throw new Error(`no BC item decided for line ${line.lineId}`);
    const quantity = dec(line.quantity);
    const { subtotal, total } = lineAmounts(line, gross, places);
    const sellAt = d.coupons.mode === 'lineDiscount' ? total : subtotal;
    const { unitPrice, discount } = linePrice(quantity, subtotal, sellAt, places);
    if (d.coupons.mode !== 'lineDiscount') moved = moved.plus(sellAt.minus(total));
    lines.push({
      lineType: 'Item',
      lineObjectNumber: item.itemNumber,
      description: cut(line.name, LEN.description),
      description2: cut(item.description2, LEN.description2),
      quantity: quantity.toFixed(),
      unitPrice: price(unitPrice),
      discountAmount: discount.isZero() ? undefined : money(discount, places),
      ...(item.unitOfMeasureCode && { unitOfMeasureCode: item.unitOfMeasureCode }),
      ...(item.variantCode && { itemVariantCode: item.variantCode }),
      locationCode: d.locationCode,
      ...(item.dimensions.length > 0 && { dimensions: item.dimensions }),
      sourceLineId: line.lineId,
    });
    for (const c of item.comments) lines.push(comment(c.description, c.description2, line.lineId));
  }

  const costPrice = (net: string, tax: string) => (gross ? price(dec(net).plus(dec(tax))) : price(net));
  for (const s of order.shippingLines) {
    if (!d.freight) {
      // Free shipping needs no freight line; a charged one must have had a target (the rules hold otherwise).
      if (dec(s.totalNet).isZero() && dec(s.totalTax).isZero()) continue;
      throw new Error('no freight line target decided');
    }
    lines.push({
      lineType: d.freight.type,
      lineObjectNumber: d.freight.no,
      description: cut(d.freight.description ?? `Shipping: ${s.method}`, LEN.description),
      quantity: '1',
      unitPrice: costPrice(s.totalNet, s.totalTax),
      sourceLineId: s.lineId,
    });
  }
  for (const f of order.fees) {
    const target = d.fees.get(f.lineId);
    if (!target) throw new Error(`no fee line target decided for fee ${f.lineId}`);
    lines.push({
      lineType: target.type,
      lineObjectNumber: target.no,
      description: cut(f.name || target.description || 'Fee', LEN.description),
      quantity: '1',
      unitPrice: costPrice(f.totalNet, f.totalTax),
      sourceLineId: f.lineId,
    });
  }

  let discountAmount: string | undefined;
  if (d.coupons.mode === 'separateLine' && !moved.isZero()) {
    const target = d.coupons.line;
    if (!target) throw new Error('no coupon line target decided');
    let explained = new Dec(0);
    for (const c of order.coupons) {
      const amount = gross ? dec(c.discountNet).plus(dec(c.discountTax)) : dec(c.discountNet);
      if (amount.isZero()) continue;
      explained = explained.plus(amount);
      lines.push({
        lineType: target.type,
        lineObjectNumber: target.no,
        description: cut(c.code ? `Coupon ${c.code}` : (target.description ?? 'Discount'), LEN.description),
        quantity: '1',
        unitPrice: price(amount.negated()),
      });
    }
    const rest = moved.minus(explained);
    if (!rest.isZero()) {
      lines.push({ lineType: target.type, lineObjectNumber: target.no, description: target.description ?? 'Discount', quantity: '1', unitPrice: price(rest.negated()) });
    }
  }
  if (d.coupons.mode === 'orderDiscount' && moved.gt(0)) discountAmount = money(moved, places);

  const net = sum([...order.lines.map((l) => l.totalNet), ...order.shippingLines.map((s) => s.totalNet), ...order.fees.map((f) => f.totalNet)]);
  const billing = order.billing;
  const ship = hasAddress(order.shipping) ? order.shipping : billing;
  return {
    externalDocumentNumber: d.orderKey,
    customerNumber: d.customerNumber,
    orderDate: order.createdAt.slice(0, 10),
    currencyCode: currency === d.localCurrency.toUpperCase() ? '' : currency,
    pricesIncludeTax: gross,
    email: cut(order.customer.email ?? billing.email, LEN.email),
    phoneNumber: cut(order.customer.phone ?? billing.phone, LEN.phone),
    sellToAddressLine1: cut(billing.line1, LEN.line1),
    sellToAddressLine2: cut(billing.line2, LEN.line2),
    sellToCity: cut(billing.city, LEN.city),
    sellToState: cut(billing.state, LEN.state),
    sellToPostCode: cut(billing.postalCode, LEN.postCode),
    sellToCountry: cut(billing.country, LEN.country),
    shipToName: cut(fullName(ship), LEN.name),
    shipToContact: cut(ship.company ? [ship.firstName, ship.lastName].filter(Boolean).join(' ') : undefined, LEN.name),
    shipToAddressLine1: cut(ship.line1, LEN.line1),
    shipToAddressLine2: cut(ship.line2, LEN.line2),
    shipToCity: cut(ship.city, LEN.city),
    shipToState: cut(ship.state, LEN.state),
    shipToPostCode: cut(ship.postalCode, LEN.postCode),
    shipToCountry: cut(ship.country, LEN.country),
    salesperson: d.salesperson,
    shipmentMethodCode: d.shipmentMethodCode,
    locationCode: d.locationCode,
    ...(d.dimensions.length > 0 && { dimensions: d.dimensions }),
    ...(discountAmount !== undefined && { discountAmount }),
    lines,
    expected: {
      currency,
      totalNet: money(roundTo(net, currency)),
      totalTax: money(roundTo(order.totals.totalTax, currency)),
      total: money(roundTo(order.totals.total, currency)),
    },
  };
}

function hasAddress(a: Address): boolean {
  return Boolean(a.line1 || a.city || a.postalCode);
}
