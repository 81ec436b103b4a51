import { XMLParser } from 'fast-xml-parser';

/**
 * SOAP 1.1 document/literal envelopes for BC page web services (reference/bc-api.md §4), and their
 * parsing. Values stay strings: decimals must not pass through binary floats, and Code fields such as
 * `00123` must keep their zeros.
 */

export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

/**
 * An element's children in the order the WSDL's sequence lists them (order matters to BC's deserializer).
 * A list is the same name repeated.
 */
export type XmlFields = [name: string, value: string | XmlFields][];

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 cannot carry most C0 control characters at all; a shop address with one must not break the envelope.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

export function fieldsXml(fields: XmlFields): string {
  let out = '';
  for (const [name, value] of fields) {
    out += `<${name}>${typeof value === 'string' ? escapeXml(value) : fieldsXml(value)}</${name}>`;
  }
  return out;
}

/** `<soap:Envelope><soap:Body><{op} xmlns="{ns}">…</{op}></soap:Body></soap:Envelope>` */
export function soapEnvelope(namespace: string, operation: string, body: XmlFields): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${SOAP_ENV_NS}">` +
    `<soap:Body><${operation} xmlns="${escapeXml(namespace)}">${fieldsXml(body)}</${operation}></soap:Body>` +
    '</soap:Envelope>'
  );
}

export interface SoapFault {
  faultcode: string;
  faultstring: string;
  detail: string;
}

export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

export interface ParsedEnvelope {
  /** The one element inside soap:Body, by local name. */
  operation?: string;
  body?: XmlNode;
  fault?: SoapFault;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Lists of one record must still come back as lists; decided per element in `asArray` instead.
  isArray: () => false,
  processEntities: true,
  htmlEntities: false,
});

/** Parses a SOAP 1.1 envelope (any prefix); throws when the text is not one. */
export function parseEnvelope(text: string): ParsedEnvelope {
  const doc = parser.parse(text) as Record<string, unknown>;
  const env = doc.Envelope as Record<string, unknown> | undefined;
  if (!env || typeof env !== 'object') throw new Error('not a SOAP envelope');
  const body = env.Body as Record<string, XmlNode> | string | undefined;
  if (body === undefined) throw new Error('SOAP envelope without Body');
  if (typeof body === 'string') return {};
  // Pretty-printed envelopes leave whitespace text between elements; only elements count.
  const names = Object.keys(body).filter((k) => !k.startsWith('#'));
  if (names.includes('Fault')) {
    const f = body.Fault as Record<string, XmlNode>;
    return { fault: { faultcode: textOf(f.faultcode), faultstring: textOf(f.faultstring), detail: textOf(f.detail) } };
  }
  const operation = names[0];
  return operation === undefined ? {} : { operation, body: body[operation] as XmlNode };
}

/** The text of a leaf (nested text is concatenated, so a detail block still reads as words). */
export function textOf(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join(' ');
  if (typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if ('#text' in o) return textOf(o['#text']);
    return Object.values(o).map(textOf).filter(Boolean).join(' ');
  }
  return '';
}

/** A child that may occur once or many times, always as a list. */
export function asArray(node: unknown): XmlNode[] {
  if (node === undefined || node === null || node === '') return [];
  return Array.isArray(node) ? (node as XmlNode[]) : [node as XmlNode];
}

/** A record element's leaf fields as strings (`<No>00123</No>` → { No: '00123' }); nested elements are skipped. */
export function recordOf(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!node || typeof node !== 'object' || Array.isArray(node)) return out;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k.startsWith('#')) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) out[k] = '';
  }
  return out;
}
