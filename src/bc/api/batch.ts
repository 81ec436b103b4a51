import { BcApiError, errorFromResponse } from './errors.js';
import type { BcResponse } from './http.js';
import { stringifyJson } from './json.js';

/**
 * OData JSON `$batch` (reference/bc-api.md §1.7): several requests in one HTTP exchange, each answered with
 * its own status. Sent without `Isolation: snapshot`, so every operation commits or fails on its own, like
 * separate requests would: one rejected order does not take the others with it (guarantee 3).
 */

/** BC online's cap on operations per `$batch` (operational limits). */
export const MAX_BATCH_OPERATIONS = 100;

export interface BatchOperation {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Absolute URL under the API root (as companyUrl builds it); sent relative to the root. */
  url: string;
  body?: unknown;
  /** bcbridge order id, for the request log. */
  orderId?: number;
}

/** One operation's answer: its 2xx status and parsed body (numbers as decimal strings), or its error. */
export type BatchOutcome = { ok: true; status: number; body: unknown } | { ok: false; error: BcApiError };

export function batchEnvelope(apiUrl: string, ops: BatchOperation[]): string {
  const root = `${apiUrl}/`;
  return stringifyJson({
    requests: ops.map((op, i) => {
      if (!op.url.startsWith(root)) throw new RangeError(`A $batch operation must be under ${root}: ${op.url}`);
      return {
        method: op.method,
        id: String(i + 1),
        url: op.url.slice(root.length),
        headers: op.body === undefined ? undefined : { 'content-type': 'application/json' },
        body: op.body,
      };
    }),
  });
}

/**
 * The operations' outcomes, in the order they were sent. BC said 2xx for the envelope, so it ran the batch:
 * an operation whose answer cannot be read may have been committed, and is reported as ambiguous.
 */
export function readBatchAnswer(res: BcResponse, ops: BatchOperation[], now: Date): BatchOutcome[] {
  const unreadable = (why: string): BcApiError =>
    new BcApiError('BC_PROTOCOL', `BC ran a $batch (HTTP ${res.status}) but ${why}`, { status: res.status, retryable: true, ambiguous: true });
  const body = res.json() as { responses?: unknown } | undefined;
  if (!body || !Array.isArray(body.responses)) return ops.map(() => ({ ok: false, error: unreadable('its answer has no "responses"') }));
  const byId = new Map<string, Record<string, unknown>>();
  for (const r of body.responses as unknown[]) {
    if (r && typeof r === 'object' && (r as { id?: unknown }).id != null) byId.set(String((r as { id: unknown }).id), r as Record<string, unknown>);
  }
  return ops.map((op, i): BatchOutcome => {
    const answer = byId.get(String(i + 1));
    // Numbers arrive as decimal strings (lossless parse): the status too.
    const status = Number(answer?.status);
    if (!answer || !Number.isInteger(status)) return { ok: false, error: unreadable(`operation ${i + 1} (${op.method}) has no answer`) };
    if (status >= 200 && status < 300) return { ok: true, status, body: answer.body };
    const headers = (answer.headers && typeof answer.headers === 'object' ? answer.headers : {}) as Record<string, string>;
    const lower: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = String(v);
    return { ok: false, error: errorFromResponse({ method: op.method, status, headers: lower, body: answer.body === undefined ? '' : JSON.stringify(answer.body) }, now) };
  });
}
