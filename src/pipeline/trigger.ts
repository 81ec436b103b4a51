import type { EnvironmentKey } from '../config/schema.js';
import { isoNow } from '../domain/clock.js';
import { errorMessage } from '../domain/errors.js';
import type { StoredWebhook } from '../shops/connector.js';
import type { OrderState } from '../domain/states.js';
import type { IntakeOutcome } from '../store/orders-repo.js';
import type { WebhookEventRow } from '../store/webhook-events-repo.js';
import type { PipelineContext } from './context.js';
import { intakeDocuments } from './intake.js';
import { runStage } from './run-stage.js';

export interface TriggerOptions {
  /** Recorded as the actor of every transition the trigger causes. Default 'webhook'. */
  actor?: string;
  /** Events claimed per round. Default 100. */
  batchSize?: number;
  /** A claimed event not finished within this is taken over (its process died). Default 5 min. */
  leaseMs?: number;
  /** Attempts to process one event before it is marked failed (the poll still catches its order). Default 8. */
  maxAttempts?: number;
  /** First retry delay of an event; doubles per attempt up to 5 min. Default 2 s. */
  retryBaseMs?: number;
  /** Processed events are kept this long. Default 14 days. */
  retentionDays?: number;
  /**
   * BC notifications (webhooks/bc) wait this long before the write-back stage runs, so BC's burst of
   * notices for one posting (order updated, invoice created, order deleted) costs one stage run. Default 2 s.
   */
  writeBackDebounceMs?: number;
  /** Called after every round with what it did (logs, demo progress, tests). */
  onRound?: (round: TriggerRound) => void;
}

export interface TriggerRound {
  events: number;
  failed: number;
  /** Shops whose orders changed and went through evaluate → export → verify. */
  shops: string[];
  /** Environments BC notified about, whose write-back stage ran. */
  writeBack?: EnvironmentKey[];
}

