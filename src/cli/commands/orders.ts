import type { Command } from 'commander';
import { isoNow } from '../../domain/clock.js';
import { isOrderState, RETRYABLE_BY_PERSON, SKIPPABLE_BY_PERSON, type OrderState } from '../../domain/states.js';
import { conflictDiff, resolveConflict, type ConflictDecision } from '../../pipeline/conflicts.js';
import type { Runtime } from '../../pipeline/runtime.js';
import { EXIT, withRuntime, type GlobalOptions } from '../context.js';
import { print, printJson, table } from '../output.js';

export function registerOrdersCommands(program: Command): void {
  const orders = program.command('orders').description('list, show, retry, skip or resolve orders');

  orders
    .command('list')
    .option('--state <state>', 'only orders in this state (comma-separated)')
    .option('--shop <code>', 'only this shop')
    .option('--reason <code>', 'only orders held/failed with this reason code')
    .option('--search <text>', 'order no., order key, BC no. or e-mail')
    .option('--limit <n>', 'at most n orders', '50')
    .option('--json', 'print as JSON')
    .action(async (opts: { state?: string; shop?: string; reason?: string; search?: string; limit: string; json?: boolean }, cmd: Command) => {
      await withRuntime(cmd.optsWithGlobals<GlobalOptions>(), async (rt) => {
        const states = opts.state?.split(',').map((s) => s.trim());
        const bad = states?.filter((s) => !isOrderState(s));
        if (bad && bad.length > 0) throw new Error(`unknown state(s): ${bad.join(', ')}`);
        const rows = await rt.store.orders.list({ state: states as OrderState[] | undefined, shop: opts.shop, reasonCode: opts.reason, search: opts.search, limit: Number(opts.limit) });
        if (opts.json) return printJson(rows);
        print(table(rows.map((r) => ({ id: r.id, shop: r.shop, order: r.order_number, state: r.state, bc: r.bc_number ?? '', total: r.total ? `${r.total} ${r.currency}` : '', reason: r.reason_code ?? '', why: r.reason ?? '' }))));
      });
    });

  orders
    .command('show <ref>')
    .description('one order: state, reason, timeline, BC document (ref = id, order no., order key or BC no.)')
    .option('--shop <code>', 'the shop, when order numbers repeat across shops')
    .option('--json', 'print as JSON')
    .action(async (ref: string, opts: { shop?: string; json?: boolean }, cmd: Command) => {
      await withRuntime(cmd.optsWithGlobals<GlobalOptions>(), async (rt) => {
        const row = await rt.store.orders.find(ref, opts.shop);
        if (!row) {
          process.stderr.write(`no order ${ref}\n`);
          process.exitCode = EXIT.problems;
          return;
        }
        const payloads = await rt.store.orders.payloads(row.id);
        const events = await rt.store.orders.events(row.id);
        const requests = await rt.store.requestLog.forOrder(row.id);
        if (opts.json) return printJson({ order: row, ...payloads, diff: conflictDiff(payloads).map((c) => c.text), events, requests });
        print(`order ${row.order_number} (id ${row.id}, shop ${row.shop}, key ${row.order_key ?? '-'})`);
        print(`state: ${row.state}${row.reason_code ? `  [${row.reason_code}]` : ''}`);
        if (row.reason) print(`why:   ${row.reason}`);
        if (row.hint) print(`fix:   ${row.hint}`);
        if (row.bc_number) print(`BC:    sales order ${row.bc_number} in ${row.bc_environment_name ?? row.bc_env}`);
        const changes = conflictDiff(payloads);
        if (changes.length > 0) {
          print(`\nchanged in the shop since it went to BC${row.state === 'conflict' ? ` (decide: bcbridge orders resolve ${ref} --resync | --accept | --cancel)` : ''}:`);
          for (const c of changes) print(`  - ${c.text}`);
        }
        print('');
        print(table(events.map((e) => ({ at: e.at, from: e.from_state ?? '', to: e.to_state, actor: e.actor, reason: e.reason ?? '' }))));
        if (payloads?.document) {
          print('\nBC document:');
          print(JSON.stringify(payloads.document, null, 2));
        }
      });
    });

  registerResolve(orders);

  for (const action of ['retry', 'skip'] as const) {
    orders
      .command(`${action} <refs...>`)
      .description(action === 'retry' ? 'evaluate held/failed/ignored orders again (after fixing config or BC data)' : 'mark orders ignored: they will not be exported')
      .option('--shop <code>', 'the shop, when order numbers repeat across shops')
      .option('--reason <text>', 'why (recorded on the timeline)')
      .action(async (refs: string[], opts: { shop?: string; reason?: string }, cmd: Command) => {
        await withRuntime(cmd.optsWithGlobals<GlobalOptions>(), async (rt) => {
          let failures = 0;
          for (const ref of refs) {
            const msg = await (action === 'retry' ? retryOrder : skipOrder)(rt, ref, opts.shop, 'cli', opts.reason);
            print(msg.text);
            if (!msg.ok) failures++;
          }
          process.exitCode = failures > 0 ? EXIT.problems : EXIT.ok;
        });
      });
  }
}

