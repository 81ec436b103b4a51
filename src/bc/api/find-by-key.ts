import type { BcApiClient, CallContext } from './client.js';
import { BcApiError } from './errors.js';
import { filterEqOr, filterIn } from './odata.js';

/** Gateways and proxies start refusing URLs around 2–8 KB; stay well below the smallest. */
export const MAX_URL_LENGTH = 2048;

export interface FindByKeyOptions {
  /** Entity set, e.g. salesOrders. */
  entitySet: string;
  field: string;
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
      $expand: opts.expand,
    });
  let n = 1;
  let url = await build(values.slice(0, 1));
  // Grow the chunk while the URL fits (keys differ in length, and escaping varies: measure, don't guess).
  while (n < values.length) {
    const next = await build(values.slice(0, n + 1));
    // Measure the URL as it goes on the wire: WHATWG URL parsing (undici's too) percent-encodes the quotes.
    if (new URL(next).href.length > MAX_URL_LENGTH) break;
    n++;
    url = next;
  }
  return { chunk: values.slice(0, n), url };
}
