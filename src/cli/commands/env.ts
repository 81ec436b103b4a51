import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { isoNow } from '../../domain/clock.js';
import { ACTIVE_ENV_SETTING } from '../../pipeline/context.js';
import { EXIT, withRuntime, type GlobalOptions } from '../context.js';
import { print } from '../output.js';

/**
 * `bcbridge env live|test`: switches the BC environment new exports go to, after a confirmation
 * (guarantee 6). Orders already attempted finish in the environment they started in.
 */
export function registerEnvCommand(program: Command): void {
  program
    .command('env [which]')
    .description('show or switch the active BC environment (live|test); asks to confirm')
    .option('--yes', 'do not ask for confirmation')
    .action(async (which: string | undefined, opts: { yes?: boolean }, cmd: Command) => {
      await withRuntime(cmd.optsWithGlobals<GlobalOptions>(), async (rt) => {
        const current = await rt.activeEnvironment();
        if (!which) {
          print(`active: ${current} (${rt.config.bc[current]?.name ?? 'not configured'})`);
          return;
        }
        if (which !== 'live' && which !== 'test') throw new Error('env must be "live" or "test"');
        const target = rt.config.bc[which];
        if (!target) {
          process.stderr.write(`bc.${which} is not configured\n`);
          process.exitCode = EXIT.badConfig;
          return;
        }
        if (which === current) return print(`already ${which} (${target.name})`);
        if (!opts.yes) {
          if (!process.stdin.isTTY) throw new Error('refusing to switch without confirmation: run it in a terminal or pass --yes');
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          const answer = await rl.question(`Switch new exports from ${current} (${rt.config.bc[current]?.name}) to ${which} (${target.name}, company ${target.company})? Type "${which}" to confirm: `);
          rl.close();
          if (answer.trim() !== which) return print('not switched');
        }
        await rt.store.settings.set(ACTIVE_ENV_SETTING, which, isoNow(rt.clock));
        print(`active BC environment: ${which} (${target.name})`);
      });
    });
}
