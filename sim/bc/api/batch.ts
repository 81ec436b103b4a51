import { badRequest, errorBody } from '../errors.js';
import { newGuid } from '../ids.js';
import { Journal } from '../store.js';
import type { ApiResult, Wire } from '../types.js';
import { type ApiRequest, type ApiScope, runApi } from './dispatch.js';

/**
 * JSON `$batch` (bc-api.md §1.7): `{"requests":[{method,id,url,headers,body}]}` →
 * `{"responses":[{id,status,headers,body}]}`, max 100 operations, per-request statuses; with
 * `Isolation: snapshot` the batch is one transaction and any failing request rolls back all.
 */

export const MAX_BATCH_OPERATIONS = 100;

interface InnerRequest {
  method?: unknown;
  id?: unknown;
  url?: unknown;
  headers?: Record<string, unknown>;
  body?: unknown;
}

/** How many rate-limit units a batch costs: each inner request counts (bc-api.md §1.7, inferred). */
export function batchCost(body: unknown): number {
  const reqs = (body as { requests?: unknown } | null)?.requests;
  return Array.isArray(reqs) ? Math.max(1, Math.min(reqs.length, MAX_BATCH_OPERATIONS)) : 1;
}

function splitUrl(url: string): { path: string; params: URLSearchParams } {
  let u = url;
  const at = u.indexOf('/api/v2.0/');
  if (/^https?:\/\//i.test(u) && at >= 0) u = u.slice(at + '/api/v2.0/'.length);
  u = u.replace(/^\/+/, '');
  const q = u.indexOf('?');
  return q < 0 ? { path: u, params: new URLSearchParams() } : { path: u.slice(0, q), params: new URLSearchParams(u.slice(q + 1)) };
}

export function executeBatch(scope: ApiScope, outer: ApiRequest): ApiResult {
  const reqs = (outer.body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(reqs)) throw badRequest('Invalid Request Body');
  if (reqs.length > MAX_BATCH_OPERATIONS) {
    throw badRequest(`The batch request contains ${reqs.length} operations, but at most ${MAX_BATCH_OPERATIONS} are allowed.`);
  }
  const snapshot = (outer.headers.isolation ?? '').toLowerCase() === 'snapshot';
  const tx = snapshot ? new Journal() : null;
  const responses: Wire[] = [];
  let failed = false;
  for (const raw of reqs as InnerRequest[]) {
    const id = raw.id ?? null;
    if (failed) {
      // Not executed: an earlier request of the snapshot batch failed and everything was rolled back.
      responses.push({
        id, status: 424, headers: { 'content-type': 'application/json; odata.metadata=minimal', 'odata-version': '4.0' },
        body: errorBody('BadRequest', 'The request was not executed because an earlier request in the batch failed.', newGuid()),
      });
      continue;
    }
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(raw.headers ?? {})) headers[k.toLowerCase()] = String(v);
    const { path, params } = splitUrl(typeof raw.url === 'string' ? raw.url : '');
    let result: ApiResult;
    if (path.startsWith('$batch')) result = { status: 400, body: errorBody('BadRequest', 'A $batch request cannot contain another $batch request.', newGuid()) };
    else {
      result = runApi(
        { ...scope, tx },
        { method: String(raw.method ?? 'GET').toUpperCase(), path, params, headers, body: raw.body },
        newGuid(),
      );
    }
    const outHeaders: Record<string, string> = {};
    if (result.body !== undefined) {
      outHeaders['content-type'] = 'application/json; odata.metadata=minimal';
      outHeaders['odata-version'] = '4.0';
    }
    for (const [k, v] of Object.entries(result.headers ?? {})) outHeaders[k.toLowerCase()] = v;
    const entry: Wire = { id, status: result.status, headers: outHeaders };
    if (result.body !== undefined) entry.body = result.body;
    responses.push(entry);
    if (tx && result.status >= 400) {
      tx.rollback();
      failed = true;
    }
  }
  return { status: 200, body: { responses } };
}
