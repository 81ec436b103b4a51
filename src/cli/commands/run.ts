import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { createLogger } from '../../log/logger.js';
import { createRuntime } from '../../pipeline/runtime.js';
import { startScheduler } from '../../pipeline/scheduler.js';
import { startTrigger } from '../../pipeline/trigger.js';
import { createApp } from '../../server/app.js';
import { createPanel } from '../../server/panel/panel.js';
import { configPath, readConfig, type GlobalOptions } from '../context.js';

/** `bcbridge run`: scheduler + HTTP server in one process, until SIGINT/SIGTERM. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('scheduler + webhook receiver + control panel (one process)')
    .option('--port <n>', 'HTTP port (default from config server.port)')
    .action(async (opts: { port?: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const config = readConfig(globals);
      const log = createLogger(globals.logLevel ?? config.log.level);
      const rt = await createRuntime(config, { log });
      const state: { startedAt: string; lastCycleAt?: string; lastCycleOk?: boolean } = { startedAt: rt.clock.now().toISOString() };
      const scheduler = startScheduler(rt, { onCycle: (ok) => Object.assign(state, { lastCycleAt: rt.clock.now().toISOString(), lastCycleOk: ok }) });
      const port = opts.port ? Number(opts.port) : config.server.port;
      // Mapping fixes made in the panel are saved to the file this process was started from.
      const panel = createPanel(rt, { configPath: configPath(globals) });
      // Webhooks are stored by the receiver and exported at once by the trigger; the scheduler's poll is the backstop.
      const trigger = startTrigger(rt);
      // BC's notifications (webhooks/bc/<env>) run the write-back stage at once, debounced; the cycle polls too.
      const webhooks = { onStored: () => trigger.notify(), onBcChange: (env: 'live' | 'test') => trigger.writeBack(env) };
      const server = serve({ fetch: createApp(rt, state, { panel, webhooks }).fetch, hostname: config.server.host, port }, (info) => {
        log.info({ url: `http://${config.server.host}:${info.port}` }, 'bcbridge is running');
        process.stderr.write(`bcbridge running: http://${config.server.host}:${info.port}/healthz  (Ctrl-C to stop)\n`);
        process.stderr.write(`control panel: http://${config.server.host}:${info.port}/${panel.auth.configured() ? '' : '  (no login configured yet: run `bcbridge panel hash-password` and set panel.hashedPassword)'}\n`);
        // Listening now, so BC's handshake can reach the receiver.
        void scheduler.keepBcSubscriptions();
      });
      void scheduler.kick();
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      process.stderr.write('stopping: finishing the current round…\n');
      await scheduler.stop();
      await trigger.stop();
      await panel.close();
      await new Promise<void>((r) => server.close(() => r()));
      await rt.close();
    });
}
