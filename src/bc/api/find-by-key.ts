import type { BcApiClient, CallContext } from './client.js';
import { BcApiError } from './errors.js';
import { filterEqOr, filterIn } from './odata.js';

/** Gateways and proxies start refusing URLs around 2–8 KB; stay well below the smallest. */
export const MAX_URL_LENGTH = 2048;

export interface FindByKeyOptions {
  /** Entity set, e.g. salesOrders. */
  entitySet: string;
  field: string;
  /** `$select`: only the fields the caller reads (BC's own advice: smaller answers, faster queries). */
  select?: string;
  expand?: string;
  /** Shared per target: once a server rejects `in`, every later lookup uses `eq … or eq …`. */
  dialect: { inRejected: boolean };
}

/**
 * Entities whose `field` is one of `values`, as few requests as the URL length allows (one for ~40 order
 * keys). Values are matched as given; callers upper-case Code fields. Returns every hit, in BC's order.
 * Always reads the primary database: this answers "does it already exist?" right after a failed create.
 */
export async function findByKey(
  client: BcApiClient,
  values: string[],
  opts: FindByKeyOptions,
  ctx: CallContext = {},
): Promise<Record<string, unknown>[]> {
  const unique = [...new Set(values)];
  const hits: Record<string, unknown>[] = [];
  let pending = unique;
  while (pending.length > 0) {
    const useIn = !opts.dialect.inRejected;
    const { chunk, url } = await takeChunk(client, pending, opts, useIn);
    try {
      hits.push(...(await client.list(url, { ...ctx, consistent: true })));
      pending = pending.slice(chunk.length);
    } catch (err) {
      // `in` is OData 4.01; a BC (or proxy) that does not parse it answers 400 "Error in query syntax".
      if (useIn && chunk.length > 1 && err instanceof BcApiError && err.status === 400) {
        opts.dialect.inRejected = true;
        continue;
      }
      throw err;
    }
  }
  return hits;
}

async function takeChunk(
  client: BcApiClient,
  values: string[],
  opts: FindByKeyOptions,
  useIn: boolean,
): Promise<{ chunk: string[]; url: string }> {
  const build = (vs: string[]) =>
    client.companyUrl(opts.entitySet, {
      $filter: useIn ? filterIn(opts.field, vs) : filterEqOr(opts.field, vs),
      $select: opts.select,
      $expand: opts.expand,
    });
  // As many values as the URL fits (keys differ in length, and escaping varies: measure, don't guess). The
  // length only grows with the count, so a binary search finds it in a few builds instead of one per key.
  const fits = async (n: number) => {
    const url = await build(values.slice(0, n));
    // Measure the URL as it goes on the wire: WHATWG URL parsing (undici's too) percent-encodes the quotes.
    return new URL(url).href.length <= MAX_URL_LENGTH ? url : undefined;
  };
  let n = 1;
  let url = await build(values.slice(0, 1));
  let hi = values.length;
  while (n < hi) {
    const mid = Math.ceil((n + hi) / 2);
    const candidate = await fits(mid);
    if (candidate) {
      n = mid;
      url = candidate;
    } else {
      hi = mid - 1;
    }
  }
  return { chunk: values.slice(0, n), url };
}
