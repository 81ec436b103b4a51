import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Command } from 'commander';
import { PACKAGE_ROOT } from '../sim-process.js';

/** `bcbridge sim`: the simulators standalone, in the foreground (options pass through to sim/main.ts). */
export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('run the BC and shop simulators standalone')
    .option('--bc-port <n>', 'BC simulator port', '4010')
    .option('--woo-port <n>', 'WooCommerce simulator port', '4020')
    .option('--latency <ms>', 'BC latency per request', '0')
    .option('--orders <n>', 'orders to generate at start', '10')
    .action(async (opts: { bcPort: string; wooPort: string; latency: string; orders: string }) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(PACKAGE_ROOT, 'sim', 'main.ts'), '--bc-port', opts.bcPort, '--woo-port', opts.wooPort, '--latency', opts.latency, '--orders', opts.orders],
        { cwd: PACKAGE_ROOT, stdio: 'inherit' },
      );
      const forward = (sig: NodeJS.Signals) => child.kill(sig);
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      process.exitCode = await new Promise<number>((r) => child.once('exit', (code) => r(code ?? 0)));
    });
}
