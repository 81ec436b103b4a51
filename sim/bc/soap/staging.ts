import { buildDimensionSet, PARENT_TYPE, storeDimensionSet } from '../api/dimension-set-lines.js';
import { createOrder, patchOrder } from '../api/sales-orders.js';
import { BcError } from '../errors.js';
import { Journal, type World } from '../store.js';
import type { Company, Wire } from '../types.js';
import { STAGING } from './pages.js';

/**
 * The AutoShoppingCartImport table of each company and the job that processes it (docs/bc-soap-page.md):
 * once every line 1..Line_Count of an External Document No. is there, after a delay (BC's job queue, 1–5
 * minutes in seed 000), the set becomes a sales order in the same company the API serves, so the API's
 * salesOrders and the page agree. The sales order no., amounts and Completed are written back onto every
 * record of the set; a rejected set gets the error message instead.
 */
export interface StagingRow {
  values: Record<string, string>;
  version: number;
  createdAt: number;
}

export class StagingTable {
  readonly rows = new Map<string, StagingRow>();
  /** When each whole set is due for processing. */
  readonly dueAt = new Map<string, number>();

  static pk(docNo: string, lineNo: string | number): string {
    return `${docNo}\u0000${String(lineNo).padStart(10, '0')}`;
  }

  /** Rows in primary-key order (External_Document_No, Line_No). */
  sorted(): StagingRow[] {
    return [...this.rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  }
}

const tables = new WeakMap<Company, StagingTable>();

export function stagingOf(company: Company): StagingTable {
  let t = tables.get(company);
  if (!t) {
    t = new StagingTable();
    tables.set(company, t);
  }
  return t;
}

/** BC's bookmark Key: opaque, carries the record identity and a version (bc-api.md §4, `36;JwAAAACLAQ…;11535460;`). */
export function makeKey(docNo: string, lineNo: string, version: number): string {
  return `50100;${Buffer.from(JSON.stringify([docNo, lineNo]), 'utf8').toString('base64')};${version};`;
}

export function parseKey(key: string): { docNo: string; lineNo: string; version: number } | undefined {
  const m = /^50100;([A-Za-z0-9+/=]+);(\d+);$/.exec(key.trim());
  if (!m) return undefined;
  try {
    const [docNo, lineNo] = JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as [string, string];
    return { docNo, lineNo, version: Number(m[2]) };
  } catch {
    return undefined;
  }
}

export type Delay = number | [number, number];

const TYPE_TO_API: Record<string, string> = {
  _blank_: 'Comment', G_L_Account: 'Account', Item: 'Item', Resource: 'Resource', Fixed_Asset: 'Fixed Asset', Charge_Item: 'Charge',
};

export class Processor {
  private timer?: NodeJS.Timeout;
  processed = 0;
  failed = 0;

  constructor(
    private readonly world: World,
    private delay: Delay,
  ) {}

