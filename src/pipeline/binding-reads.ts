import DataLoader from 'dataloader';
import type { CustomerBindingRow } from '../store/customer-bindings-repo.js';
import type { PipelineContext } from './context.js';

/**
 * Binding reads of one evaluate page, one query for all its orders: the page's orders are decided together
 * (Promise.all), so their look-ups arrive in the same turn of the event loop and are read with `in (…)`
 * instead of one query per order. Not cached: a binding written while the page is decided is read fresh.
 */
export type BindingReads = (shop: string, bcScope: string) => DataLoader<string, CustomerBindingRow | undefined>;

export function pageBindingReads(ctx: PipelineContext): BindingReads {
  const loaders = new Map<string, DataLoader<string, CustomerBindingRow | undefined>>();
  return (shop, bcScope) => {
    const id = `${shop}\u0000${bcScope}`;
    let loader = loaders.get(id);
    if (!loader) {
      loader = new DataLoader(
        async (keys) => {
          const rows = await ctx.store.customerBindings.getMany(shop, bcScope, keys);
          return keys.map((k) => rows.get(k));
        },
        // setImmediate: after every order of the page has reached its look-up, however many awaits deep.
        { cache: false, batchScheduleFn: (run) => setImmediate(run) },
      );
      loaders.set(id, loader);
    }
    return loader;
  };
}
