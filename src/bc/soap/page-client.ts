import { pageNamespace } from './config.js';
import type { SoapHttp } from './http.js';
import { asArray, recordOf, textOf, type XmlFields, type XmlNode } from './xml.js';

export type PageRecord = Record<string, string>;

export interface PageFilter {
  /** A field of the page (`{Svc}_Fields` enumeration), e.g. External_Document_No. */
  field: string;
  /** BC filter syntax: `'A'|'B'`, `10000..20000`, `<>X`, `S*` (reference/bc-api.md §4). */
  criteria: string;
}

/**
 * The operations of one page web service (reference/bc-api.md §4, samples soap-page-*.wsdl): Create,
 * Read, ReadMultiple (bookmark paging) and Delete. Records are flat string maps in the page's field names.
 */
export class PageClient {
  readonly namespace: string;

  constructor(
    private readonly http: SoapHttp,
    private readonly url: string,
    /** The service name, which is also the record element's name. */
    readonly service: string,
  ) {
    this.namespace = pageNamespace(service);
  }

  /** Create({Svc}) → Create_Result{Svc}: the stored record, with its Key and the fields BC filled in. */
  async create(fields: XmlFields, orderId?: number): Promise<PageRecord> {
    const res = await this.http.call({ url: this.url, namespace: this.namespace, operation: 'Create', body: [[this.service, fields]], idempotent: false, orderId });
    return recordOf(child(res.body, this.service));
  }

  /** Read(primary key fields) → Read_Result{Svc?}: a missing record is an empty result, not a fault. */
  async read(key: XmlFields, orderId?: number): Promise<PageRecord | undefined> {
    const res = await this.http.call({ url: this.url, namespace: this.namespace, operation: 'Read', body: key, idempotent: true, orderId });
    const rec = child(res.body, this.service);
    return rec === undefined || rec === '' ? undefined : recordOf(rec);
  }

  /**
   * ReadMultiple(filter…, bookmarkKey, setSize) until a page comes back short: the last record's Key is the
   * bookmark for the next page.
   */
  async readMultiple(filters: PageFilter[], opts: { setSize?: number; orderId?: number } = {}): Promise<PageRecord[]> {
    const setSize = opts.setSize ?? 500;
    const out: PageRecord[] = [];
    let bookmark: string | undefined;
    for (;;) {
      const body: XmlFields = filters.map((f) => ['filter', [['Field', f.field], ['Criteria', f.criteria]]] as [string, XmlFields]);
      if (bookmark !== undefined) body.push(['bookmarkKey', bookmark]);
      body.push(['setSize', String(setSize)]);
      const res = await this.http.call({ url: this.url, namespace: this.namespace, operation: 'ReadMultiple', body, idempotent: true, orderId: opts.orderId });
      const list = child(res.body, 'ReadMultiple_Result');
      const page = asArray(child(list, this.service)).map(recordOf);
      out.push(...page);
      const last = page[page.length - 1];
      if (page.length < setSize || !last?.Key) return out;
      bookmark = last.Key;
    }
  }

  /** Delete(Key) → Delete_Result: true when BC deleted it. */
  async delete(key: string, orderId?: number): Promise<boolean> {
    const res = await this.http.call({ url: this.url, namespace: this.namespace, operation: 'Delete', body: [['Key', key]], idempotent: false, orderId });
    return textOf(child(res.body, 'Delete_Result')).trim() === 'true';
  }
}

function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  return (node as Record<string, XmlNode>)[name] as XmlNode | undefined;
}

/** A BC filter literal: quoted, so `&|()<>=.*@` in a value are not filter operators; `'` doubled. */
export function filterLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
