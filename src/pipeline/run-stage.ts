import type { EnvironmentKey } from '../config/schema.js';
import { isoNow } from '../domain/clock.js';
import { errorMessage } from '../domain/errors.js';
import type { PipelineContext } from './context.js';
import { evaluate } from './evaluate.js';
import { autoCancelConflicts } from './conflicts.js';
import { exportOrders } from './export.js';
import { pull } from './intake.js';
import { emptyResult, type StageResult } from './stage-result.js';
import { verify } from './verify.js';
import { stageBusy, withStageLock } from './stage-lock.js';
import { writeBack } from './write-back.js';

export type StageName = 'pull' | 'evaluate' | 'export' | 'verify' | 'writeback' | 'conflicts';

/**
 * Runs one stage and records it in `runs`. A stage-level failure (shop or BC unreachable) is a result
 * with errors, never an exception that stops the other shops or stages.
 */
export interface RunStageOptions {
  shop?: string;
  signal?: AbortSignal;
  env?: EnvironmentKey;
  /**
   * Pull only: evaluate each stored page right away, unless an evaluate is running already (a cycle evaluates
   * after the pull anyway). Orders become ready while a long backlog is still being downloaded, and evaluate
   * takes their canonical form from memory (store/recent-values.ts) instead of reading it back.
   */
  evaluateEachPage?: boolean;
}

export async function runStage(ctx: PipelineContext, stage: StageName, actor: string, opts: RunStageOptions = {}): Promise<StageResult[]> {
  const shops = stage === 'pull' ? (opts.shop ? [opts.shop] : ctx.config.shops.map((s) => s.code)) : [opts.shop];
  const results: StageResult[] = [];
  for (const shop of shops) {
    // Pulls of different shops are independent; the other stages work on one shared queue, so a run for
    // one shop and a run for all shops must not overlap either.
    const lockKey = stage === 'pull' ? `pull|${shop}` : stage;
    results.push(await withStageLock(ctx, lockKey, () => runOneStage(ctx, stage, actor, shop, opts)));
  }
  return results;
}

async function runOneStage(ctx: PipelineContext, stage: StageName, actor: string, shop: string | undefined, opts: RunStageOptions): Promise<StageResult> {
  const { signal, env } = opts;
  const afterPage = opts.evaluateEachPage
    ? async () => {
        if (!stageBusy(ctx, 'evaluate')) await runStage(ctx, 'evaluate', actor, { shop });
      }
    : undefined;
  const runId = await ctx.store.runs.start(stage, shop ?? null, actor, isoNow(ctx.clock));
  let result: StageResult;
  try {
    result =
      stage === 'pull' ? await pull(ctx, shop!, actor, signal, { afterPage })
      : stage === 'evaluate' ? await evaluate(ctx, actor, { shop })
      : stage === 'export' ? await exportOrders(ctx, actor, { shop, signal })
      : stage === 'conflicts' ? await autoCancelConflicts(ctx, actor, { shop })
      : stage === 'writeback' ? await writeBack(ctx, actor, { shop, signal, env })
      : await verify(ctx, actor, { shop });
  } catch (err) {
    result = emptyResult(stage, shop);
    result.errors.push(errorMessage(err));
    ctx.log.error({ stage, shop, err: errorMessage(err) }, 'stage failed');
  }
  await ctx.store.runs.finish(runId, result.errors.length === 0 && result.problems === 0, result, isoNow(ctx.clock));
  return result;
}

/** One pass through the pipeline: pull every shop, evaluate, export, verify. */
export async function runCycle(ctx: PipelineContext, actor: string, opts: { signal?: AbortSignal; skipPull?: boolean } = {}): Promise<StageResult[]> {
  const out: StageResult[] = [];
  if (!opts.skipPull) out.push(...(await runStage(ctx, 'pull', actor, { ...opts, evaluateEachPage: true })));
  out.push(...(await runStage(ctx, 'evaluate', actor, opts)));
  out.push(...(await runStage(ctx, 'export', actor, opts)));
  out.push(...(await runStage(ctx, 'verify', actor, opts)));
  // Shop cancellations of unshipped orders, where a shop applies them without asking (conflicts.autoCancelUnshipped).
  if (ctx.config.shops.some((s) => s.conflicts.autoCancelUnshipped)) out.push(...(await runStage(ctx, 'conflicts', actor, opts)));
  // Write-back only touches shops with writeBack.enabled (or bcNumberOnOrder); for the others it reads nothing.
  if (ctx.config.shops.some((s) => s.writeBack.enabled || s.writeBack.bcNumberOnOrder)) out.push(...(await runStage(ctx, 'writeback', actor, opts)));
  return out;
}
