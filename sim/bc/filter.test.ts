import { describe, expect, it } from 'vitest';
import { BcError } from './errors.js';
import { compileFilter } from './odata/filter.js';
import { SALES_ORDER } from './schema.js';

const order = {
  number: 'S-ORD101001', externalDocumentNumber: "O'BRIEN-1", customerId: '5441851c-b417-4567-aeef-2ea875f11c96',
  orderDate: '2026-03-01', lastModifiedDateTime: '2026-03-01T10:00:00.000Z', totalAmountIncludingTax: 78.26,
  pricesIncludeTax: false, status: 'In_x0020_Review', shipToName: 'Jane Doe',
};
const test = (f: string) => compileFilter(f, SALES_ORDER).predicate(order);
const error = (f: string) => {
  try {
    compileFilter(f, SALES_ORDER);
  } catch (e) {
    return (e as BcError).message;
  }
  return 'no error';
};

describe('$filter parser (bc-api.md §1.5)', () => {
  it('evaluates comparisons, boolean logic and literals', () => {
    expect(test("externalDocumentNumber eq 'o''brien-1'")).toBe(true); // Code field: literal upper-cased
    expect(test("shipToName eq 'jane doe'")).toBe(false); // Text field: case-sensitive
    expect(test('totalAmountIncludingTax ge 78.26 and totalAmountIncludingTax lt 100')).toBe(true);
    expect(test('not (totalAmountIncludingTax gt 100)')).toBe(true);
    expect(test('orderDate gt 2026-02-28 and lastModifiedDateTime gt 2026-03-01T09:59:59Z')).toBe(true);
    expect(test('customerId eq 5441851C-B417-4567-AEEF-2EA875F11C96')).toBe(true);
    expect(test('customerId in (00000000-0000-0000-0000-000000000000, 5441851c-b417-4567-aeef-2ea875f11c96)')).toBe(true);
    expect(test('pricesIncludeTax eq false')).toBe(true);
    expect(test("status eq 'In Review'")).toBe(true);
    expect(test("contains(shipToName,'Doe') and startswith(number,'S-ORD')")).toBe(true);
    expect(test("tolower(shipToName) eq 'jane doe'")).toBe(true);
    expect(test("number IN ('S-ORD101001')")).toBe(true);
  });

  it('matches in (…) like eq for each literal (the literal set is normalised once per filter)', () => {
    const f = compileFilter("externalDocumentNumber in ('woo-1', 'o''brien-1')", SALES_ORDER).predicate;
    expect(f(order)).toBe(true); // Code field: literals upper-cased
    expect(f({ ...order, externalDocumentNumber: 'WOO-1' })).toBe(true);
    expect(f({ ...order, externalDocumentNumber: 'WOO-2' })).toBe(false);
    expect(test('totalAmountIncludingTax in (1, 78.260)')).toBe(true); // decimals by value
    expect(test("shipToName in ('jane doe')")).toBe(false); // Text field: case-sensitive
    expect(test('lastModifiedDateTime in (2026-03-01T10:00:00Z)')).toBe(true);
    expect(test('not (customerId in (00000000-0000-0000-0000-000000000000))')).toBe(true);
  });

  it('keeps a GUID that ends in d or l whole (only numbers take a type suffix)', () => {
    const withD = { ...order, customerId: 'e3209708-2a85-4cfc-a585-c940913df6dd' };
    expect(compileFilter('customerId eq e3209708-2a85-4cfc-a585-c940913df6dd', SALES_ORDER).predicate(withD)).toBe(true);
    expect(test('totalAmountIncludingTax eq 78.26m')).toBe(true);
  });

  it('rejects what BC rejects', () => {
    expect(error("number eq 'A' or externalDocumentNumber eq 'B'")).toBe("The 'OR' operator is not supported on distinct fields on an OData filter.");
    expect(error("(number eq 'A' or number eq 'B') and externalDocumentNumber eq 'C'")).toBe('no error');
    expect(error("number eq 'A' or (number eq 'B' and externalDocumentNumber eq 'C')")).toMatch(/OR/);
    expect(error("number eq 'A")).toMatch(/unterminated string literal/);
    expect(error('number eq')).toMatch(/^Syntax error/);
    expect(error('totalAmountIncludingTax eq \'1\'')).toMatch(/incompatible types/);
    expect(error("nope eq 'x'")).toBe("Could not find a property named 'nope' on type 'Microsoft.NAV.salesOrder'.");
  });
});

describe('$filter on a collection: a key filter picks the same rows as the predicate, after any change', () => {
  it('follows rows added, removed, moved and rewritten between requests', () => {
    const row = (ext: string, n: number) => ({ data: { ...order, externalDocumentNumber: ext, number: `S-ORD${n}` } });
    const rows = [row('WOO-1', 1), row('WOO-2', 2), row('WOO-3', 3)];
    const keys = "externalDocumentNumber in ('woo-1','WOO-3','WOO-9')";
    const pick = (f: string) => compileFilter(f, SALES_ORDER).select(rows).map((r) => r.data.number);
    const byPredicate = (f: string) => rows.filter((r) => compileFilter(f, SALES_ORDER).predicate(r.data)).map((r) => r.data.number);
    expect(pick(keys)).toEqual(['S-ORD1', 'S-ORD3']);
    rows.push(row('WOO-9', 9));
    expect(pick(keys)).toEqual(['S-ORD1', 'S-ORD3', 'S-ORD9']);
    // A write replaces the row's data: the old key no longer matches, the new one does.
    rows[0]!.data = { ...rows[0]!.data, externalDocumentNumber: 'WOO-2' };
    expect(pick(keys)).toEqual(['S-ORD3', 'S-ORD9']);
    expect(pick("externalDocumentNumber eq 'WOO-2'")).toEqual(['S-ORD1', 'S-ORD2']);
    rows.splice(1, 1);
    expect(pick(keys)).toEqual(['S-ORD3', 'S-ORD9']);
    expect(pick("externalDocumentNumber eq 'woo-2'")).toEqual(['S-ORD1']);
    for (const f of [keys, "externalDocumentNumber eq 'WOO-2'", "number in ('S-ORD1','S-ORD9')", "externalDocumentNumber in ('WOO-3') or externalDocumentNumber eq 'WOO-2'", "externalDocumentNumber eq 'WOO-3' and number eq 'S-ORD3'"]) {
      expect(pick(f)).toEqual(byPredicate(f));
    }
  });
});
