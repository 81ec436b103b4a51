import type { Dec } from '../../domain/money.js';
import { invalid, toDec, type JsonObject } from '../json-fields.js';
import { optId, optText } from './fields.js';
import type { PartsShipping } from './order-parts.js';

/** What the REST and the GraphQL order readers read the same way, under the same field names. */

/** A line item's id and quantity; both shapes require them. */
export function readLineKey(item: JsonObject, path: string): { id: string; quantity: Dec } {
  const id = optId(item, 'id', `${path}.id`);
  if (id === undefined) throw invalid(`${path}.id`, item.id, 'a Shopify id');
  const quantity = toDec(item.quantity);
  if (quantity === undefined) throw invalid(`${path}.quantity`, item.quantity, 'a number');
  return { id, quantity };
}

/** A shipping line's id, title and code, those it has. */
export function readShippingLabels(s: JsonObject, path: string): Pick<PartsShipping, 'id' | 'title' | 'code'> {
  const labels: Pick<PartsShipping, 'id' | 'title' | 'code'> = {};
  const id = optId(s, 'id', `${path}.id`);
  if (id) labels.id = id;
  const title = optText(s, 'title', `${path}.title`);
  if (title) labels.title = title;
  const code = optText(s, 'code', `${path}.code`);
  if (code) labels.code = code;
  return labels;
}

/** A setter for the optional fields of `target` that leaves out undefined values. */
export function definedSetter<T extends object>(target: T): <K extends keyof T>(key: K, value: T[K] | undefined) => void {
  return (key, value) => {
    if (value !== undefined) target[key] = value;
  };
}