/** `orders resolve`: one decision on an order in conflict (docs/write-back.md "Conflicts"). */
function registerResolve(orders: Command): void {
  orders
    .command('resolve <ref>')
    .description('decide on an order the shop changed after export: --resync (update the BC order), --accept (keep BC as it is), --cancel (delete it in BC)')
    .option('--resync', 'change the BC sales order to match the shop (only if BC has shipped none of it); totals are verified again')
    .option('--accept', "keep the BC order as it is; the shop's version becomes the baseline")
    .option('--cancel', 'delete the BC sales order (only if BC has shipped none of it); the order becomes ignored')
    .option('--shop <code>', 'the shop, when order numbers repeat across shops')
    .option('--json', 'print the result as JSON')
    .action(async (ref: string, opts: { resync?: boolean; accept?: boolean; cancel?: boolean; shop?: string; json?: boolean }, cmd: Command) => {
      const chosen = (['resync', 'accept', 'cancel'] as const).filter((d) => opts[d]);
      if (chosen.length !== 1) {
        process.stderr.write('orders resolve: give exactly one of --resync, --accept, --cancel\n');
        process.exitCode = EXIT.badConfig;
        return;
      }
      await withRuntime(cmd.optsWithGlobals<GlobalOptions>(), async (rt) => {
        const r = await resolveOrder(rt, ref, opts.shop, chosen[0]!, 'cli');
        if (opts.json) printJson(r);
        else print(r.text);
        process.exitCode = r.ok ? EXIT.ok : EXIT.problems;
      });
    });
}

export async function resolveOrder(rt: Runtime, ref: string, shop: string | undefined, decision: ConflictDecision, actor: string): Promise<{ ok: boolean; text: string; state?: string }> {
  const row = await rt.store.orders.find(ref, shop);
  if (!row) return { ok: false, text: `${ref}: no such order` };
  const r = await resolveConflict(rt, row.id, decision, actor);
  return { ok: r.ok, text: r.text, state: r.state };
}

/** A person's retry: back through evaluation with fresh BC master data (a transition like any other). */
export async function retryOrder(rt: Runtime, ref: string, shop: string | undefined, actor: string, why?: string): Promise<{ ok: boolean; text: string }> {
  const row = await rt.store.orders.find(ref, shop);
  if (!row) return { ok: false, text: `${ref}: no such order` };
  const from = row.state as OrderState;
  if (!RETRYABLE_BY_PERSON.includes(from)) return { ok: false, text: `${ref}: is ${from}; only ${RETRYABLE_BY_PERSON.join('/')} orders can be retried` };
  for (const env of ['live', 'test'] as const) if (rt.config.bc[env]) rt.masterData(env).clear();
  const ok = await rt.store.orders.transition(
    { id: row.id, from, to: 'received', actor, reason: why ?? 'retry requested', set: { reason_code: null, reason: null, hint: null, next_attempt_at: null, checks: 0, attempts: 0 } },
    isoNow(rt.clock),
  );
  return { ok, text: ok ? `${ref}: ${from} → received (will be evaluated again)` : `${ref}: changed meanwhile, not retried` };
}

export async function skipOrder(rt: Runtime, ref: string, shop: string | undefined, actor: string, why?: string): Promise<{ ok: boolean; text: string }> {
  const row = await rt.store.orders.find(ref, shop);
  if (!row) return { ok: false, text: `${ref}: no such order` };
  const from = row.state as OrderState;
  if (!SKIPPABLE_BY_PERSON.includes(from)) return { ok: false, text: `${ref}: is ${from}; only ${SKIPPABLE_BY_PERSON.join('/')} orders can be skipped` };
  const reason = why ?? 'skipped by hand';
  const ok = await rt.store.orders.transition({ id: row.id, from, to: 'ignored', actor, reason, set: { reason_code: 'SKIPPED', reason, hint: 'Retry the order to export it after all.' } }, isoNow(rt.clock));
  return { ok, text: ok ? `${ref}: ${from} → ignored` : `${ref}: changed meanwhile, not skipped` };
}
