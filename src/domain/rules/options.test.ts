import { describe, expect, it } from 'vitest';
import { shopMappingSchema } from '../../config/shop-rules.js';
import { planOptions } from './options.js';

const AT = 'shops[0].mapping';
const cfg = (o: Record<string, unknown>) => shopMappingSchema.parse({ options: o }).options;
const OPTS = [{ label: 'Size', value: 'M' }, { label: 'Color', value: 'Blue' }];

describe('product options (Tinx "Handle Product Options")', () => {
  it('description2 (default): every option in Description 2', () => {
    expect(planOptions(OPTS, cfg({}), AT)).toEqual({ kind: 'plan', plan: { description2: 'Size: M, Color: Blue', comments: [], dimensions: [] } });
  });

  it('newLine: one comment line per option, label in Description, value in Description 2', () => {
    const r = planOptions(OPTS, cfg({ mode: 'newLine' }), AT);
    expect(r).toEqual({ kind: 'plan', plan: { comments: [{ description: 'Size', description2: 'M' }, { description: 'Color', description2: 'Blue' }], dimensions: [] } });
  });

  it('field: one option linked to the variant code or unit of measure; the rest stays in Description 2', () => {
    const v = planOptions(OPTS, cfg({ mode: 'field', label: 'size', field: 'itemVariantCode' }), AT);
    expect(v).toMatchObject({ kind: 'plan', plan: { itemVariantCode: 'M', description2: 'Color: Blue' } });
    const u = planOptions([{ label: 'Unit', value: 'box' }], cfg({ mode: 'field', label: 'Unit', field: 'unitOfMeasureCode' }), AT);
    expect(u).toMatchObject({ kind: 'plan', plan: { unitOfMeasureCode: 'BOX' } });
    const d = planOptions(OPTS, cfg({ mode: 'field', label: 'Color', field: 'description2' }), AT);
    expect(d).toMatchObject({ plan: { description2: 'Blue, Size: M' } });
    const tooLong = planOptions([{ label: 'Size', value: 'Extra extra large' }], cfg({ mode: 'field', label: 'Size', field: 'itemVariantCode' }), AT);
    expect(tooLong).toMatchObject({ kind: 'hold', hold: { code: 'OPTION_VALUE_INVALID' } });
  });

  it('dimensions: mapped options become dimension set lines (value upper-cased); unmapped ones stay in Description 2', () => {
    const r = planOptions(OPTS, cfg({ mode: 'dimensions', dimensions: { color: 'COLOR' } }), AT);
    expect(r).toEqual({ kind: 'plan', plan: { description2: 'Size: M', comments: [], dimensions: [{ code: 'COLOR', valueCode: 'BLUE', label: 'Color' }] } });
    const long = planOptions([{ label: 'Color', value: 'A very long colour name indeed' }], cfg({ mode: 'dimensions', dimensions: { Color: 'COLOR' } }), AT);
    expect(long).toMatchObject({ kind: 'hold', hold: { code: 'DIMENSION_VALUE_INVALID' } });
  });

  it('element value (Tinx "Value"): the shop\'s stored name and value are sent; a configured label matches either form', () => {
    const woo = [{ label: 'Size', value: 'XL', key: { label: 'pa_size', value: 'xl' } }, { label: 'Gift message', value: 'Hi' }];
    expect(planOptions(woo, cfg({ element: 'value' }), AT)).toMatchObject({ plan: { description2: 'pa_size: xl, Gift message: Hi' } });
    expect(planOptions(woo, cfg({}), AT)).toMatchObject({ plan: { description2: 'Size: XL, Gift message: Hi' } });
    const variant = planOptions(woo, cfg({ element: 'value', mode: 'field', label: 'Size', field: 'itemVariantCode' }), AT);
    expect(variant).toMatchObject({ plan: { itemVariantCode: 'XL', description2: 'Gift message: Hi' } });
    const dims = planOptions(woo, cfg({ mode: 'dimensions', dimensions: { pa_size: 'SIZE' } }), AT);
    expect(dims).toMatchObject({ plan: { dimensions: [{ code: 'SIZE', valueCode: 'XL', label: 'Size' }] } });
    const lines = planOptions(woo, cfg({ element: 'value', mode: 'newLine' }), AT);
    expect(lines).toMatchObject({ plan: { comments: [{ description: 'pa_size', description2: 'xl' }, { description: 'Gift message', description2: 'Hi' }] } });
  });

  it('none: options are not sent', () => {
    expect(planOptions(OPTS, cfg({ mode: 'none' }), AT)).toEqual({ kind: 'plan', plan: { comments: [], dimensions: [] } });
  });
});
