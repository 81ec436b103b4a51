import type { Command } from 'commander';
import type { Config } from '../../config/schema.js';
import { ConfigError } from '../../domain/errors.js';
import type { Runtime } from '../../pipeline/runtime.js';
import type { ConnectorWebhooks } from '../../shops/connector.js';
import { withRuntime, type GlobalOptions } from '../context.js';
import { print, printJson, table } from '../output.js';

/** Where a shop delivers: `<server.publicUrl>/webhooks/<shop code>`. */
export function webhookAddress(config: Config, shopCode: string): string {
  const base = config.server.publicUrl;
  if (!base) {
    throw new ConfigError([`server.publicUrl: is needed to register webhooks; set it to the address shops reach this bcbridge at, e.g. https://bcbridge.example.com (the receiver is <publicUrl>/webhooks/${shopCode})`]);
  }
  return `${base.replace(/\/+$/, '')}/webhooks/${shopCode}`;
}

function hooksOf(rt: Runtime, shopCode: string): ConnectorWebhooks {
  const shop = rt.shop(shopCode);
  const hooks = rt.connector(shop.code).webhook;
  if (!hooks) throw new ConfigError([`shops[code=${shop.code}]: ${shop.platform} shops are polled only; they have no webhooks to register`]);
  return hooks;
}

/**
 * `bcbridge webhooks register|list|remove --shop X`: the shop's subscriptions, through the shop's own API,
 * pointing at this bcbridge (docs/webhooks.md).
 */
export function registerWebhooksCommand(program: Command): void {
  const cmd = program.command('webhooks').description("manage a shop's webhook subscriptions (pointing at server.publicUrl)");

  cmd
    .command('register')
    .description('subscribe this bcbridge to the order topics of the shop (idempotent)')
    .requiredOption('--shop <code>', 'the shop')
    .option('--json', 'print as JSON')
    .action(async (opts: { shop: string; json?: boolean }, c: Command) => {
      await withRuntime(c.optsWithGlobals<GlobalOptions>(), async (rt) => {
        const address = webhookAddress(rt.config, opts.shop);
        const hooks = hooksOf(rt, opts.shop);
        const results = await hooks.register(address);
        if (opts.json) return printJson({ shop: opts.shop, address, subscriptions: results.map((r) => ({ ...r.subscription, action: r.action })) });
        print(`webhooks of shop ${opts.shop} → ${address}`);
        print(table(results.map((r) => ({ topic: r.subscription.topic, id: r.subscription.id, action: r.action })), ['topic', 'id', 'action']));
        if (/^http:\/\//i.test(address) && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/i.test(address)) {
          print('note: shops deliver webhooks over https only; put bcbridge behind TLS and use an https publicUrl.');
        }
      });
    });

  cmd
    .command('list')
    .description("the shop's webhook subscriptions; those pointing at this bcbridge are marked")
    .requiredOption('--shop <code>', 'the shop')
    .option('--json', 'print as JSON')
    .action(async (opts: { shop: string; json?: boolean }, c: Command) => {
      await withRuntime(c.optsWithGlobals<GlobalOptions>(), async (rt) => {
        const hooks = hooksOf(rt, opts.shop);
        const ours = rt.config.server.publicUrl ? webhookAddress(rt.config, opts.shop) : undefined;
        const subs = await hooks.list();
        const rows = subs.map((s) => ({ ...s, ours: s.address === ours }));
        if (opts.json) return printJson({ shop: opts.shop, address: ours ?? null, subscriptions: rows });
        print(table(rows.map((r) => ({ id: r.id, topic: r.topic, address: r.address, active: r.active ? 'yes' : 'no', bcbridge: r.ours ? 'yes' : '' })), ['id', 'topic', 'address', 'active', 'bcbridge']));
        const missing = hooks.topics.filter((t) => !rows.some((r) => r.ours && r.topic === t && r.active));
        if (ours && missing.length) print(`not subscribed: ${missing.join(', ')} (run bcbridge webhooks register --shop ${opts.shop})`);
      });
    });

  cmd
    .command('remove')
    .description("delete the shop's subscriptions pointing at this bcbridge (or one by --id)")
    .requiredOption('--shop <code>', 'the shop')
    .option('--id <id>', 'only this subscription (any address)')
    .option('--json', 'print as JSON')
    .action(async (opts: { shop: string; id?: string; json?: boolean }, c: Command) => {
      await withRuntime(c.optsWithGlobals<GlobalOptions>(), async (rt) => {
        const hooks = hooksOf(rt, opts.shop);
        let ids: string[];
        if (opts.id) ids = [opts.id];
        else {
          const address = webhookAddress(rt.config, opts.shop);
          ids = (await hooks.list()).filter((s) => s.address === address).map((s) => s.id);
        }
        for (const id of ids) await hooks.remove(id);
        if (opts.json) return printJson({ shop: opts.shop, removed: ids });
        print(ids.length ? `removed ${ids.length} subscription(s) of shop ${opts.shop}: ${ids.join(', ')}` : `shop ${opts.shop} has no subscription pointing at this bcbridge`);
      });
    });
}
