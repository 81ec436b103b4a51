import { describe, expect, it } from 'vitest';
import { shopMappingSchema } from '../../config/shop-rules.js';
import { matchItem, type ItemRecord, type ItemSources } from './item-chain.js';
import { testLine } from './test-orders.js';

const AT = 'shops[0].mapping';
const mapping = (m: Record<string, unknown>) => shopMappingSchema.parse(m);
const I = (number: string, extra: Partial<ItemRecord & { gtin: string; variants: string[] }> = {}) => ({ number, displayName: `Item ${number}`, blocked: false, ...extra });

function sources(items: ReturnType<typeof I>[]): ItemSources & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    byNumber: async (no) => {
      asked.push(`no ${no}`);
      return items.find((i) => i.number === no.toUpperCase());
    },
    byGtin: async (g) => {
      asked.push(`gtin ${g}`);
      return items.filter((i) => i.gtin === g);
    },
    variant: async (item, code) => {
      asked.push(`variant ${item}/${code}`);
      const v = items.find((i) => i.number === item)?.variants?.find((x) => x === code.toUpperCase());
      return v ? { code: v } : undefined;
    },
  };
}

describe('item matching chain', () => {
  it('by default the SKU is the item no.; the SKU map comes first', async () => {
    const s = sources([I('MUG-01'), I('BEAN-1KG')]);
    expect(await matchItem(testLine(), mapping({}), s, AT)).toEqual({ kind: 'item', match: { itemNumber: 'MUG-01', variantCode: undefined, step: 'sku' } });
    const mapped = await matchItem(testLine({ sku: 'ESP-1KG' }), mapping({ skuMap: { 'ESP-1KG': 'BEAN-1KG' } }), s, AT);
    expect(mapped).toMatchObject({ kind: 'item', match: { itemNumber: 'BEAN-1KG', step: 'skuMap' } });
  });

  it('an unknown SKU holds UNKNOWN_SKU with a fix naming skuMap; a map to a missing item says so', async () => {
    const r = await matchItem(testLine({ sku: 'NOPE' }), mapping({}), sources([]), AT);
    expect(r).toEqual({ kind: 'hold', hold: { code: 'UNKNOWN_SKU', reason: 'SKU NOPE has no BC item.', hint: 'Add the item in BC, or map the SKU in shops[0].mapping.skuMap.' } });
    const bad = await matchItem(testLine({ sku: 'X' }), mapping({ skuMap: { X: 'GONE' } }), sources([]), AT);
    expect(bad.kind === 'hold' && bad.hold.reason).toBe('SKU X has no BC item (mapped to GONE in shops[0].mapping.skuMap, which BC does not have).');
  });

  it('a line without SKU holds MISSING_SKU, unless the GTIN step can use its GTIN', async () => {
    expect(await matchItem(testLine({ sku: undefined }), mapping({}), sources([]), AT)).toMatchObject({ kind: 'hold', hold: { code: 'MISSING_SKU' } });
    const byGtin = await matchItem(testLine({ sku: undefined, gtin: '4012345678901' }), mapping({ itemChain: ['sku', 'gtin'] }), sources([I('BEAN-1KG', { gtin: '4012345678901' })]), AT);
    expect(byGtin).toMatchObject({ kind: 'item', match: { itemNumber: 'BEAN-1KG', step: 'gtin' } });
  });

  it('gtin: a SKU made of 8/12/13/14 digits is tried as a GTIN; two items with one GTIN hold', async () => {
    const r = await matchItem(testLine({ sku: '5701234567001' }), mapping({ itemChain: ['sku', 'gtin'] }), sources([I('MUG-01', { gtin: '5701234567001' })]), AT);
    expect(r).toMatchObject({ kind: 'item', match: { itemNumber: 'MUG-01', step: 'gtin' } });
    const two = await matchItem(testLine({ gtin: '11111111' }), mapping({ itemChain: ['gtin'] }), sources([I('A', { gtin: '11111111' }), I('B', { gtin: '11111111' })]), AT);
    expect(two).toMatchObject({ kind: 'hold', hold: { code: 'ITEM_AMBIGUOUS', reason: 'GTIN 11111111 belongs to several BC items: A and B.' } });
    const none = await matchItem(testLine({ sku: 'ZZ', gtin: '22222222' }), mapping({ itemChain: ['sku', 'gtin'] }), sources([]), AT);
    expect(none.kind === 'hold' && none.hold.reason).toBe('SKU ZZ has no BC item (tried as item no., by GTIN 22222222).');
    // Not a GTIN (a typo, a free-text field): BC is not asked.
    const s = sources([]);
    expect(await matchItem(testLine({ sku: 'ZZ', gtin: 'n/a' }), mapping({ itemChain: ['sku', 'gtin'] }), s, AT)).toMatchObject({ kind: 'hold', hold: { code: 'UNKNOWN_SKU' } });
    expect(s.asked).toEqual(['no ZZ']);
  });

  it('variant: the SKU split at the last separator into item + variant, or an explicit variant map', async () => {
    const items = [I('TEE-01', { variants: ['S', 'M'] })];
    const split = await matchItem(testLine({ sku: 'TEE-01-M' }), mapping({ itemChain: ['sku', 'variant'] }), sources(items), AT);
    expect(split).toEqual({ kind: 'item', match: { itemNumber: 'TEE-01', variantCode: 'M', step: 'variant' } });
    const slash = await matchItem(testLine({ sku: 'TEE-01/S' }), mapping({ itemChain: ['variant'], variantSeparator: '/' }), sources(items), AT);
    expect(slash).toMatchObject({ match: { itemNumber: 'TEE-01', variantCode: 'S' } });
    const mapped = await matchItem(testLine({ sku: 'shirt-small' }), mapping({ itemChain: ['variant'], variantMap: { 'shirt-small': { item: 'TEE-01', variant: 'S' } } }), sources(items), AT);
    expect(mapped).toMatchObject({ match: { itemNumber: 'TEE-01', variantCode: 'S' } });
    const missing = await matchItem(testLine({ sku: 'shirt-xl' }), mapping({ itemChain: ['variant'], variantMap: { 'shirt-xl': { item: 'TEE-01', variant: 'XL' } } }), sources(items), AT);
    expect(missing).toMatchObject({ kind: 'hold', hold: { code: 'VARIANT_NOT_IN_BC', reason: 'BC item TEE-01 has no variant XL (shops[0].mapping.variantMap["shirt-xl"]).' } });
  });

  it('a blocked item holds ITEM_BLOCKED', async () => {
    const r = await matchItem(testLine({ sku: 'OLD-MUG' }), mapping({}), sources([I('OLD-MUG', { blocked: true })]), AT);
    expect(r).toMatchObject({ kind: 'hold', hold: { code: 'ITEM_BLOCKED', reason: 'BC item OLD-MUG (Item OLD-MUG) is blocked for sales.' } });
  });

  it('letBcDecide: no lookups at all; the SKU (or its mapping) goes to BC as item no.', async () => {
    const s = sources([]);
    const r = await matchItem(testLine({ sku: 'whatever-1' }), mapping({ unknownItems: 'letBcDecide', skuMap: {} }), s, AT);
    expect(r).toEqual({ kind: 'item', match: { itemNumber: 'WHATEVER-1', step: 'unchecked' } });
    expect(s.asked).toEqual([]);
    expect(await matchItem(testLine({ sku: undefined }), mapping({ unknownItems: 'letBcDecide' }), s, AT)).toMatchObject({ kind: 'hold', hold: { code: 'MISSING_SKU' } });
  });
});
