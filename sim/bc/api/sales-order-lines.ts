import { VAT_PERCENT } from '../../catalog.js';
import { BcError, dialog } from '../errors.js';
import { EMPTY_GUID, newGuid } from '../ids.js';
import { D, num, round5 } from '../money.js';
import { readBody } from '../odata/body.js';
import { SALES_ORDER_LINE } from '../schema.js';
import { EXCHANGE_RATES } from '../seed.js';
import { discountFromPercent, percentFromDiscount } from '../tax.js';
import type { Company, Row, Wire } from '../types.js';

/**
 * Validation and defaults of one salesOrderLine, following the AL of page 30044 "APIV2 - Sales
 * Order Lines" (bc-api.md §1.2): fields are applied in page order (itemId, accountId, lineType,
 * lineObjectNumber, …), so a lineObjectNumber overrides an itemId, and a line without lineType is a
 * Comment line (the API Type default), whose "number" must then be a Standard Text.
 */

/** `Invoice Line Agg. Line Type` (enum 5478), wire form XML-escaped (bc-api.md §1.3). */
const LINE_TYPES: Record<string, string> = {
  Comment: 'Comment',
  Account: 'Account',
  Item: 'Item',
  Resource: 'Resource',
  'Fixed Asset': 'Fixed_x0020_Asset',
  Charge: 'Charge',
  'Allocation Account': 'Allocation_x0020_Account',
};

const unescapeXml = (s: string) => s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** Tables that other line types validate their number against (none of them has records here). */
const OTHER_TABLES: Record<string, [string, string]> = {
  Comment: ['Standard Text', 'Code'],
  Resource: ['Resource', 'No.'],
  'Fixed Asset': ['Fixed Asset', 'No.'],
  Charge: ['Item Charge', 'No.'],
  'Allocation Account': ['Allocation Account', 'No.'],
};

const ITEM_MISSING = 'Item does not exist.';
const ACCOUNT_MISSING = 'Account does not exist.';

function relationError(field: string, value: string, related: string): BcError {
  return new BcError(
    400,
    'Internal_InvalidTableRelation',
    `The field ${field} of table Sales Line contains a value (${value}) that cannot be found in the related table (${related}).`,
  );
}

function vatPercent(taxCode: string): string {
  const pct = (VAT_PERCENT as Record<string, string>)[taxCode];
  if (pct === undefined) relationErrorThrow('VAT Prod. Posting Group', taxCode, 'VAT Product Posting Group');
  return pct!;
}

function relationErrorThrow(field: string, value: string, related: string): never {
  throw relationError(field, value, related);
}

export interface LineContext {
  company: Company;
  header: Wire;
  /** Lines already on the document (or already accepted earlier in the same deep insert). */
  siblings: Wire[];
}

