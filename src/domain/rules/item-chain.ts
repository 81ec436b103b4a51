import type { ItemStep } from '../../config/shop-rules.js';
import type { ShopMapping } from '../../config/schema.js';
import type { HoldReason } from '../hold.js';
import type { OrderLine } from '../order.js';
import { reasons } from './reasons.js';

/** A BC item as the chain needs it (structurally the BcItem of src/bc/target.ts). */
export interface ItemRecord {
  number: string;
  displayName: string;
  blocked: boolean;
}

export interface ItemSources {
  byNumber(number: string): Promise<ItemRecord | undefined>;
  byGtin(gtin: string): Promise<ItemRecord[]>;
  /** The variant when item `itemNumber` has a variant `code`. */
  variant(itemNumber: string, code: string): Promise<{ code: string } | undefined>;
}

export interface ItemMatch {
  itemNumber: string;
  variantCode?: string;
  /** The step that decided; `unchecked` when the shop lets BC decide. */
  step: ItemStep | 'unchecked';
}

export type ItemDecision = { kind: 'item'; match: ItemMatch } | { kind: 'hold'; hold: HoldReason };

const ITEM_NO_MAX = 20;

/** EAN-8, UPC-A (12), EAN-13, GTIN-14: a SKU made only of these digits may be a GTIN. */
const GTIN = /^(\d{8}|\d{12,14})$/;

/**
 * The item matching chain: by default SKU = BC item no. (Tinx: Item No. = Webshop SKU), with the SKU map
 * first; optional GTIN/EAN (`items?$filter=gtin eq …`) and item variants. The first step that finds an
 * item decides; an unknown SKU holds the order unless the shop lets BC decide.
 */
export async function matchItem(line: OrderLine, mapping: ShopMapping, src: ItemSources, at: string): Promise<ItemDecision> {
  const sku = line.sku?.trim() || undefined;
  if (mapping.unknownItems === 'letBcDecide') {
    // No lookups at all: BC checks the item no. when the order is created (Tinx without the "Blocked" filter).
    if (!sku) return { kind: 'hold', hold: reasons.missingSku(line.name) };
    const v = mapping.variantMap[sku];
    if (v) return { kind: 'item', match: { itemNumber: v.item.toUpperCase(), variantCode: v.variant.toUpperCase(), step: 'unchecked' } };
    return { kind: 'item', match: { itemNumber: (mapping.skuMap[sku] ?? sku).toUpperCase(), step: 'unchecked' } };
  }
  // Only a well-formed GTIN is worth a question to BC (its gtin field is Code[14]).
  const gtin = [line.gtin?.trim(), sku].find((g): g is string => g !== undefined && GTIN.test(g));
  const canGtin = mapping.itemChain.includes('gtin') && gtin !== undefined;
  if (!sku && !canGtin) return { kind: 'hold', hold: reasons.missingSku(line.name) };

  const tried: string[] = [];
  let found: { item: ItemRecord; variantCode?: string; step: ItemStep } | undefined;
  for (const step of mapping.itemChain) {
    if (found) break;
    switch (step) {
      case 'skuMap': {
        const mapped = sku ? mapping.skuMap[sku] : undefined;
        if (!mapped) break;
        const item = await src.byNumber(mapped);
        // An explicit mapping to a missing item is a mistake to report, not a reason to guess further.
        if (!item) return { kind: 'hold', hold: reasons.unknownSku(sku!, ` (mapped to ${mapped} in ${at}.skuMap, which BC does not have)`, at) };
        found = { item, step };
        break;
      }
      case 'sku': {
        // BC item numbers are Code[20]: a longer SKU cannot be one.
        if (!sku || sku.length > ITEM_NO_MAX) break;
        tried.push('as item no.');
        const item = await src.byNumber(sku);
        if (item) found = { item, step };
        break;
      }
      case 'gtin': {
        if (!gtin) break;
        tried.push(`by GTIN ${gtin}`);
        const items = uniqueItems(await src.byGtin(gtin));
        if (items.length > 1) return { kind: 'hold', hold: reasons.itemAmbiguous(gtin, items.map((i) => i.number), at) };
        if (items.length === 1) found = { item: items[0], step };
        break;
      }
      case 'variant': {
        if (!sku) break;
        const mapped = mapping.variantMap[sku];
        if (mapped) {
          const item = await src.byNumber(mapped.item);
          if (!item) return { kind: 'hold', hold: reasons.unknownSku(sku, ` (mapped to item ${mapped.item} in ${at}.variantMap, which BC does not have)`, at) };
          const v = await src.variant(item.number, mapped.variant);
          if (!v) return { kind: 'hold', hold: reasons.variantNotInBc(item.number, mapped.variant.toUpperCase(), `${at}.variantMap["${sku}"]`) };
          found = { item, variantCode: v.code, step };
          break;
        }
        const cut = sku.lastIndexOf(mapping.variantSeparator);
        if (cut <= 0 || cut + mapping.variantSeparator.length >= sku.length) break;
        const base = sku.slice(0, cut);
        const code = sku.slice(cut + mapping.variantSeparator.length);
        if (code.length > 10 || base.length > ITEM_NO_MAX) break;
        tried.push(`as item ${base} variant ${code}`);
        const item = await src.byNumber(base);
        if (!item) break;
        const v = await src.variant(item.number, code);
        if (v) found = { item, variantCode: v.code, step };
        break;
      }
    }
  }
  if (!found) {
    const detail = tried.length > 1 ? ` (tried ${tried.join(', ')})` : '';
    return { kind: 'hold', hold: reasons.unknownSku(sku ?? gtin!, detail, at) };
  }
  if (found.item.blocked) return { kind: 'hold', hold: reasons.itemBlocked(found.item.number, found.item.displayName, sku ?? gtin!, at) };
  return { kind: 'item', match: { itemNumber: found.item.number, variantCode: found.variantCode, step: found.step } };
}

function uniqueItems(list: ItemRecord[]): ItemRecord[] {
  const seen = new Map<string, ItemRecord>();
  for (const i of list) if (!seen.has(i.number)) seen.set(i.number, i);
  return [...seen.values()];
}
