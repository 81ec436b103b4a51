import type { Command } from 'commander';
import v8 from 'node:v8';
import { collectSecrets, scrub } from '../../config/redact.js';
import { errorMessage } from '../../domain/errors.js';
import { createLogger } from '../../log/logger.js';
import { createRuntime } from '../../pipeline/runtime.js';
import { EXIT, configPath, readConfig, type GlobalOptions } from '../context.js';
import { describeHeap, heapSettings } from '../heap-settings.js';
import { print } from '../output.js';

/** `bcbridge doctor`: config, database, every shop and every BC environment, a line per check. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check config, database, shop and BC connectivity, mappings')
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      let failed = 0;
      const line = (ok: boolean, what: string, detail: string) => {
        if (!ok) failed++;
        print(`${ok ? 'ok  ' : 'FAIL'}  ${what}: ${detail}`);
      };
      const config = readConfig(globals);
      const secrets = collectSecrets(config);
      line(true, 'config', `${configPath(globals)} is valid (${config.shops.length} shop(s))`);
      // Informational: Node's defaults work, the recommended settings cost less CPU (docs/configuration.md "Memory").
      line(true, 'node', `${process.version}, ${describeHeap(heapSettings(process.execArgv, process.env.NODE_OPTIONS, v8.getHeapStatistics().heap_size_limit))}`);
      const rt = await createRuntime(config, { log: createLogger('warn') });
      try {
        line(true, 'database', rt.store.db.describe);
        for (const shop of config.shops) {
          try {
            const res = await rt.connector(shop.code).ping();
            line(true, `shop ${shop.code}`, res.detail);
          } catch (err) {
            line(false, `shop ${shop.code}`, scrub(errorMessage(err), secrets));
          }
        }
        const active = await rt.activeEnvironment();
        for (const env of ['live', 'test'] as const) {
          const envCfg = config.bc[env];
          if (!envCfg) continue;
          try {
            const company = await rt.target(env).checkCompany();
            line(true, `BC ${env}${env === active ? ' (active)' : ''}`, `authenticated; environment "${envCfg.name}", company "${company.name}" (${company.id})`);
            for (const shop of config.shops) {
              for (const [label, no] of [['guest customer', shop.mapping.guestCustomerNo], ['default customer', shop.mapping.defaultCustomerNo]] as const) {
                if (!no) continue;
                const c = await rt.target(env).getCustomer(no);
                line(Boolean(c) && !c?.blocked, `BC ${env} ${shop.code} ${label}`, c ? `${c.number} ${c.displayName}${c.blocked ? ` is BLOCKED (${c.blocked})` : ''}` : `${no} does not exist in BC`);
              }
            }
          } catch (err) {
            line(false, `BC ${env}${env === active ? ' (active)' : ''}`, scrub(errorMessage(err), secrets));
          }
        }
      } finally {
        await rt.close();
      }
      process.exitCode = failed > 0 ? EXIT.problems : EXIT.ok;
    });
}
