import type { PipelineContext } from './context.js';

/**
 * One run of a stage at a time per pipeline context (one process's runtime): the scheduler, the webhook
 * trigger and panel buttons all go through runStage, and a second caller waits for the running one
 * instead of doing the same BC read-backs twice. Separate contexts (other workers) are not serialised
 * here: leases and guarded transitions keep them apart.
 */
const chains = new WeakMap<PipelineContext, Map<string, Promise<unknown>>>();

/** Is a run of this stage going on (or queued) in this context? */
export function stageBusy(ctx: PipelineContext, key: string): boolean {
  return chains.get(ctx)?.has(key) ?? false;
}

export async function withStageLock<T>(ctx: PipelineContext, key: string, fn: () => Promise<T>): Promise<T> {
  let byKey = chains.get(ctx);
  if (!byKey) {
    byKey = new Map();
    chains.set(ctx, byKey);
  }
  const previous = byKey.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(fn);
  const tail = run.catch(() => undefined);
  byKey.set(key, tail);
  try {
    return await run;
  } finally {
    if (byKey.get(key) === tail) byKey.delete(key);
  }
}
