import { Decimal } from 'decimal.js';
import { dialog } from './errors.js';
import { D, num, round2, round5 } from './money.js';
import type { Wire } from './types.js';

/**
 * Line and document amounts of a sales order.
 *
 * Simplification (noted for reviewers): BC sums VAT per VAT identifier on the document and
 * distributes it back to lines; the simulator rounds VAT per line (round2, half away from zero)
 * and sums the lines, which agrees to the cent for single-rate documents and for most mixed ones.
 *
 * Field meanings follow the "Sales Invoice Line Aggregate" behind the line page (bc-api.md §1.2):
 * amountExcludingTax/totalTaxAmount/amountIncludingTax are the line amounts before the invoice
 * discount; netAmount/netTaxAmount/netAmountIncludingTax after it; invoiceDiscountAllocation is the
 * line's share of the invoice discount excluding VAT.
 */

const HUNDRED = new Decimal(100);

/** Lines that carry amounts (comments do not; they still get zeros). */
export const isAmountLine = (l: Wire) => l.lineType !== 'Comment';

/** Line discount from a percentage: Round(Round(Qty × Price) × % / 100). */
export function discountFromPercent(quantity: number, unitPrice: number, percent: number): number {
  return num(round2(round2(D(quantity).mul(unitPrice)).mul(percent).div(HUNDRED)));
}

/** Line discount % from an amount: Round(amount / (Qty × Price) × 100, 0.00001). */
export function percentFromDiscount(quantity: number, unitPrice: number, amount: number): number {
  const gross = round2(D(quantity).mul(unitPrice));
  return gross.isZero() ? 0 : num(round5(D(amount).div(gross).mul(HUNDRED)));
}

function lineAmount(l: Wire): Decimal {
  if (!isAmountLine(l)) return new Decimal(0);
  return round2(D(l.quantity as number).mul(l.unitPrice as number)).minus(l.discountAmount as number);
}

/** Recomputes every line and the header totals. Throws BC's messages for an impossible invoice discount. */
export function recalculate(header: Wire, lines: Wire[]): { header: Wire; lines: Wire[] } {
  const pit = header.pricesIncludeTax === true;
  const invDisc = D((header.discountAmount as number) ?? 0);
  const amounts = lines.map(lineAmount);
  const base = amounts.reduce((a, b) => a.plus(b), new Decimal(0));
  if (invDisc.gt(0) && base.isZero()) throw dialog('There is no amount that you can apply an invoice discount to.');
  if (invDisc.gt(base) && invDisc.gt(0)) {
    throw dialog(`The invoice discount amount (${invDisc.toFixed(2)}) cannot be greater than the amount it is applied to (${base.toFixed(2)}).`);
  }

  // Allocate the invoice discount pro rata on cumulative amounts, so the shares add up exactly.
  let cumBase = new Decimal(0);
  let cumAlloc = new Decimal(0);
  let sumNet = new Decimal(0);
  let sumTax = new Decimal(0);
  let sumIncl = new Decimal(0);
  const out = lines.map((l, i) => {
    const amount = amounts[i]!;
    const pct = D((l.taxPercent as number) ?? 0);
    const rate = pct.div(HUNDRED);
    let alloc = new Decimal(0);
    if (!base.isZero() && isAmountLine(l)) {
      cumBase = cumBase.plus(amount);
      const target = round2(invDisc.mul(cumBase).div(base));
      alloc = target.minus(cumAlloc);
      cumAlloc = target;
    }
    let excl: Decimal, tax: Decimal, incl: Decimal, net: Decimal, netTax: Decimal, netIncl: Decimal, allocExcl: Decimal;
    if (!pit) {
      excl = amount;
      tax = round2(excl.mul(rate));
      incl = excl.plus(tax);
      net = excl.minus(alloc);
      netTax = round2(net.mul(rate));
      netIncl = net.plus(netTax);
      allocExcl = alloc;
    } else {
      // Prices include VAT: the unit price is gross and VAT is extracted from the line amount.
      incl = amount;
      excl = round2(incl.div(rate.plus(1)));
      tax = incl.minus(excl);
      netIncl = incl.minus(alloc);
      net = round2(netIncl.div(rate.plus(1)));
      netTax = netIncl.minus(net);
      allocExcl = excl.minus(net);
    }
    sumNet = sumNet.plus(net);
    sumTax = sumTax.plus(netTax);
    sumIncl = sumIncl.plus(netIncl);
    return {
      ...l,
      discountAppliedBeforeTax: !pit,
      amountExcludingTax: num(excl),
      totalTaxAmount: num(tax),
      amountIncludingTax: num(incl),
      invoiceDiscountAllocation: num(allocExcl),
      netAmount: num(net),
      netTaxAmount: num(netTax),
      netAmountIncludingTax: num(netIncl),
    };
  });
  return {
    header: {
      ...header,
      discountAmount: num(invDisc),
      // VAT countries: the discount is applied before tax unless prices include VAT (GraphMgtSalesOrderBuffer).
      discountAppliedBeforeTax: !pit,
      totalAmountExcludingTax: num(sumNet),
      totalTaxAmount: num(sumTax),
      totalAmountIncludingTax: num(sumIncl),
    },
    lines: out,
  };
}
