import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from './json.js';
import { expandedCount, toSnapshot } from './snapshot.js';

describe('toSnapshot', () => {
  it('reads BC header fields; an empty currencyId means the local currency (blank)', () => {
    const header = parseJsonLossless(
      '{"id":"b6f4017a-b749-ee11-ad0b-a1422c0f7f1f","number":"101005","externalDocumentNumber":"WOO-1","currencyId":"00000000-0000-0000-0000-000000000000","currencyCode":"GBP","totalAmountExcludingTax":100.10,"totalTaxAmount":20.02,"totalAmountIncludingTax":120.12,"status":"In_x0020_Review","salesOrderLines":[{},{}]}',
    ) as Record<string, unknown>;
    expect(toSnapshot(header, expandedCount(header, 'salesOrderLines') ?? 0)).toEqual({
      id: 'b6f4017a-b749-ee11-ad0b-a1422c0f7f1f',
      number: '101005',
      externalDocumentNumber: 'WOO-1',
      currencyCode: '',
      totalAmountExcludingTax: '100.1',
      totalTaxAmount: '20.02',
      totalAmountIncludingTax: '120.12',
      status: 'In Review',
      lineCount: 2,
      complete: true,
    });
  });
  it('keeps a foreign currency', () => {
    expect(toSnapshot({ id: 'x', currencyId: '3bb5b4b6-ea4c-43ca-ba1c-3b69e29a6668', currencyCode: 'USD' }, 0).currencyCode).toBe('USD');
    expect(expandedCount({}, 'salesOrderLines')).toBeUndefined();
  });
});
