import { stringify as stringifyYaml } from 'yaml';
import { redact } from '../../config/redact.js';
import { ACTIVE_ENV_SETTING } from '../../pipeline/context.js';
import type { Runtime } from '../../pipeline/runtime.js';
import { envUrl, type EnvView } from '../../panel/operations-view.js';
import type { OrderPageData } from '../../panel/order-view.js';
import type { JobManager } from './jobs.js';
import type { MappingEditor } from './mapping-file.js';
import { orderDetail } from './queries.js';

/** Assembles what the order, operations and environment views show (shared by pages and the JSON API). */

export async function envView(rt: Runtime): Promise<EnvView> {
  const active = await rt.activeEnvironment();
  const row = await rt.store.db.kysely.selectFrom('settings').select('updated_at').where('key', '=', ACTIVE_ENV_SETTING).executeTakeFirst();
  const envs: EnvView['envs'] = [];
  for (const key of ['live', 'test'] as const) {
    const cfg = rt.config.bc[key];
    if (!cfg) continue;
    envs.push({ key, name: cfg.name, company: cfg.company, tenant: cfg.tenant ?? '', transport: String((cfg as { transport?: string }).transport ?? 'api'), url: envUrl(cfg) });
  }
  return { active, switchedAt: row?.updated_at ?? null, envs };
}

export async function orderPageData(rt: Runtime, mapping: MappingEditor, id: number): Promise<OrderPageData | undefined> {
  const detail = await orderDetail(rt, id);
  if (!detail) return undefined;
  const o = detail.order;
  const shop = rt.config.shops.find((s) => s.code === o.shop);
  const m = shop?.mapping;
  return {
    detail,
    // Changes whenever anything shown changes: the fragment is not re-sent (204) while it is the same.
    version: `${o.updated_at}|${o.state}|${detail.events.length}|${detail.requests.length}|${detail.document ? 1 : 0}`,
    mapping: { skuMap: { ...(m?.skuMap ?? {}) }, customerMap: { ...(m?.customerMap ?? {}) }, guestCustomerNo: m?.guestCustomerNo, defaultCustomerNo: m?.defaultCustomerNo },
    mappingTarget: mapping.target(),
  };
}

export async function jobsWithProgress(jobs: JobManager) {
  return Promise.all(jobs.list().map(async (job) => ({ job, progress: await jobs.progress(job) })));
}

export function configYaml(rt: Runtime): string {
  return stringifyYaml(redact(rt.config));
}
