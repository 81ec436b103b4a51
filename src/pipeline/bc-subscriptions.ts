import type { BcSubscription, BcSubscriptions } from '../bc/target.js';
import type { Config, EnvironmentKey } from '../config/schema.js';
import { ConfigError, errorMessage } from '../domain/errors.js';
import type { PipelineContext } from './context.js';

/** What happened to one wanted subscription (or one surplus one). */
export interface SubscriptionOutcome {
  env: EnvironmentKey;
  entitySet: string;
  id?: string;
  action: 'created' | 'renewed' | 'kept' | 'removed duplicate' | 'failed';
  expirationDateTime?: string;
  error?: string;
}

/** Environments whose config has `subscriptions.enabled`. */
export function subscribedEnvironments(config: Config): EnvironmentKey[] {
  return (['live', 'test'] as const).filter((env) => config.bc[env]?.subscriptions?.enabled);
}

/** Where BC delivers: `<server.publicUrl>/webhooks/bc/<live|test>`. */
export function bcNotificationUrl(config: Config, env: EnvironmentKey): string {
  const base = config.server.publicUrl;
  if (!base) {
    throw new ConfigError([`server.publicUrl: is needed for BC webhooks; set it to the https address BC reaches this bcbridge at (BC delivers to <publicUrl>/webhooks/bc/${env})`]);
  }
  return `${base.replace(/\/+$/, '')}/webhooks/bc/${env}`;
}

function settingsOf(ctx: PipelineContext, env: EnvironmentKey) {
  const envConfig = ctx.config.bc[env];
  if (!envConfig) throw new ConfigError([`bc.${env}: is not configured`]);
  const s = envConfig.subscriptions;
  if (!s?.enabled || !s.clientState) throw new ConfigError([`bc.${env}.subscriptions: set enabled: true and a clientState secret to use BC webhooks`]);
  return s;
}

function api(ctx: PipelineContext, env: EnvironmentKey): BcSubscriptions {
  const target = ctx.target(env);
  if (!target.subscriptions) throw new ConfigError([`bc.${env}: the ${target.transport} transport has no webhooks; BC webhooks need API v2.0 (transport: api)`]);
  return target.subscriptions;
}

/** `/api/v2.0/companies(X)/salesOrders` and `api/v2.0/companies(x)/salesOrders` name the same resource. */
const sameResource = (a: string, b: string) => a.replace(/^\/+/, '').toLowerCase() === b.replace(/^\/+/, '').toLowerCase();

/**
 * Makes BC's subscriptions for one environment what the config asks for: one per wanted entity set pointing at
 * this bcbridge — created when missing (BC deletes a subscription whose deliveries were refused, so this also
 * heals), renewed when less than `renewBeforeHours` is left (or always with `renewAll`), duplicates removed.
 * Each entity set succeeds or fails on its own. Run by `bc-subscriptions register` and hourly by the scheduler.
 */
export async function ensureBcSubscriptions(ctx: PipelineContext, env: EnvironmentKey, opts: { renewAll?: boolean } = {}): Promise<SubscriptionOutcome[]> {
  const settings = settingsOf(ctx, env);
  const url = bcNotificationUrl(ctx.config, env);
  const subs = api(ctx, env);
  const existing = (await subs.list()).filter((s) => s.notificationUrl === url);
  const out: SubscriptionOutcome[] = [];
  const renewBeforeMs = settings.renewBeforeHours * 3_600_000;
  for (const entitySet of settings.resources) {
    try {
      const resource = await subs.resourceOf(entitySet);
      const [first, ...extra] = existing.filter((s) => sameResource(s.resource, resource));
      for (const dup of extra) {
        await subs.remove(dup);
        out.push({ env, entitySet, id: dup.id, action: 'removed duplicate' });
      }
      if (!first) {
        const made = await subs.create(url, resource, settings.clientState!);
        out.push({ env, entitySet, id: made.id, action: 'created', expirationDateTime: made.expirationDateTime });
        continue;
      }
      const left = Date.parse(first.expirationDateTime) - ctx.clock.now().getTime();
      if (opts.renewAll || !(left > renewBeforeMs)) {
        const renewed = await subs.renew(first, settings.clientState!);
        out.push({ env, entitySet, id: renewed.id, action: 'renewed', expirationDateTime: renewed.expirationDateTime });
      } else {
        out.push({ env, entitySet, id: first.id, action: 'kept', expirationDateTime: first.expirationDateTime });
      }
    } catch (err) {
      out.push({ env, entitySet, action: 'failed', error: errorMessage(err) });
    }
  }
  return out;
}

/** Every subscription BC has in this environment; `ours` marks those pointing at this bcbridge. */
export async function listBcSubscriptions(ctx: PipelineContext, env: EnvironmentKey): Promise<(BcSubscription & { ours: boolean })[]> {
  const subs = api(ctx, env);
  const url = ctx.config.server.publicUrl ? bcNotificationUrl(ctx.config, env) : undefined;
  return (await subs.list()).map((s) => ({ ...s, ours: s.notificationUrl === url }));
}

/** Deletes the subscriptions pointing at this bcbridge (or the one with this id, wherever it points). */
export async function removeBcSubscriptions(ctx: PipelineContext, env: EnvironmentKey, id?: string): Promise<string[]> {
  const subs = api(ctx, env);
  const all = await subs.list();
  const url = id ? undefined : bcNotificationUrl(ctx.config, env);
  const doomed = all.filter((s) => (id ? s.id === id : s.notificationUrl === url));
  if (id && doomed.length === 0) throw new ConfigError([`bc.${env}: BC has no subscription with id ${id} (bcbridge bc-subscriptions list --env ${env})`]);
  for (const s of doomed) await subs.remove(s);
  return doomed.map((s) => s.id);
}

/** The scheduler's job: keep every enabled environment's subscriptions alive; problems are logged, never thrown. */
export async function maintainBcSubscriptions(ctx: PipelineContext): Promise<SubscriptionOutcome[]> {
  const all: SubscriptionOutcome[] = [];
  for (const env of subscribedEnvironments(ctx.config)) {
    let outcomes: SubscriptionOutcome[];
    try {
      outcomes = await ensureBcSubscriptions(ctx, env);
    } catch (err) {
      outcomes = [{ env, entitySet: '*', action: 'failed', error: errorMessage(err) }];
    }
    for (const o of outcomes) {
      if (o.action === 'failed') ctx.log.warn({ env, entitySet: o.entitySet, err: o.error }, 'BC webhook subscription could not be kept alive; write-back falls back to polling');
      else if (o.action !== 'kept') ctx.log.info({ env, entitySet: o.entitySet, id: o.id, action: o.action, expires: o.expirationDateTime }, 'BC webhook subscription');
    }
    all.push(...outcomes);
  }
  return all;
}