export interface Trigger {
  /** A webhook event was stored: process it (and everything pending) soon. Cheap; bursts coalesce. */
  notify(): void;
  /** Run evaluate → export → verify soon for these shops (all when omitted), without waiting for a schedule. */
  kick(shops?: string[]): void;
  /** BC says something changed in this environment: run the write-back stage for it soon (debounced). */
  writeBack(env: EnvironmentKey): void;
  /** Resolves once nothing is queued or running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Export at once (issue 5). Stored webhook events are turned into intake (newest shop modification wins),
 * and every shop whose orders changed goes through evaluate → export → verify right away, instead of
 * waiting for the next cron tick. Polling stays the backstop for deliveries that never come. BC's own
 * notifications (issue 9, `writeBack(env)`) run the write-back stage for their environment the same way,
 * after a short debounce.
 *
 * One loop per process: a notify() while a round runs only marks more work, which the same loop picks up
 * when the round ends, so a burst of deliveries becomes a few rounds and the trigger never runs two
 * rounds (two evaluate, two export …) at once. Other processes and the scheduler are kept apart by the
 * store itself (guarded transitions, export leases).
 */
export function startTrigger(ctx: PipelineContext, opts: TriggerOptions = {}): Trigger {
  const actor = opts.actor ?? 'webhook';
  const batchSize = opts.batchSize ?? 100;
  const leaseMs = opts.leaseMs ?? 300_000;
  const maxAttempts = opts.maxAttempts ?? 8;
  const retryBaseMs = opts.retryBaseMs ?? 2_000;
  const retentionMs = (opts.retentionDays ?? ctx.config.log.retentionDays) * 86_400_000;

  let running: Promise<void> | undefined;
  let stopped = false;
  let eventsWanted = true; // events stored before this process started (or while it was down) are processed first
  let allShops = false;
  const shops = new Set<string>();
  let waiters: (() => void)[] = [];
  let wakeTimer: NodeJS.Timeout | undefined;
  let lastPrune = 0;
  const writeBackDebounceMs = opts.writeBackDebounceMs ?? 2_000;
  /** Environments notified during the debounce window, and those whose window has passed. */
  const writeBackSoon = new Set<EnvironmentKey>();
  const writeBackNow = new Set<EnvironmentKey>();
  let writeBackTimer: NodeJS.Timeout | undefined;

  const hasWork = () => eventsWanted || allShops || shops.size > 0 || writeBackNow.size > 0;

  const schedule = () => {
    if (stopped || running || !hasWork()) {
      if (!running && !hasWork() && !writeBackTimer) for (const w of waiters.splice(0)) w();
      return;
    }
    running = loop()
      .catch((err) => ctx.log.error({ err: errorMessage(err) }, 'webhook trigger round failed'))
      .finally(() => {
        running = undefined;
        schedule();
      });
  };

  async function loop(): Promise<void> {
    while (!stopped && hasWork()) {
      const round: TriggerRound = { events: 0, failed: 0, shops: [] };
      if (eventsWanted) {
        eventsWanted = false;
        const changed = await processEvents(round);
        for (const s of changed) shops.add(s);
      }
      if (stopped) return;
      if (allShops || shops.size > 0) {
        const list = allShops ? ctx.config.shops.map((s) => s.code) : [...shops];
        allShops = false;
        shops.clear();
        round.shops = list;
        for (const shop of list) {
          for (const stage of ['evaluate', 'export', 'verify'] as const) {
            if (stopped) return;
            await runStage(ctx, stage, actor, { shop });
          }
        }
      }
      if (writeBackNow.size > 0 && !stopped) {
        const envs = [...writeBackNow];
        writeBackNow.clear();
        round.writeBack = envs;
        for (const env of envs) await runStage(ctx, 'writeback', actor, { env });
      }
      opts.onRound?.(round);
    }
    await pruneNow();
  }

  async function processEvents(round: TriggerRound): Promise<Set<string>> {
    const changed = new Set<string>();
    for (;;) {
      const now = ctx.clock.now();
      const claimed = await ctx.store.webhookEvents.claim({
        owner: ctx.workerId,
        now: now.toISOString(),
        staleBefore: new Date(now.getTime() - leaseMs).toISOString(),
        limit: batchSize,
      });
      if (claimed.length === 0) break;
      for (const ev of claimed) {
        if (stopped) return changed;
        round.events++;
        const ok = await processOne(ev, changed);
        if (!ok) round.failed++;
      }
    }
    await armWakeUp();
    return changed;
  }

  async function processOne(ev: WebhookEventRow, changed: Set<string>): Promise<boolean> {
    const id = Number(ev.id);
    try {
      if (!ctx.config.shops.some((s) => s.code === ev.shop)) {
        await ctx.store.webhookEvents.retryLater(id, ctx.workerId, `shop "${ev.shop}" is no longer configured`, isoNow(ctx.clock), true, isoNow(ctx.clock));
        return false;
      }
      const hooks = ctx.connector(ev.shop).webhook;
      if (!hooks) {
        await ctx.store.webhookEvents.retryLater(id, ctx.workerId, `shop "${ev.shop}" does not take webhooks`, isoNow(ctx.clock), true, isoNow(ctx.clock));
        return false;
      }
      const delivery: StoredWebhook = { deliveryId: ev.delivery_id, topic: ev.topic, body: ev.body, ...(ev.shop_order_id && { shopOrderId: ev.shop_order_id }) };
      const intent = await hooks.interpret(delivery);
      let outcome: string;
      if (intent.kind === 'orders') {
        const outcomes: IntakeOutcome[] = intent.orders.length ? await intakeDocuments(ctx, ev.shop, intent.orders, actor) : [];
        if (outcomes.some((o) => o === 'new' || o === 'updated')) changed.add(ev.shop);
        outcome = outcomes.join(',') || 'no orders';
      } else if (intent.kind === 'gone') {
        const order = await ctx.store.orders.find(intent.shopOrderId, ev.shop);
        if (order && order.shop_order_id === intent.shopOrderId) {
          await ctx.store.orders.note(order.id, order.state as OrderState, actor, `the shop deleted the order: ${intent.detail}`, isoNow(ctx.clock), { deliveryId: ev.delivery_id });
        }
        outcome = `gone: ${intent.detail}`;
      } else {
        outcome = `ignored: ${intent.detail}`;
      }
      await ctx.store.webhookEvents.finish(id, ctx.workerId, outcome.slice(0, 500), isoNow(ctx.clock));
      return true;
    } catch (err) {
      const attempts = ev.attempts + 1;
      const giveUp = attempts >= maxAttempts;
      const delay = Math.min(retryBaseMs * 2 ** (attempts - 1), 300_000);
      ctx.log.warn({ shop: ev.shop, deliveryId: ev.delivery_id, attempts, err: errorMessage(err) }, giveUp ? 'webhook event failed for good; the poll will pick the order up' : 'webhook event failed; retrying');
      await ctx.store.webhookEvents.retryLater(id, ctx.workerId, errorMessage(err), new Date(ctx.clock.now().getTime() + delay).toISOString(), giveUp, isoNow(ctx.clock));
      return false;
    }
  }

  /** Events waiting for a retry time wake the loop when it comes. */
  async function armWakeUp(): Promise<void> {
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimer = undefined;
    const pending = await ctx.store.webhookEvents.list({ state: 'pending', limit: 1000 });
    const next = pending.map((e) => e.next_attempt_at).filter((t): t is string => t !== null).sort()[0];
    if (!next || stopped) return;
    const delay = Math.max(0, Date.parse(next) - ctx.clock.now().getTime());
    wakeTimer = setTimeout(() => trigger.notify(), delay + 10);
    wakeTimer.unref();
  }

  async function pruneNow(): Promise<void> {
    const now = ctx.clock.now().getTime();
    if (now - lastPrune < 3_600_000) return;
    lastPrune = now;
    try {
      await ctx.store.webhookEvents.prune(new Date(now - retentionMs).toISOString());
    } catch (err) {
      ctx.log.warn({ err: errorMessage(err) }, 'webhook event retention failed');
    }
  }

  const trigger: Trigger = {
    notify() {
      eventsWanted = true;
      schedule();
    },
    kick(list) {
      if (list) for (const s of list) shops.add(s);
      else allShops = true;
      schedule();
    },
    writeBack(env) {
      if (stopped) return;
      writeBackSoon.add(env);
      if (writeBackTimer) return;
      writeBackTimer = setTimeout(() => {
        writeBackTimer = undefined;
        for (const e of writeBackSoon) writeBackNow.add(e);
        writeBackSoon.clear();
        schedule();
      }, writeBackDebounceMs);
      writeBackTimer.unref();
    },
    idle() {
      if (!running && !hasWork() && !writeBackTimer) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    async stop() {
      stopped = true;
      if (wakeTimer) clearTimeout(wakeTimer);
      if (writeBackTimer) clearTimeout(writeBackTimer);
      writeBackTimer = undefined;
      await running;
      for (const w of waiters.splice(0)) w();
      waiters = [];
    },
  };
  schedule();
  return trigger;
}
