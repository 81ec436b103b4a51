import { openDb, type Db } from './db.js';
import { CursorsRepo } from './cursors-repo.js';
import { CustomerBindingsRepo } from './customer-bindings-repo.js';
import { WebhookEventsRepo } from './webhook-events-repo.js';
import { OrdersRepo } from './orders-repo.js';
import { RequestLogRepo } from './request-log-repo.js';
import { RunsRepo } from './runs-repo.js';
import { SettingsRepo } from './settings-repo.js';

/** Everything the pipeline stores, over one database. */
export interface Store {
  db: Db;
  orders: OrdersRepo;
  cursors: CursorsRepo;
  requestLog: RequestLogRepo;
  runs: RunsRepo;
  settings: SettingsRepo;
  customerBindings: CustomerBindingsRepo;
  webhookEvents: WebhookEventsRepo;
  close(): Promise<void>;
}

export async function openStore(url: string, opts: { schema?: string; keepBodies?: boolean; poolSize?: number } = {}): Promise<Store> {
  const db = await openDb(url, opts);
  const requestLog = new RequestLogRepo(db.kysely, { keepBodies: opts.keepBodies ?? false });
  return {
    db,
    orders: new OrdersRepo(db.kysely, db.caps),
    cursors: new CursorsRepo(db.kysely),
    requestLog,
    runs: new RunsRepo(db.kysely),
    settings: new SettingsRepo(db.kysely),
    customerBindings: new CustomerBindingsRepo(db.kysely),
    webhookEvents: new WebhookEventsRepo(db.kysely),
    async close() {
      await requestLog.flush();
      await db.close();
    },
  };
}
