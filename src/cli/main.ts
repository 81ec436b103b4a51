import { Command } from 'commander';
import { registerBcSubscriptionsCommand } from './commands/bc-subscriptions.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerEnvCommand } from './commands/env.js';
import { registerMapCommand } from './commands/map.js';
import { registerOrdersCommands } from './commands/orders.js';
import { registerPanelCommand } from './commands/panel.js';
import { registerRunCommand } from './commands/run.js';
import { registerSimCommand } from './commands/sim.js';
import { registerStageCommands } from './commands/stage.js';
import { registerStatusCommand } from './commands/status.js';
import { registerWebhooksCommand } from './commands/webhooks.js';
import { registerWriteBackCommand } from './commands/writeback.js';
import { reportError, secretsOf, type GlobalOptions } from './context.js';

const program = new Command()
  .name('bcbridge')
  .description('Webshop orders into Microsoft Dynamics 365 Business Central: exactly once, within seconds.')
  .option('-c, --config <file>', 'config file (default: $BCBRIDGE_CONFIG or ./bcbridge.yaml)')
  .option('--log-level <level>', 'fatal|error|warn|info|debug|trace')
  .showHelpAfterError();

registerRunCommand(program);
registerStageCommands(program);
registerStatusCommand(program);
registerOrdersCommands(program);
registerMapCommand(program);
registerDoctorCommand(program);
registerEnvCommand(program);
registerSimCommand(program);
registerDemoCommand(program);
registerPanelCommand(program);
registerBenchCommand(program);
registerWebhooksCommand(program);
registerWriteBackCommand(program);
registerBcSubscriptionsCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportError(err, secretsOf(program.opts<GlobalOptions>()));
}
