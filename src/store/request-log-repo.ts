import type { Kysely } from 'kysely';
import type { RequestLogEntry, RequestLogSink } from '../http/request-log.js';
import type { Database, RequestLogRow } from './schema.js';

/**
 * The request log: every shop and BC call. Entries are buffered and written in small batches so logging
 * never adds a database round trip to the request path; `flush()` before exit.
 */
export class RequestLogRepo implements RequestLogSink {
  private buffer: RequestLogEntry[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

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
    // Chunks keep the statement under SQLite's bound-parameter limit.
    for (let i = 0; i < batch.length; i += 50) {
      await this.db
        .insertInto('request_log')
        .values(
          batch.slice(i, i + 50).map((e) => ({
            at: e.at,
            system: e.system,
            target: e.target,
            method: e.method,
            url: e.url,
            status: e.status ?? null,
            duration_ms: Math.round(e.durationMs),
            correlation_id: e.correlationId ?? null,
            error: e.error ?? null,
            order_id: e.orderId ?? null,
            request_body: this.opts.keepBodies ? (e.requestBody ?? null) : null,
            response_body: this.opts.keepBodies ? (e.responseBody ?? null) : null,
          })),
        )
        .execute();
    }
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
