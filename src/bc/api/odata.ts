/**
 * OData v4 literals and BC's enum escaping (reference/bc-api.md §1.3, §1.5).
 */

/** A string literal for $filter: single quotes, an embedded quote doubled (O'Brien → 'O''Brien'). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `field in ('A','B')` (OData 4.01 / schema 2.1, supported by BC). */
export function filterIn(field: string, values: string[]): string {
  return values.length === 1 ? `${field} eq ${odataString(values[0])}` : `${field} in (${values.map(odataString).join(',')})`;
}

/** `field eq 'A' or field eq 'B'`: BC allows `or` on one field, for servers that reject `in`. */
export function filterEqOr(field: string, values: string[]): string {
  return values.map((v) => `${field} eq ${odataString(v)}`).join(' or ');
}

/** Query string for OData system options; values percent-encoded, `$` names kept readable. */
export function odataQuery(params: Record<string, string | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    // encodeURIComponent encodes space as %20 (never '+', which OData reads literally) and keeps quotes readable.
    parts.push(`${k}=${encodeURIComponent(v)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/**
 * Enum members travel XML-name-escaped: `Fixed Asset` ↔ `Fixed_x0020_Asset`, blank ↔ `_x0020_`.
 */
export function encodeEnum(value: string): string {
  return value.replace(/[^A-Za-z0-9_]/g, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}

export function decodeEnum(value: string): string {
  return value.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
