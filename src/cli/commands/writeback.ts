import type { Command } from 'commander';
import { runStage } from '../../pipeline/run-stage.js';
import { writeBack } from '../../pipeline/write-back.js';
import { EXIT, withRuntime, type GlobalOptions } from '../context.js';
import { print, printJson } from '../output.js';
import { formatResult } from './stage.js';

/**
 * `bcbridge writeback`: report BC shipments of verified orders to their shops once (docs/write-back.md).
 * Exit 0 ok, 1 some write-back keeps failing (or BC/shop unreachable), 2 bad config.
 */
export function registerWriteBackCommand(program: Command): void {
  program
    .command('writeback')
    .description('tell the shops about orders BC has shipped (status, note, tracking); verified → fulfilled')
    .option('--shop <code>', 'only this shop')
    .option('--now', 'retry failed write-backs now instead of waiting for their backoff')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { shop?: string; now?: boolean; json?: boolean }, cmd: Command) => {
      const code = await withRuntime(cmd.optsWithGlobals<GlobalOptions>(), async (rt) => {
        // --now bypasses the backoff, so it runs the stage directly (runStage records the ordinary run).
        const results = opts.now
          ? [await writeBack(rt, 'cli', { shop: opts.shop, ignoreBackoff: true })]
          : await runStage(rt, 'writeback', 'cli', { shop: opts.shop });
        if (opts.json) printJson(results);
        else for (const r of results) print(formatResult(r));
        return results.some((r) => r.problems > 0 || r.errors.length > 0) ? EXIT.problems : EXIT.ok;
      });
      process.exitCode = code;
    });
}
