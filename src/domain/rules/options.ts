import type { ShopMapping } from '../../config/schema.js';
import type { HoldReason } from '../hold.js';
import type { OrderOption } from '../order.js';
import { reasons } from './reasons.js';

/** What a line's product options become on the BC document. */
export interface OptionPlan {
  /** Description 2 of the item line. */
  description2?: string;
  /** Comment lines right after the item line: label in Description, value in Description 2. */
  comments: { description: string; description2?: string }[];
  /** Dimension set lines of the item line. */
  dimensions: { code: string; valueCode: string; label: string }[];
  itemVariantCode?: string;
  unitOfMeasureCode?: string;
}

export type OptionDecision = { kind: 'plan'; plan: OptionPlan } | { kind: 'hold'; hold: HoldReason };

/** BC Code fields: stored upper case; dimension value codes are Code[20], variant and unit codes Code[10]. */
export function toCode(value: string): string {
  return value.trim().toUpperCase();
}

const joined = (options: OrderOption[]) => (options.length ? options.map((o) => `${o.label}: ${o.value}`).join(', ') : undefined);

/**
 * Product options (variation attributes, add-ons) in Tinx's modes:
 * - `description2` (default): "Size: M, Color: Blue" in Description 2 of the item line;
 * - `newLine`: one comment line per option, label in Description, value in Description 2;
 * - `field`: the option named `label` goes into one field of the line (variant code, unit of measure or
 *   Description 2); any other options stay in Description 2;
 * - `dimensions`: options named in `dimensions` become dimension set lines (label → dimension code, value →
 *   dimension value code); the rest stay in Description 2;
 * - `none`: options are not sent.
 * `at` is the config path of the mapping, for hints.
 */
export function planOptions(shown: OrderOption[], cfg: ShopMapping['options'], at: string): OptionDecision {
  const plan: OptionPlan = { comments: [], dimensions: [] };
  const options = cfg.element === 'value' ? shown.map(storedForm) : shown;
  if (options.length === 0 || cfg.mode === 'none') return { kind: 'plan', plan };
  switch (cfg.mode) {
    case 'description2':
      plan.description2 = joined(options);
      return { kind: 'plan', plan };
    case 'newLine':
      plan.comments = options.map((o) => ({ description: o.label, description2: o.value }));
      return { kind: 'plan', plan };
    case 'field': {
      const wanted = cfg.label!.toLowerCase();
      const hit = options.find((o) => labelMatches(o, wanted));
      const rest = options.filter((o) => o !== hit);
      if (!hit) {
        plan.description2 = joined(rest);
        return { kind: 'plan', plan };
      }
      if (cfg.field === 'description2') {
        plan.description2 = [hit.value, ...rest.map((o) => `${o.label}: ${o.value}`)].join(', ');
        return { kind: 'plan', plan };
      }
      const value = toCode(hit.value);
      if (value.length === 0 || value.length > 10) return { kind: 'hold', hold: reasons.optionValueInvalid(hit.label, hit.value, cfg.field!, 10) };
      if (cfg.field === 'itemVariantCode') plan.itemVariantCode = value;
      else plan.unitOfMeasureCode = value;
      plan.description2 = joined(rest);
      return { kind: 'plan', plan };
    }
    case 'dimensions': {
      const byLabel = new Map(Object.entries(cfg.dimensions).map(([label, dim]) => [label.toLowerCase(), dim]));
      const rest: OrderOption[] = [];
      for (const o of options) {
        const dim = byLabel.get(o.label.toLowerCase()) ?? (o.key && byLabel.get(o.key.label.toLowerCase()));
        if (!dim) {
          rest.push(o);
          continue;
        }
        const valueCode = toCode(o.value);
        if (valueCode.length === 0 || valueCode.length > 20) {
          return { kind: 'hold', hold: reasons.dimensionValueInvalid(toCode(dim), o.value, `${at}.options.dimensions["${o.label}"]`) };
        }
        // One value per dimension on a line: BC keeps a dimension set, not a list.
        if (!plan.dimensions.some((d) => d.code === toCode(dim))) plan.dimensions.push({ code: toCode(dim), valueCode, label: o.label });
      }
      plan.description2 = joined(rest);
      return { kind: 'plan', plan };
    }
  }
}

/** Tinx "Value": the shop's stored name and value where it has them; the shown label stays available for matching. */
function storedForm(o: OrderOption): OrderOption {
  return o.key ? { label: o.key.label, value: o.key.value, key: { label: o.label, value: o.value } } : o;
}

/** A configured option label matches either form of the option's name (`Color` or `pa_color`), case-insensitively. */
function labelMatches(o: OrderOption, wanted: string): boolean {
  return o.label.toLowerCase() === wanted || o.key?.label.toLowerCase() === wanted;
}