/** Builds a new line's fields (amounts are filled in by tax.recalculate). */
export function buildNewLine(ctx: LineContext, body: unknown): Wire {
  const { fields: f } = readBody(body, SALES_ORDER_LINE);
  const { company, header } = ctx;
  let item: Row | undefined;
  let account: Row | undefined;

  if (f.itemId !== undefined && f.itemId !== EMPTY_GUID) {
    item = company.data.items.find((r) => r.data.id === f.itemId);
    if (!item) throw dialog(ITEM_MISSING);
  }
  if (f.accountId !== undefined && f.accountId !== EMPTY_GUID) {
    if (item) throw dialog('Both "itemId" and "accountId" are specified. Specify only one of them.');
    account = company.data.accounts.find((r) => r.data.id === f.accountId);
    if (!account) throw dialog(ACCOUNT_MISSING);
  }

  let type = item ? 'Item' : account ? 'Account' : 'Comment';
  if (f.lineType !== undefined) {
    const plain = unescapeXml(f.lineType as string);
    if (!(plain in LINE_TYPES)) {
      throw new BcError(
        400,
        'Unknown',
        `'${f.lineType as string}' is not an option. The existing options are: ${Object.keys(LINE_TYPES).join(',')}`,
      );
    }
    type = plain;
  }

  const number = f.lineObjectNumber as string | undefined;
  if (number !== undefined && number !== '') {
    if (type === 'Item') {
      item = company.data.items.find((r) => r.data.number === number);
      if (!item) throw dialog(ITEM_MISSING);
      account = undefined;
    } else if (type === 'Account') {
      account = company.data.accounts.find((r) => r.data.number === number);
      if (!account) throw dialog(ACCOUNT_MISSING);
      item = undefined;
    } else {
      const [table, key] = OTHER_TABLES[type]!;
      throw new BcError(404, 'Internal_RecordNotFound', `The ${table} does not exist. Identification fields and values: ${key}='${number}'`);
    }
  }
  if (type === 'Item' && account) throw dialog(ITEM_MISSING);
  if (type === 'Account' && item) throw dialog(ACCOUNT_MISSING);

  if (item?.data.blocked === true) {
    // Sales Line validates Item."No." with TestField(Blocked, false) → TestField message format.
    throw new BcError(
      400,
      'Application_FieldValidationException',
      `Blocked must be equal to 'No'  in Item: No.=${item.data.number as string}. Current value is 'Yes'.`,
    );
  }

  // Unit of measure: items know only their base unit (PCS) in the demo world.
  let uomId = EMPTY_GUID;
  let uomCode = '';
  if (item) {
    uomId = item.data.baseUnitOfMeasureId as string;
    uomCode = item.data.baseUnitOfMeasureCode as string;
    if (f.unitOfMeasureCode !== undefined && f.unitOfMeasureCode !== '' && f.unitOfMeasureCode !== uomCode) {
      relationErrorThrow('Unit of Measure Code', f.unitOfMeasureCode as string, 'Item Unit of Measure');
    }
    if (f.unitOfMeasureId !== undefined && f.unitOfMeasureId !== EMPTY_GUID && f.unitOfMeasureId !== uomId) {
      relationErrorThrow('Unit of Measure Code', f.unitOfMeasureId as string, 'Item Unit of Measure');
    }
  } else if (f.unitOfMeasureCode !== undefined) {
    uomCode = f.unitOfMeasureCode as string;
  }

  const missing = (table: string, v: unknown) =>
    new BcError(404, 'Internal_RecordNotFound', `The ${table} does not exist. Identification fields and values: SystemId='${v as string}'`);
  let variant: Row | undefined;
  if (f.itemVariantId !== undefined && f.itemVariantId !== EMPTY_GUID) {
    variant = company.data.itemVariants.find((r) => r.data.id === f.itemVariantId);
    if (!variant) throw missing('Item Variant', f.itemVariantId);
    if (!item) {
      // Sales Line."Variant Code" validates TestField(Type, Type::Item).
      throw new BcError(400, 'Application_FieldValidationException', `Type must be equal to 'Item'  in Sales Line: Document Type=Order, Document No.=${header.number as string}. Current value is '${type}'.`);
    }
    if (variant.data.itemId !== item.data.id) {
      // ItemVariant.Get("No.", "Variant Code") on the line's own item.
      throw new BcError(404, 'Internal_RecordNotFound', `The Item Variant does not exist. Identification fields and values: Item No.='${item.data.number as string}',Code='${variant.data.code as string}'`);
    }
  }
  let location: Row | undefined;
  if (f.locationId !== undefined && f.locationId !== EMPTY_GUID) {
    location = company.data.locations.find((r) => r.data.id === f.locationId);
    if (!location) throw missing('Location', f.locationId);
  }

  const amountLine = type !== 'Comment';
  let taxCode = '';
  if (item) taxCode = item.data.taxGroupCode as string;
  if (account) taxCode = company.data.accountTaxGroup.get(account.data.number as string) ?? '';
  if (f.taxCode !== undefined) taxCode = f.taxCode as string;
  const taxPercent = amountLine && taxCode !== '' ? Number(vatPercent(taxCode)) : 0;

  const quantity = (f.quantity as number | undefined) ?? 0;
  let unitPrice = (f.unitPrice as number | undefined) ?? 0;
  if (f.unitPrice === undefined && item) unitPrice = defaultPrice(item, header, taxPercent);

  let discountAmount = 0;
  let discountPercent = 0;
  // Page order: discountAmount is validated before discountPercent, so a percent wins.
  if (f.discountAmount !== undefined) {
    discountAmount = f.discountAmount as number;
    discountPercent = percentFromDiscount(quantity, unitPrice, discountAmount);
  }
  if (f.discountPercent !== undefined) {
    discountPercent = f.discountPercent as number;
    discountAmount = discountFromPercent(quantity, unitPrice, discountPercent);
  }

  let sequence = f.sequence as number | undefined;
  if (sequence !== undefined && ctx.siblings.some((s) => s.sequence === sequence)) {
    throw new BcError(
      400,
      'Internal_EntityWithSameKeyExists',
      `The Sales Line already exists. Identification fields and values: Document Type='Order',Document No.='${header.number as string}',Line No.='${sequence}'`,
    );
  }
  if (sequence === undefined) {
    const last = ctx.siblings.reduce((m, s) => Math.max(m, s.sequence as number), 0);
    sequence = Math.floor(last / 10000) * 10000 + 10000; // BC line numbers step by 10000
  }

  return {
    id: newGuid(),
    documentId: header.id,
    sequence,
    itemId: item ? item.data.id : EMPTY_GUID,
    accountId: account ? account.data.id : EMPTY_GUID,
    lineType: LINE_TYPES[type],
    lineObjectNumber: item ? item.data.number : account ? account.data.number : (number ?? ''),
    description: (f.description as string | undefined) ?? (item ?? account)?.data.displayName ?? '',
    description2: (f.description2 as string | undefined) ?? '',
    unitOfMeasureId: uomId,
    unitOfMeasureCode: uomCode,
    quantity,
    unitPrice,
    discountAmount,
    discountPercent,
    discountAppliedBeforeTax: false,
    amountExcludingTax: 0,
    taxCode: amountLine ? taxCode : '',
    taxPercent,
    totalTaxAmount: 0,
    amountIncludingTax: 0,
    invoiceDiscountAllocation: 0,
    netAmount: 0,
    netTaxAmount: 0,
    netAmountIncludingTax: 0,
    shipmentDate: (f.shipmentDate as string | undefined) ?? header.orderDate,
    shippedQuantity: 0,
    invoicedQuantity: 0,
    invoiceQuantity: (f.invoiceQuantity as number | undefined) ?? quantity,
    shipQuantity: (f.shipQuantity as number | undefined) ?? quantity,
    itemVariantId: variant ? variant.data.id : EMPTY_GUID,
    locationId: location ? location.data.id : EMPTY_GUID,
  };
}

