import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { stringify as stringifyYaml } from 'yaml';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { request } from 'undici';
import { parseConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { createLogger } from '../../log/logger.js';
import { runCycle, runStage } from '../../pipeline/run-stage.js';
import { createRuntime, type Runtime } from '../../pipeline/runtime.js';
import { PLATFORMS } from '../../shops/registry.js';
import { EXIT } from '../context.js';
import { print } from '../output.js';
import { PACKAGE_ROOT, startSimProcess, type SimEndpoints } from '../sim-process.js';
import { DEMO_SHOPS } from '../demo/shops.js';
import { startDemoReceiver, type DemoReceiver } from '../demo/webhook-receiver.js';
import type { Trigger } from '../../pipeline/trigger.js';
import { serveDemoPanel, setDemoPanelPassword, type ServedPanel } from '../../server/panel/serve-demo-panel.js';

const TRANSPORTS = ['api', 'soap'];
/** The demo's BC "job queue" turns SOAP staging records into a sales order after this long (BC: 1–5 min). */
const DEMO_SOAP_DELAY_MS = 2000;
/** Where the demo keeps its database and config unless --data-dir says otherwise. */
const DEFAULT_DATA_DIR = join(PACKAGE_ROOT, 'data');


/**
 * `bcbridge demo`: the simulators plus the whole pipeline on a fresh embedded database. With --once it
 * exits when all N orders are verified; its last line is `verified N/N`.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('simulators + pipeline on the embedded database; --once exits when all N orders are verified')
    .option('--orders <n>', 'orders the shop simulator creates', '25')
    .option('--once', 'exit when all orders are verified, printing a summary')
    .option('--platform <platform>', `shop platform (${PLATFORMS.join(', ')})`, 'woocommerce')
    .option('--transport <transport>', `BC transport (${TRANSPORTS.join(', ')})`, 'api')
    .option('--latency <ms>', 'BC simulator latency per request', '50')
    .option('--timeout <s>', 'give up after this many seconds (--once)', '300')
    .option('--panel-port <n>', 'control panel port (default 8080, or a free port when 8080 is taken; 0 = any free port)')
    .option('--ship', 'with --once: after verify, ship every order in the BC simulator (with tracking) and write back to the shop; last line `fulfilled N/N`')
    .option('--data-dir <dir>', 'where the demo database (demo.db) and config (demo.yaml) go; wiped at start', 'data under the package')
    .option('--webhooks', 'orders arrive by webhook: the demo serves the receiver on a local port, the shop simulator delivers to it, nothing is polled')
    .action(async (opts: { orders: string; once?: boolean; platform: string; transport: string; latency: string; timeout: string; panelPort?: string; webhooks?: boolean; ship?: boolean; dataDir: string }) => {
      if (!PLATFORMS.includes(opts.platform as never) || !DEMO_SHOPS[opts.platform]) throw new Error(`--platform ${opts.platform} is not available yet (available: ${PLATFORMS.join(', ')})`);
      if (!TRANSPORTS.includes(opts.transport)) throw new Error(`--transport ${opts.transport} is not available yet (available: ${TRANSPORTS.join(', ')})`);
      const n = Number(opts.orders);
      if (!Number.isInteger(n) || n < 1) throw new Error('--orders must be a positive whole number');
      if (opts.webhooks && !DEMO_SHOPS[opts.platform].webhooks) {
        throw new Error(`--webhooks: the ${opts.platform} simulator sends no webhooks (available for: ${Object.keys(DEMO_SHOPS).filter((p) => DEMO_SHOPS[p]!.webhooks).join(', ')})`);
      }

      if (opts.ship) {
        if (!opts.once) throw new Error('--ship needs --once (it ships the orders once they are verified)');
      }
      print(`bcbridge demo: starting the BC and ${opts.platform} simulators on 127.0.0.1 …`);
      const sim = await startSimProcess(['--latency', opts.latency, ...(opts.transport === 'soap' ? ['--soap-delay-ms', String(DEMO_SOAP_DELAY_MS)] : [])]);
      try {
        // Separate directories let several demos run at once (tests run one per platform).
        const dataDir = opts.dataDir === 'data under the package' ? DEFAULT_DATA_DIR : resolve(opts.dataDir);
        const dbPath = join(dataDir, 'demo.db');
        const configPath = join(dataDir, 'demo.yaml');
        mkdirSync(dataDir, { recursive: true });
        for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
        // --webhooks: the receiver listens first, since the config names its address (server.publicUrl).
        const receiver: DemoReceiver | undefined = opts.webhooks ? await startDemoReceiver() : undefined;
        const config = demoConfig(sim.endpoints, opts.platform, dbPath, opts.transport, receiver ? { server: { publicUrl: receiver.url } } : {}, opts.ship);
        const panelPassword = await setDemoPanelPassword(config);
        // Kept beside the demo database so the CLI can inspect the result afterwards. Its credentials are the
        // simulators' public demo values, not secrets.
        writeFileSync(configPath, stringifyYaml(config));
        const rt = await createRuntime(config, { log: createLogger('warn'), workerId: 'demo' });
        let panel: ServedPanel | undefined;
        try {
          panel = await serveDemoPanel(rt, { port: opts.panelPort, configPath });
          const trigger = receiver ? await subscribe(rt, receiver) : undefined;
          await generate(sim.endpoints, opts.platform, n);
          print(`  BC:   ${sim.endpoints.bc.url} (environment sandbox, company CRONUS Webshop)`);
          print(`  shop: ${opts.platform} simulator at ${sim.endpoints.shops[opts.platform].url} — ${n} new orders`);
          print(`  database: ${dbPath}`);
          print(`  panel:    ${panel.url}  (log in with the password ${panelPassword})`);
          if (receiver) print(`  webhooks: ${receiver.url}/webhooks/${config.shops[0]!.code}  (orders arrive by webhook; nothing is polled)`);
          const step = trigger ? () => webhookStep(trigger) : undefined;
          process.exitCode = opts.once ? await runOnce(rt, n, Number(opts.timeout), displayPath(configPath), step) : await runForever(rt, sim.endpoints, opts.platform, step);
          if (opts.ship) process.exitCode = await shipAndWriteBack(rt, sim.endpoints, n, Number(opts.timeout));
        } finally {
          await receiver?.close();
          await panel?.close();
          await rt.close();
        }
      } finally {
        // Whatever happened, the simulators go too: a lingering child would keep this process alive.
        await sim.stop();
      }
    });
}

function demoConfig(sim: SimEndpoints, platform: string, dbPath: string, transport = 'api', extra: Record<string, unknown> = {}, ship = false): Config {
  return parseConfig(
    {
      database: { url: dbPath },
      bc: {
        active: 'test',
        test: {
          name: 'sandbox',
          tenant: sim.bc.tenant,
          company: 'CRONUS Webshop',
          clientId: 'bcbridge-demo',
          clientSecret: 'demo-secret',
          tokenUrl: sim.bc.tokenUrl,
          baseUrl: sim.bc.url,
          // SOAP: the same sandbox through the AutoShoppingCartImport page; BC's processing is polled every second.
          ...(transport === 'soap' ? { transport: 'soap', verifyPollSeconds: 1 } : {}),
          // --ship: the demo's sandbox stands in for a live company, so its orders may write back to the (simulated) shop.
          ...(ship && { allowWriteBack: true }),
        },
      },
      shops: [ship ? { ...DEMO_SHOPS[platform].shop(sim), writeBack: DEMO_WRITE_BACK } : DEMO_SHOPS[platform].shop(sim)],
      pipeline: { backoffBaseSeconds: 1, backoffMaxSeconds: 10 },
      ...extra,
    },
    {},
  );
}

/** --ship: tracking from the BC simulator's custom page, sent through the Shipment Tracking extension. */
const DEMO_WRITE_BACK = {
  enabled: true,
  retryBaseSeconds: 1,
  retryMaxSeconds: 5,
  tracking: { source: 'customPage', shopMode: 'extension', carriers: { DHL: { name: 'DHL', url: 'https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={tracking}' } } },
};

/**
 * --ship: the warehouse ships every verified order in the BC simulator (every third one in two parts, so
 * partial shipments show), then write-back runs until all orders are fulfilled. Last line `fulfilled N/N`.
 */
async function shipAndWriteBack(rt: Runtime, sim: SimEndpoints, n: number, timeoutSeconds: number): Promise<number> {
  const started = Date.now();
  const verified = await rt.store.orders.list({ state: 'verified', limit: n });
  print('');
  print(`shipping ${verified.length} orders in the BC simulator …`);
  let i = 0;
  for (const o of verified) {
    const trackingNo = `00340434${String(100000000000 + o.id).slice(-12)}`;
    const firstPart = i++ % 3 === 0 ? await simShip(sim, { externalDocumentNumber: o.order_key!, lines: [{ sequence: 10000, quantity: 1 }], trackingNo, shippingAgentCode: 'DHL' }) : false;
    // A first line of quantity 1 is the whole line: the rest ships in the second shipment either way.
    await simShip(sim, { externalDocumentNumber: o.order_key!, trackingNo: firstPart ? `${trackingNo.slice(0, -1)}9` : trackingNo, shippingAgentCode: 'DHL' });
  }
  let c: Record<string, number> = {};
  while (Date.now() - started < timeoutSeconds * 1000) {
    const [r] = await runStage(rt, 'writeback', 'demo');
    c = await counts(rt);
    print(`  write-back: ${Object.entries(r?.counts ?? {}).map(([k, v]) => `${k} ${v}`).join(', ') || 'nothing to do'}  (fulfilled ${c.fulfilled ?? 0}/${n})`);
    for (const e of r?.errors ?? []) print(`    error: ${e}`);
    if ((c.fulfilled ?? 0) >= n || (c.verified ?? 0) === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  print(`fulfilled ${c.fulfilled ?? 0}/${n}`);
  return (c.fulfilled ?? 0) === n ? EXIT.ok : EXIT.problems;
}

/** POST /_sim/ship; false when BC had nothing (left) to ship on those lines. */
async function simShip(sim: SimEndpoints, body: Record<string, unknown>): Promise<boolean> {
  const res = await request(`${sim.bc.url}/_sim/ship`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ env: 'sandbox', ...body }) });
  const text = await res.body.text();
  if (res.statusCode === 201) return true;
  if (res.statusCode === 400 && /nothing to post|Qty\. to Ship/.test(text)) return false;
  throw new Error(`the BC simulator refused to ship ${String(body.externalDocumentNumber)} (${res.statusCode}): ${text}`);
}

