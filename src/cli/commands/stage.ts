import type { Command } from 'commander';
import { runStage } from '../../pipeline/run-stage.js';
import type { StageResult } from '../../pipeline/stage-result.js';
import { EXIT, withRuntime, type GlobalOptions } from '../context.js';
import { print, printJson } from '../output.js';

/** `bcbridge pull|export|verify`: one stage once; exit 0 ok, 1 some orders failed, 2 bad config. */
export function registerStageCommands(program: Command): void {
  const stages = [
    { name: 'pull', help: 'download changed orders from the shops into the database', run: ['pull'] as const },
    { name: 'export', help: 'evaluate received orders and create the ready ones in BC', run: ['evaluate', 'export'] as const },
    { name: 'verify', help: 'read exported orders back from BC and compare totals', run: ['verify'] as const },
  ];
  for (const s of stages) {
    program
      .command(s.name)
      .description(s.help)
      .option('--shop <code>', 'only this shop')
      .option('--json', 'print the result as JSON')
      .action(async (opts: { shop?: string; json?: boolean }, cmd: Command) => {
        const code = await withRuntime(cmd.optsWithGlobals<GlobalOptions>(), async (rt) => {
          const results: StageResult[] = [];
          for (const stage of s.run) results.push(...(await runStage(rt, stage, 'cli', { shop: opts.shop })));
          if (opts.json) printJson(results);
          else for (const r of results) print(formatResult(r));
          return results.some((r) => r.problems > 0 || r.errors.length > 0) ? EXIT.problems : EXIT.ok;
        });
        process.exitCode = code;
      });
  }
}

export function formatResult(r: StageResult): string {
  const counts = Object.entries(r.counts).map(([k, v]) => `${k} ${v}`).join(', ') || 'nothing to do';
  const errs = r.errors.map((e) => `\n  error: ${e}`).join('');
  return `${r.stage}${r.shop ? ` [${r.shop}]` : ''}: ${counts}${errs}`;
}