/**
 * Price BC would find for an item when `unitPrice` is omitted: the item's unit price, converted to
 * the order currency, grossed up when the order's prices include VAT (unit-amount precision 0.00001).
 */
export function defaultPrice(item: Row, header: Wire, taxPercent: number): number {
  let price = D(item.data.unitPrice as number);
  const cur = header.currencyId !== EMPTY_GUID ? (header.currencyCode as string) : '';
  if (cur !== '' && EXCHANGE_RATES[cur]) price = price.mul(EXCHANGE_RATES[cur]!);
  if (header.pricesIncludeTax === true) price = price.mul(D(taxPercent).div(100).plus(1));
  return num(round5(price));
}

/** PATCH of an existing line: only quantities, prices, discounts, texts and dates may change. */
export function patchLine(existing: Wire, body: unknown): Wire {
  const { fields: f } = readBody(body, SALES_ORDER_LINE);
  if (f.documentId !== undefined && f.documentId !== existing.documentId) {
    throw dialog('The value for "documentId" cannot be modified.');
  }
  if (f.sequence !== undefined && f.sequence !== existing.sequence) {
    throw dialog('The value for sequence cannot be modified. Delete and insert the line again.');
  }
  const changesObject =
    (f.lineObjectNumber !== undefined && f.lineObjectNumber !== existing.lineObjectNumber) ||
    (f.itemId !== undefined && f.itemId !== existing.itemId) ||
    (f.accountId !== undefined && f.accountId !== existing.accountId);
  if (changesObject) throw dialog('The value for "lineObjectNumber" cannot be modified.');
  if (f.lineType !== undefined && unescapeXml(f.lineType as string) !== unescapeXml(existing.lineType as string)) {
    throw dialog('The value for "lineObjectNumber" cannot be modified.');
  }

  const next: Wire = { ...existing };
  for (const k of ['description', 'description2', 'unitOfMeasureCode', 'shipmentDate'] as const) {
    if (f[k] !== undefined) next[k] = f[k];
  }
  if (f.taxCode !== undefined && existing.lineType !== 'Comment') {
    next.taxCode = f.taxCode;
    next.taxPercent = Number(vatPercent(f.taxCode as string));
  }
  if (f.quantity !== undefined) {
    next.quantity = f.quantity;
    if (f.invoiceQuantity === undefined) next.invoiceQuantity = f.quantity;
    if (f.shipQuantity === undefined) next.shipQuantity = f.quantity;
  }
  if (f.invoiceQuantity !== undefined) next.invoiceQuantity = f.invoiceQuantity;
  if (f.shipQuantity !== undefined) next.shipQuantity = f.shipQuantity;
  if (f.unitPrice !== undefined) next.unitPrice = f.unitPrice;
  const q = next.quantity as number;
  const p = next.unitPrice as number;
  if (f.discountAmount !== undefined) {
    next.discountAmount = f.discountAmount;
    next.discountPercent = percentFromDiscount(q, p, f.discountAmount as number);
  }
  if (f.discountPercent !== undefined || (f.discountAmount === undefined && (f.quantity !== undefined || f.unitPrice !== undefined))) {
    // BC keeps the line discount % and recomputes the amount when quantity or price change.
    if (f.discountPercent !== undefined) next.discountPercent = f.discountPercent;
    next.discountAmount = discountFromPercent(q, p, next.discountPercent as number);
  }
  return next;
}