/** --webhooks: the trigger exports what arrives; the shop simulator is subscribed through its API, as `bcbridge webhooks register` does. */
async function subscribe(rt: Runtime, receiver: DemoReceiver): Promise<Trigger> {
  const trigger = receiver.attach(rt);
  const shop = rt.config.shops[0]!;
  const hooks = rt.connector(shop.code).webhook!;
  const results = await hooks.register(`${receiver.url}/webhooks/${shop.code}`);
  print(`  subscribed: ${results.map((r) => `${r.subscription.topic} (${r.action})`).join(', ')}`);
  return trigger;
}

/** One demo step without polling: whatever webhooks brought in, plus retries that came due, goes through evaluate → export → verify. */
async function webhookStep(trigger: Trigger): Promise<void> {
  trigger.kick();
  await trigger.idle();
}

async function generate(sim: SimEndpoints, platform: string, n: number): Promise<void> {
  const res = await request(`${sim.shops[platform].url}/_sim/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_SHOPS[platform].generateBody(n)),
  });
  await res.body.text();
  if (res.statusCode >= 300) throw new Error(`the shop simulator refused to generate orders (${res.statusCode})`);
}

async function counts(rt: Runtime): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await rt.store.orders.counts()) out[r.state] = (out[r.state] ?? 0) + r.n;
  return out;
}

function progressLine(c: Record<string, number>, n: number, started: number): string {
  const parts = Object.entries(c).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(' · ');
  return `  [${((Date.now() - started) / 1000).toFixed(1)} s] ${parts || 'waiting for orders'}  (verified ${c.verified ?? 0}/${n})`;
}

async function runOnce(rt: Runtime, n: number, timeoutSeconds: number, configShown: string, step: () => Promise<unknown> = () => runCycle(rt, 'demo')): Promise<number> {
  const started = Date.now();
  const tty = process.stdout.isTTY;
  let c: Record<string, number> = {};
  while (Date.now() - started < timeoutSeconds * 1000) {
    await step();
    c = await counts(rt);
    const line = progressLine(c, n, started);
    if (tty) process.stdout.write(`\r${line}   `);
    else print(line);
    const settled = (c.verified ?? 0) + (c.failed ?? 0) + (c.held ?? 0) + (c.ignored ?? 0);
    if ((c.verified ?? 0) >= n || settled >= n) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (tty) process.stdout.write('\n');
  const seconds = (Date.now() - started) / 1000;
  await rt.store.requestLog.flush();
  const bcRequests = await rt.store.requestLog.countSince('bc', new Date(started - 1000).toISOString());
  print('');
  print('summary');
  print(`  orders:        ${n} placed, ${c.verified ?? 0} verified, ${c.failed ?? 0} failed, ${c.held ?? 0} held`);
  print(`  time:          ${seconds.toFixed(1)} s (${((c.verified ?? 0) / seconds).toFixed(1)} orders/s)`);
  print(`  BC requests:   ${bcRequests} (${(bcRequests / Math.max(1, c.verified ?? 0)).toFixed(2)} per verified order, incl. token and master data)`);
  const events = await rt.store.webhookEvents.counts();
  if (events.length > 0) print(`  webhooks:      ${events.reduce((a, e) => a + e.n, 0)} deliveries stored (${events.map((e) => `${e.state} ${e.n}`).join(', ')})`);
  print(`  look around:   npx bcbridge --config ${configShown} status   (or orders list / orders show ${'<no.>'})`);
  print(`verified ${c.verified ?? 0}/${n}`);
  return (c.verified ?? 0) === n ? EXIT.ok : EXIT.problems;
}

/** The config path as the user should type it: relative to where they are when that is shorter. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

async function runForever(rt: Runtime, sim: SimEndpoints, platform: string, step: () => Promise<unknown> = () => runCycle(rt, 'demo')): Promise<number> {
  print('  running: a new order every 2 s; Ctrl-C to stop');
  let stop = false;
  process.once('SIGINT', () => (stop = true));
  process.once('SIGTERM', () => (stop = true));
  const started = Date.now();
  let placed = 0;
  let last = 0;
  while (!stop) {
    if (Date.now() - last > 2000) {
      await generate(sim, platform, 1).catch(() => {});
      placed++;
      last = Date.now();
    }
    await step();
    const c = await counts(rt);
    process.stdout.write(`\r${progressLine(c, placed, started)}   `);
    await new Promise((r) => setTimeout(r, 500));
  }
  process.stdout.write('\n');
  return EXIT.ok;
}