  start(): void {
    const min = Array.isArray(this.delay) ? this.delay[0] : this.delay;
    const tick = Math.max(10, Math.min(250, Math.floor(min / 2)));
    this.timer = setInterval(() => this.run(false), tick);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  setDelay(delay: Delay): void {
    this.delay = delay;
    this.stop();
    this.start();
  }

  private pickDelay(): number {
    if (!Array.isArray(this.delay)) return this.delay;
    const [lo, hi] = this.delay;
    return lo + Math.random() * Math.max(0, hi - lo);
  }

  /** Processes every whole set that is due (or all whole sets with `now`). */
  run(now: boolean): number {
    let n = 0;
    const at = Date.now();
    for (const env of this.world.envs.values()) {
      for (const company of env.companies) {
        const table = tables.get(company);
        if (!table) continue;
        const sets = new Map<string, StagingRow[]>();
        for (const r of table.rows.values()) {
          const k = r.values.External_Document_No!;
          sets.set(k, [...(sets.get(k) ?? []), r]);
        }
        for (const [docNo, rows] of sets) {
          if (rows.some((r) => r.values.Completed === 'true' || (r.values.Error_Message ?? '') !== '')) continue;
          const count = Math.max(...rows.map((r) => Number(r.values.Line_Count) || 0));
          const lines = new Set(rows.map((r) => Number(r.values.Line_No)));
          let whole = count > 0;
          for (let i = 1; i <= count && whole; i++) whole = lines.has(i * 10000);
          if (!whole) {
            table.dueAt.delete(docNo);
            continue;
          }
          let due = table.dueAt.get(docNo);
          if (due === undefined) {
            due = Math.max(...rows.map((r) => r.createdAt)) + this.pickDelay();
            table.dueAt.set(docNo, due);
          }
          if (!now && due > at) continue;
          table.dueAt.delete(docNo);
          this.process(company, rows.filter((r) => Number(r.values.Line_No) <= count * 10000));
          n++;
        }
      }
    }
    return n;
  }

  private process(company: Company, rows: StagingRow[]): void {
    rows.sort((a, b) => Number(a.values.Line_No) - Number(b.values.Line_No));
    const h = rows[0]!.values;
    const body: Wire = { externalDocumentNumber: h.External_Document_No, customerNumber: h.Customer_No ?? '' };
    const copy: [string, string][] = [
      ['Order_Date', 'orderDate'], ['E_Mail', 'email'], ['Phone_No', 'phoneNumber'],
      ['Sell_to_Address', 'sellToAddressLine1'], ['Sell_to_Address_2', 'sellToAddressLine2'], ['Sell_to_City', 'sellToCity'],
      ['Sell_to_County', 'sellToState'], ['Sell_to_Post_Code', 'sellToPostCode'], ['Sell_to_Country_Region_Code', 'sellToCountry'],
      ['Ship_to_Name', 'shipToName'], ['Ship_to_Contact', 'shipToContact'], ['Ship_to_Address', 'shipToAddressLine1'],
      ['Ship_to_Address_2', 'shipToAddressLine2'], ['Ship_to_City', 'shipToCity'], ['Ship_to_County', 'shipToState'],
      ['Ship_to_Post_Code', 'shipToPostCode'], ['Ship_to_Country_Region_Code', 'shipToCountry'], ['Salesperson_Code', 'salesperson'],
    ];
    for (const [from, to] of copy) if (h[from]) body[to] = h[from];
    if (h.Currency_Code) body.currencyCode = h.Currency_Code;
    body.pricesIncludeTax = h.Prices_Including_VAT === 'true';
    let salesOrderNo = '';
    const tx = new Journal();
    try {
      if (h.Shipment_Method_Code) {
        // The processor sets the Sales Header's code directly; the API only knows the method's id.
        const m = company.data.shipmentMethods.find((r) => r.data.code === h.Shipment_Method_Code);
        if (!m) throw new BcError(400, 'Internal_RecordNotFound', `The Shipment Method does not exist. Identification fields and values: Code='${h.Shipment_Method_Code}'`);
        body.shipmentMethodId = m.data.id;
      }
      // The job validates the header's Dimension Set first; the lines start from it (docs/bc-soap-page.md).
      const headerDims = parseDimensions(h.Header_Dimensions);
      if (headerDims.length) body.dimensionSetLines = headerDims.map(([code, valueCode]) => ({ code, valueCode }));
      const lineDims = rows.map((r) => parseDimensions(r.values.Line_Dimensions));
      body.salesOrderLines = rows.map((r) => {
        const v = r.values;
        const line: Wire = { lineType: TYPE_TO_API[v.Type ?? '_blank_'] ?? 'Comment', quantity: Number(v.Quantity ?? '0') };
        if (v.No) line.lineObjectNumber = v.No;
        if (v.Description) line.description = v.Description;
        if (v.Description_2) line.description2 = v.Description_2;
        if (v.Unit_of_Measure_Code) line.unitOfMeasureCode = v.Unit_of_Measure_Code;
        if (v.Unit_Price !== undefined && v.Unit_Price !== '') line.unitPrice = Number(v.Unit_Price);
        if (v.Line_Discount_Amount) line.discountAmount = Number(v.Line_Discount_Amount);
        if (v.Variant_Code) {
          const variant = company.data.itemVariants.find((x) => x.data.itemNumber === v.No && x.data.code === v.Variant_Code);
          if (!variant) throw new BcError(400, 'Internal_RecordNotFound', `The Item Variant does not exist. Identification fields and values: Item No.='${v.No ?? ''}',Code='${v.Variant_Code}'`);
          line.itemVariantId = variant.data.id;
        }
        // Sales Line takes the header's Location Code on item lines unless the record names its own.
        const locationCode = v.Line_Location_Code || (v.Type === 'Item' ? h.Location_Code : '');
        if (locationCode) {
          const location = company.data.locations.find((x) => x.data.code === locationCode);
          if (!location) throw new BcError(400, 'Internal_RecordNotFound', `The Location does not exist. Identification fields and values: Code='${locationCode}'`);
          line.locationId = location.data.id;
        }
        return line;
      });
      const order = createOrder(company, body, tx);
      // A line's own dimensions replace the header's value of the same dimension (one Dimension Set per line).
      order.lines.forEach((l, i) => {
        const own = lineDims[i]!;
        if (own.length === 0) return;
        const merged = new Map<string, string>(headerDims);
        for (const [code, value] of own) merged.set(code, value);
        const set = buildDimensionSet(company, String(l.data.id), PARENT_TYPE.line, [...merged].map(([code, valueCode]) => ({ code, valueCode })));
        storeDimensionSet(company, String(l.data.id), set, tx);
      });
      const discount = h.Invoice_Discount_Amount ? Number(h.Invoice_Discount_Amount) : 0;
      // SalesCalcDiscountByType.ApplyInvDiscBasedOnAmt once the lines exist, in the same transaction.
      if (discount !== 0) patchOrder(company, order, { discountAmount: discount }, tx);
      salesOrderNo = String(order.data.number);
      const stamp = new Date().toISOString();
      rows.forEach((r, i) => {
        Object.assign(r.values, {
          Completed: 'true',
          Sales_Order_No: salesOrderNo,
          Sales_Line_No: String(order.lines[i]?.data.sequence ?? ''),
          Processed_At: stamp,
          Order_Amount: String(order.data.totalAmountExcludingTax),
          Order_Amount_Incl_VAT: String(order.data.totalAmountIncludingTax),
        });
        r.version++;
      });
      this.processed++;
    } catch (e) {
      // Codeunit.Run failed: BC rolls back everything the job did for the set.
      tx.rollback();
      if (!(e instanceof BcError)) throw e;
      const stamp = new Date().toISOString();
      for (const r of rows) {
        r.values.Error_Message = e.message.slice(0, 250);
        r.values.Processed_At = stamp;
        r.version++;
      }
      this.failed++;
    }
  }
}

/** `CODE=VALUE;CODE=VALUE` → pairs; a malformed entry is BC's parse error for the whole set. */
function parseDimensions(text: string | undefined): [string, string][] {
  if (!text?.trim()) return [];
  return text.split(';').filter((p) => p.trim() !== '').map((p) => {
    const [code, value, ...rest] = p.split('=');
    if (!code?.trim() || !value?.trim() || rest.length > 0) throw new BcError(400, 'Application_DialogException', `The dimension entry '${p}' is not of the form CODE=VALUE.`);
    return [code.trim().toUpperCase(), value.trim().toUpperCase()];
  });
}

/** A record as the page shows it: stored values plus the fields BC derives when it is read. */
export function view(company: Company, r: StagingRow): Record<string, string> {
  const v: Record<string, string> = { ...r.values };
  if (v.Sales_Order_No) {
    // Shipment progress is read from the sales order, so a shipment posted through the API shows here too.
    const order = company.data.salesOrders.find((o) => o.data.number === v.Sales_Order_No);
    const line = order?.lines.find((l) => String(l.data.sequence) === v.Sales_Line_No);
    if (line) v.Shipped_Quantity = String(line.data.shippedQuantity ?? 0);
  }
  return v;
}

export const STAGING_FIELDS = STAGING.fields;
