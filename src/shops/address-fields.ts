import type { Address } from '../domain/order.js';
import { optText, type JsonObject } from './json-fields.js';

/**
 * The pieces every connector's address reader is made of. Which shop field fills which Address field
 * stays with the connector (that is the platform difference); reading a field and leaving out the
 * empty ones is done here the same way for all.
 */

/** Reads one field of a shop address as trimmed text; blank is undefined. Errors name `path.field`. */
export function addressText(a: JsonObject, path: string): (field: string) => string | undefined {
  return (field) => optText(a, field, `${path}.${field}`)?.trim() || undefined;
}

/** The address with the fields that have a value, in the order given. */
export function compactAddress(fields: { [K in keyof Address]: string | undefined }): Address {
  const address: Address = {};
  for (const [field, value] of Object.entries(fields) as [keyof Address, string | undefined][]) {
    if (value !== undefined && value !== '') address[field] = value;
  }
  return address;
}
