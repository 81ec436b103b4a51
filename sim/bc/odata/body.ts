import { BcError, badRequest, readOnlyControl, stringTooLong, unknownProperty } from '../errors.js';
import { GUID_RE } from '../ids.js';
import type { EntitySchema, FieldDef } from '../schema.js';
import type { Wire } from '../types.js';

const EDM: Record<FieldDef['type'], string> = {
  string: 'Edm.String', code: 'Edm.String', enum: 'Edm.String', decimal: 'Edm.Decimal', int: 'Edm.Int32',
  bool: 'Edm.Boolean', date: 'Edm.Date', datetime: 'Edm.DateTimeOffset', guid: 'Edm.Guid',
};

function convertError(value: unknown, def: FieldDef): BcError {
  if (typeof value === 'string') return badRequest(`Cannot convert the literal '${value}' to the expected type '${EDM[def.type]}'.`);
  return badRequest(`Cannot convert a primitive value to the expected type '${EDM[def.type]}'. See the inner exception for more details.`);
}

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function convert(value: unknown, def: FieldDef): unknown {
  switch (def.type) {
    case 'string': case 'code': case 'enum':
      if (typeof value !== 'string') throw convertError(value, def);
      return value;
    case 'decimal': case 'int':
      // JSON numbers only: strings are rejected by OData with IEEE754Compatible=false.
      if (typeof value !== 'number' || !Number.isFinite(value)) throw convertError(value, def);
      if (def.type === 'int' && !Number.isInteger(value)) throw convertError(value, def);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw convertError(value, def);
      return value;
    case 'date':
      if (typeof value !== 'string' || !validDate(value)) throw convertError(value, def);
      return value;
    case 'datetime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw convertError(value, def);
      return value;
    case 'guid':
      if (typeof value !== 'string' || !GUID_RE.test(value)) throw convertError(value, def);
      return value.toLowerCase();
  }
}

/**
 * Deserialises a request body against an entity the way the OData layer and then the API page do:
 * first unknown properties, read-only controls and type conversion (body order), then field
 * assignment in page order with MaxLength checks (bc-api.md §1.2) and Code fields upper-cased.
 * Navigation properties listed in `nav` are returned separately (deep insert, bc-api.md §1.4).
 */
export function readBody(
  body: unknown,
  schema: EntitySchema,
  nav: string[] = [],
): { fields: Wire; navs: Record<string, unknown> } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('Invalid Request Body');
  const fields: Wire = {};
  const navs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Wire)) {
    if (k.startsWith('@odata.') || k.includes('@')) continue; // annotations
    if (nav.includes(k)) {
      navs[k] = v;
      continue;
    }
    const def = schema.fields[k];
    if (!def) {
      if (schema.navigation.includes(k)) throw badRequest(`Deep insert of '${k}' is not supported.`);
      throw unknownProperty(k, schema.type);
    }
    if (def.ro) throw readOnlyControl(def.caption ?? k);
    fields[k] = convert(v, def);
  }
  const ordered: Wire = {};
  for (const [k, def] of Object.entries(schema.fields)) {
    if (!(k in fields)) continue;
    let v = fields[k];
    if (typeof v === 'string' && def.max !== undefined && v.length > def.max) throw stringTooLong(v, def.max);
    if (def.type === 'code' && typeof v === 'string') v = v.toUpperCase(); // Code fields are stored upper case
    ordered[k] = v;
  }
  return { fields: ordered, navs };
}
