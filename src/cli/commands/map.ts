import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseConfig } from '../../config/load.js';
import type { Config, ShopConfig } from '../../config/schema.js';
import { systemClock } from '../../domain/clock.js';
import { orderKey } from '../../domain/order.js';
import { nullRequestLog } from '../../http/request-log.js';
import { createLogger } from '../../log/logger.js';
import { decide } from '../../pipeline/evaluate.js';
import { MasterData } from '../../pipeline/master-data.js';
import { toIntakeOrder } from '../../pipeline/intake.js';
import { createRuntime } from '../../pipeline/runtime.js';
import { offlineTarget } from '../../bc/offline-target.js';
import { createConnector, PLATFORMS } from '../../shops/registry.js';
import { openStore } from '../../store/store.js';
import { configPath, EXIT, readConfig, type GlobalOptions } from '../context.js';
import { print, printJson } from '../output.js';
import { DEMO_SHOPS } from '../demo/shops.js';

/**
 * `bcbridge map --platform P FILE`: the BC document a raw shop order would become, or why it would be
 * held (exit 3). Writes nothing. With a config, BC master data is read from the active environment
 * (unless --offline); without one, every customer and item is assumed to exist.
 */
export function registerMapCommand(program: Command): void {
  program
    .command('map <file>')
    .description('print the BC document a raw shop order would become, or the hold reason (exit 3)')
    .requiredOption('--platform <platform>', `one of ${PLATFORMS.join(', ')}`)
    .option('--shop <code>', 'use the rules of this configured shop')
    .option('--offline', 'do not ask BC: assume customers and items exist')
    .action(async (file: string, opts: { platform: string; shop?: string; offline?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      if (!PLATFORMS.includes(opts.platform as ShopConfig['platform'])) throw new Error(`--platform must be one of ${PLATFORMS.join(', ')}`);
      const hasConfig = existsSync(configPath(globals));
      const config: Config = hasConfig ? readConfig(globals) : defaultConfig(opts.platform);
      const shopIndex = opts.shop ? config.shops.findIndex((s) => s.code === opts.shop) : config.shops.findIndex((s) => s.platform === opts.platform);
      if (shopIndex < 0) throw new Error(`no configured ${opts.shop ? `shop "${opts.shop}"` : `${opts.platform} shop`}`);
      const shop = config.shops[shopIndex];
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        throw new Error(`${file}: cannot be read as JSON (${(err as Error).message})`);
      }
      const connector = createConnector(shop, { clock: systemClock, requestLog: nullRequestLog });
      const intake = toIntakeOrder(shop, connector, raw);
      if (intake.malformed || !intake.canonical) {
        printHold(intake.malformed!.code, intake.malformed!.reason, intake.malformed!.hint);
        process.exitCode = EXIT.held;
        return;
      }
      const canonical = intake.canonical as Parameters<typeof decide>[0];
      let close = async () => {};
      let md: MasterData;
      if (hasConfig && !opts.offline) {
        // An in-memory store: `map` must not write to the real database.
        const store = await openStore(':memory:');
        const rt = await createRuntime(config, { log: createLogger('warn'), store });
        md = rt.masterData(await rt.activeEnvironment());
        close = async () => {
          await rt.close();
          await store.close();
        };
      } else {
        md = new MasterData(offlineTarget(), systemClock);
      }
      try {
        // A dry run: no customer is created and no binding remembered; bindings already stored are not read.
        const decision = await decide(canonical, { shop, shopIndex, orderKey: orderKey(shop.orderKeyPrefix, canonical.orderNumber), md, checksDone: 0, now: new Date(), dryRun: true });
        if (decision.kind === 'ready') {
          printJson(decision.document);
          for (const note of decision.notes) process.stderr.write(`note: ${note}\n`);
          return;
        }
        if (decision.kind === 'hold') printHold(decision.hold.code, decision.hold.reason, decision.hold.hint);
        else if (decision.kind === 'wait') printHold('NOT_ELIGIBLE_YET', decision.reason, 'It is exported once it becomes eligible.');
        else printHold(decision.code, decision.reason, 'Not exported by the configured rules.');
        process.exitCode = EXIT.held;
      } finally {
        await close();
      }
    });
}

function printHold(code: string, reason: string, hint: string): void {
  print(`${code}: ${reason}`);
  print(`fix: ${hint}`);
}

/** Rules used when there is no config file: the shipped defaults, guest and freight targets as in the example config. */
function defaultConfig(platform: string): Config {
  // The platform's demo shop entry gives a valid shop of that platform (its credentials are never used).
  const demo = DEMO_SHOPS[platform];
  const offline = { url: 'https://shop.invalid' };
  const shop = demo ? demo.shop({ bc: { url: 'https://bc.invalid', tokenUrl: 'https://bc.invalid/token', tenant: 'offline' }, shops: { [platform]: offline } }) : { platform };
  return parseConfig(
    {
      bc: { active: 'test', test: { name: 'sandbox', tenant: 'offline', company: 'offline', clientId: 'offline', clientSecret: 'offline' } },
      shops: [
        {
          ...shop,
          code: 'shop',
          // Without a config the key is the bare order no. (the demo shop's prefix belongs to the demo).
          orderKeyPrefix: '',
          rules: demo?.offlineRules ?? { requirePaid: false },
          mapping: { guestCustomerNo: 'WEB-GUEST', defaultCustomerNo: 'WEB-GUEST', freight: { type: 'Account', no: '6810' }, fees: { type: 'Account', no: '6820' } },
        },
      ],
    },
    {},
  );
}
