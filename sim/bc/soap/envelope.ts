import { XMLParser } from 'fast-xml-parser';

/**
 * SOAP 1.1 envelopes on the server side (bc-api.md §4). The request's operation element must be in the
 * page's namespace, which is checked by resolving prefixes, not by trusting the local name.
 */
export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

type Node = Record<string, unknown>;

export interface SoapRequest {
  operation: string;
  namespace: string;
  /** The operation element's children, local names, each value a list (text or nested Children). */
  children: Children;
}
export type Children = Map<string, (string | Children)[]>;

export class EnvelopeError extends Error {}

function local(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

function prefixOf(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? '' : name.slice(0, i);
}

function nsOf(name: string, scopes: Map<string, string>): string | undefined {
  return scopes.get(prefixOf(name));
}

function withScope(node: Node, scopes: Map<string, string>): Map<string, string> {
  const next = new Map(scopes);
  for (const [k, v] of Object.entries(node)) {
    if (k === '@xmlns') next.set('', String(v));
    else if (k.startsWith('@xmlns:')) next.set(k.slice(7), String(v));
  }
  return next;
}

function elementsOf(node: Node): [string, Node | string][] {
  const out: [string, Node | string][] = [];
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('@') || k === '#text') continue;
    for (const item of v as unknown[]) out.push([k, item as Node | string]);
  }
  return out;
}

function toChildren(node: Node | string): Children | string {
  if (typeof node === 'string') return node;
  const els = elementsOf(node);
  if (els.length === 0) return typeof node['#text'] === 'string' ? (node['#text'] as string) : '';
  const m: Children = new Map();
  for (const [k, v] of els) {
    const name = local(k);
    m.set(name, [...(m.get(name) ?? []), toChildren(v)]);
  }
  return m;
}

export function parseRequest(text: string): SoapRequest {
  let doc: Node;
  try {
    doc = parser.parse(text) as Node;
  } catch (e) {
    throw new EnvelopeError(`The request is not well-formed XML: ${(e as Error).message.split('\n')[0]}`);
  }
  const root = elementsOf(doc).find(([k]) => local(k) === 'Envelope');
  if (!root || typeof root[1] === 'string') throw new EnvelopeError('The request is not a SOAP envelope.');
  let scopes = withScope(root[1], new Map());
  if (nsOf(root[0], scopes) !== SOAP_NS) throw new EnvelopeError(`The envelope is not in ${SOAP_NS} (SOAP 1.1).`);
  const body = elementsOf(root[1]).find(([k]) => local(k) === 'Body');
  if (!body || typeof body[1] === 'string') throw new EnvelopeError('The SOAP envelope has no Body.');
  scopes = withScope(body[1], scopes);
  const [opName, opNode] = elementsOf(body[1])[0] ?? [];
  if (!opName || opNode === undefined) throw new EnvelopeError('The SOAP Body is empty.');
  const opScopes = typeof opNode === 'string' ? scopes : withScope(opNode, scopes);
  const children = toChildren(opNode);
  return { operation: local(opName), namespace: nsOf(opName, opScopes) ?? '', children: typeof children === 'string' ? new Map() : children };
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function envelope(inner: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><Soap:Envelope xmlns:Soap="${SOAP_NS}"><Soap:Body>${inner}</Soap:Body></Soap:Envelope>`;
}

/** BC's fault (bc-api.md §4): HTTP 500, faultcode in urn:microsoft-dynamics-schemas/error. */
export function faultEnvelope(message: string, code = 'Microsoft.Dynamics.Nav.Types.Exceptions.NavNCLDialogException'): string {
  const s = 'http://schemas.xmlsoap.org/soap/envelope/';
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${s}"><s:Body><s:Fault>` +
    `<faultcode xmlns:a="urn:microsoft-dynamics-schemas/error">a:${escapeXml(code)}</faultcode>` +
    `<faultstring xml:lang="en-US">${escapeXml(message)}</faultstring>` +
    `<detail><string xmlns="http://schemas.microsoft.com/2003/10/Serialization/">${escapeXml(message)}</string></detail>` +
    '</s:Fault></s:Body></s:Envelope>'
  );
}

export function text(c: Children, name: string): string | undefined {
  const v = c.get(name)?.[0];
  return typeof v === 'string' ? v : v === undefined ? undefined : '';
}
