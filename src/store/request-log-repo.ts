import type { Kysely } from 'kysely';
import type { RequestLogEntry, RequestLogSink } from '../http/request-log.js';
import { BulkInsert } from './bulk-insert.js';
import type { Database, RequestLogRow } from './schema.js';

const REQUEST_LOG_COLUMNS = [
  'at', 'system', 'target', 'method', 'url', 'status', 'duration_ms', 'correlation_id', 'error', 'order_id', 'request_body', 'response_body',
] as const satisfies readonly (keyof RequestLogRow)[];

/**
 * The request log: every shop and BC call. Entries are buffered and written in small batches so logging
 * never adds a database round trip to the request path; `flush()` before exit.
 */
export class RequestLogRepo implements RequestLogSink {
  private buffer: RequestLogEntry[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly rows = new BulkInsert('request_log', REQUEST_LOG_COLUMNS, 50);

  constructor(
    private readonly db: Kysely<Database>,
    private readonly opts: { keepBodies: boolean } = { keepBodies: false },
  ) {}

  record(entry: RequestLogEntry): void {
    this.buffer.push(entry);
    if (this.buffer.length >= 200) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), 250);
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.write(batch).finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  private async write(batch: RequestLogEntry[]): Promise<void> {
    const keep = this.opts.keepBodies;
    // Compiled once per row count (bulk-insert.ts): a BC create is logged per operation, one row per order.
    await this.rows.run(
      this.db,
      batch.map((e) => [
        e.at, e.system, e.target, e.method, e.url, e.status ?? null, Math.round(e.durationMs), e.correlationId ?? null, e.error ?? null,
        e.orderId ?? null, keep ? (e.requestBody ?? null) : null, keep ? (e.responseBody ?? null) : null,
      ]),
    );
  }

  async forOrder(orderId: number): Promise<RequestLogRow[]> {
    return this.db.selectFrom('request_log').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
  }

  async recent(limit = 100, opts: { errorsOnly?: boolean } = {}): Promise<RequestLogRow[]> {
    let q = this.db.selectFrom('request_log').selectAll();
    if (opts.errorsOnly) q = q.where((eb) => eb.or([eb('error', 'is not', null), eb('status', '>=', 400)]));
    return q.orderBy('id', 'desc').limit(limit).execute();
  }

  async countSince(system: string, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('request_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('system', '=', system)
      .where('at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Retention: deletes entries older than `before`. */
  async prune(before: string): Promise<number> {
    const res = await this.db.deleteFrom('request_log').where('at', '<', before).executeTakeFirst();
    return Number(res.numDeletedRows ?? 0);
  }
}
