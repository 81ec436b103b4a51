import { badRequest, dialog } from '../errors.js';
import { readBody } from '../odata/body.js';
import { DIMENSION_SET_LINE } from '../schema.js';
import type { Journal } from '../store.js';
import type { Company, Row, Wire } from '../types.js';

/**
 * Dimension set lines of sales orders and their lines (page 30022 "APIV2 - Dimension Set Lines", ALX source;
 * bc-api.md §1.2). Written by code/id and valueCode/valueId, with the page's messages. A line starts with the
 * header's dimensions (Sales Line takes the header's dimension set on insert), so naming one of those again
 * on the line is the page's "already exists" error. Deep insert on a header and on each line is supported
 * (microsoft/ALAppExtensions#11158 moved the part before the lines so lines inherit the header's set).
 */

/** Enum `Dimension Set Entry Buffer Parent Type`, XML-escaped on the wire (bc-api.md §1.3). */
export const PARENT_TYPE = { order: 'Sales_x0020_Order', line: 'Sales_x0020_Order_x0020_Line' } as const;

const ALREADY_EXISTS = 'The dimension set line already exists. Check existing dimension set lines and the default dimension set lines on the parent.';

/** Validates one dimension set line body against the company's dimensions and the parent's current set. */
export function buildDimensionSetLine(company: Company, parentId: string, parentType: string, body: unknown, current: Wire[]): Wire {
  const { fields: f } = readBody(body, DIMENSION_SET_LINE);
  let dim: Row | undefined;
  if (f.id !== undefined) {
    dim = company.data.dimensions.find((d) => d.data.id === f.id);
    if (!dim) throw dialog('The "id" does not match to a Dimension.');
  }
  if (f.code !== undefined) {
    if (dim) {
      if (dim.data.code !== f.code) throw dialog('The dimension field values do not match to a specific Dimension.');
    } else {
      dim = company.data.dimensions.find((d) => d.data.code === f.code);
      if (!dim) throw dialog('The "code" does not match to a Dimension.');
    }
  }
  let value: Row | undefined;
  if (f.valueId !== undefined) {
    value = company.data.dimensionValues.find((v) => v.data.id === f.valueId);
    if (!value) throw dialog('The "valueId" does not match to a Dimension Value.');
  }
  if (f.valueCode !== undefined) {
    if (value) {
      if (value.data.code !== f.valueCode) {
        throw dialog('The values of the "dimensionCode" field and the "dimensionId" field do not refer to the same Dimension Value.');
      }
    } else {
      value = company.data.dimensionValues.find((v) => v.data.dimensionId === dim?.data.id && v.data.code === f.valueCode);
      if (!value) throw dialog('The "valueCode" does not match to a Dimension Value.');
    }
  }
  // OnInsertRecord: CheckIfValuesAreProperlyFilled, then the value must belong to the dimension.
  if (!dim) throw dialog('The "id" or "code" field must be filled in.');
  if (!value) throw dialog('The "valueId" or "valueCode" field must be filled in.');
  if (value.data.dimensionId !== dim.data.id) throw dialog('The "valueCode" does not match to a Dimension Value.');
  if (current.some((c) => c.id === dim!.data.id)) throw dialog(ALREADY_EXISTS);
  return {
    id: dim.data.id,
    code: dim.data.code,
    consolidationCode: dim.data.consolidationCode,
    parentId,
    parentType,
    displayName: dim.data.displayName,
    valueId: value.data.id,
    valueCode: value.data.code,
    valueConsolidationCode: value.data.consolidationCode,
    valueDisplayName: value.data.displayName,
  };
}

/** Validates a deep-inserted list (`dimensionSetLines: [...]`) on top of the set a parent starts with. */
export function buildDimensionSet(company: Company, parentId: string, parentType: string, list: unknown, inherited: Wire[] = []): Wire[] {
  if (list === undefined) return inherited;
  if (!Array.isArray(list)) throw badRequest('Invalid Request Body');
  const set = [...inherited];
  for (const body of list) set.push(buildDimensionSetLine(company, parentId, parentType, body, set));
  return set;
}

/** The set a new line starts with: the header's, re-parented to the line. */
export function inheritedSet(company: Company, orderId: string, lineId: string): Wire[] {
  return (company.data.dimensionSetLines.get(orderId) ?? []).map((r) => ({ ...r.data, parentId: lineId, parentType: PARENT_TYPE.line }));
}

export function storeDimensionSet(company: Company, parentId: string, set: Wire[], tx: Journal | null): void {
  const map = company.data.dimensionSetLines;
  const before = map.get(parentId);
  if (set.length === 0 && !before) return;
  map.set(parentId, set.map((data) => ({ data, version: 1 })));
  tx?.record(() => {
    if (before) map.set(parentId, before);
    else map.delete(parentId);
  });
}

/** POST …/dimensionSetLines on an existing order or line. */
export function addDimensionSetLine(company: Company, parentId: string, parentType: string, body: unknown, tx: Journal | null): Row {
  const current = (company.data.dimensionSetLines.get(parentId) ?? []).map((r) => r.data);
  const line = buildDimensionSetLine(company, parentId, parentType, body, current);
  storeDimensionSet(company, parentId, [...current, line], tx);
  return company.data.dimensionSetLines.get(parentId)!.at(-1)!;
}

/** Splits a navigation property off a request body (deep insert), leaving the entity's own fields. */
export function takeNav(body: unknown, nav: string): { rest: unknown; value: unknown } {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !(nav in body)) return { rest: body, value: undefined };
  const { [nav]: value, ...rest } = body as Record<string, unknown>;
  return { rest, value };
}
