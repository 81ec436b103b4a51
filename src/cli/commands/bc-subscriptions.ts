import type { Command } from 'commander';
import type { EnvironmentKey } from '../../config/schema.js';
import { ConfigError } from '../../domain/errors.js';
import { bcNotificationUrl, ensureBcSubscriptions, listBcSubscriptions, removeBcSubscriptions } from '../../pipeline/bc-subscriptions.js';
import { EXIT, withRuntime, type GlobalOptions } from '../context.js';
import { print, printJson, table } from '../output.js';

function envOf(value: string): EnvironmentKey {
  if (value !== 'live' && value !== 'test') throw new ConfigError([`--env: must be live or test, got "${value}"`]);
  return value;
}

/**
 * `bcbridge bc-subscriptions register|list|remove --env live|test`: BC's webhook subscriptions pointing at
 * `<server.publicUrl>/webhooks/bc/<env>` (docs/webhooks.md "BC → bcbridge"). A command of its own rather than
 * `webhooks --bc`: those are the shops' subscriptions, these are BC's, with another lifecycle (3-day expiry,
 * renewal) and another receiver. `register` needs the receiver running (`bcbridge run`): BC calls it back
 * before it answers.
 */
export function registerBcSubscriptionsCommand(program: Command): void {
  const cmd = program.command('bc-subscriptions').description("manage BC's webhook subscriptions that trigger write-back (pointing at server.publicUrl)");

  cmd
    .command('register')
    .description('subscribe this bcbridge to sales order changes in BC (idempotent; renews, removes duplicates)')
    .requiredOption('--env <live|test>', 'the BC environment')
    .option('--renew', 'renew every subscription now, not only those close to expiry')
    .option('--json', 'print as JSON')
    .action(async (opts: { env: string; renew?: boolean; json?: boolean }, c: Command) => {
      process.exitCode = await withRuntime(c.optsWithGlobals<GlobalOptions>(), async (rt) => {
        const env = envOf(opts.env);
        const address = bcNotificationUrl(rt.config, env);
        const outcomes = await ensureBcSubscriptions(rt, env, { renewAll: opts.renew });
        if (opts.json) printJson({ env, address, subscriptions: outcomes });
        else {
          print(`BC webhook subscriptions of ${env} → ${address}`);
          print(table(outcomes.map((o) => ({ resource: o.entitySet, id: o.id, action: o.action, expires: o.expirationDateTime, error: o.error })), ['resource', 'id', 'action', 'expires', 'error']));
          if (outcomes.some((o) => o.action === 'failed')) print('note: BC calls the address back before it creates a subscription; `bcbridge run` must be running and reachable from BC over https.');
        }
        return outcomes.some((o) => o.action === 'failed') ? EXIT.problems : EXIT.ok;
      });
    });

  cmd
    .command('list')
    .description("BC's webhook subscriptions in the environment; those pointing at this bcbridge are marked")
    .requiredOption('--env <live|test>', 'the BC environment')
    .option('--json', 'print as JSON')
    .action(async (opts: { env: string; json?: boolean }, c: Command) => {
      await withRuntime(c.optsWithGlobals<GlobalOptions>(), async (rt) => {
        const env = envOf(opts.env);
        const subs = await listBcSubscriptions(rt, env);
        // clientState is a secret: it is never part of BcSubscription, so never printed.
        const rows = subs.map(({ etag: _etag, ...s }) => s);
        if (opts.json) return printJson({ env, subscriptions: rows });
        print(table(rows.map((s) => ({ id: s.id, resource: s.resource, address: s.notificationUrl, expires: s.expirationDateTime, bcbridge: s.ours ? 'yes' : '' })), ['id', 'resource', 'address', 'expires', 'bcbridge']));
      });
    });

  cmd
    .command('remove')
    .description('delete the subscriptions pointing at this bcbridge (or one by --id)')
    .requiredOption('--env <live|test>', 'the BC environment')
    .option('--id <id>', 'only this subscription (any address)')
    .option('--json', 'print as JSON')
    .action(async (opts: { env: string; id?: string; json?: boolean }, c: Command) => {
      await withRuntime(c.optsWithGlobals<GlobalOptions>(), async (rt) => {
        const env = envOf(opts.env);
        const removed = await removeBcSubscriptions(rt, env, opts.id);
        if (opts.json) return printJson({ env, removed });
        print(removed.length ? `removed ${removed.length} BC subscription(s) in ${env}: ${removed.join(', ')}` : `BC ${env} has no subscription pointing at this bcbridge`);
      });
    });
}
