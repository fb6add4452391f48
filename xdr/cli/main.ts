/** The `xdrgate` command line (bin/xdrgate.js runs this). */
import { Command } from 'commander';
import { addDataCommands } from './commands-data.js';
import { addQueryCommands } from './commands-query.js';
import { addHealthCommands } from './commands-health.js';
import { routeCommand } from './commands-route.js';
import { addServeCommand } from './serve.js';
import { addUpCommand } from './up.js';
import { addLagCommand } from './lag.js';
import { addInfoCommand } from './info.js';
import { addVerifyCommand } from '../verify/command.js';

export function buildProgram(): Command {
  const program = new Command('xdrgate')
    .description('active-active cross-datacenter replication gateway (Aerospike-style records over Kafka)')
    .version('0.1.0')
    .option('--url <url>', 'gateway to talk to', process.env.XDRGATE_URL ?? 'http://127.0.0.1:4100')
    .option('--token <token>', 'bearer token (default $XDRGATE_TOKEN)', process.env.XDRGATE_TOKEN)
    .showHelpAfterError()
    .enablePositionalOptions(false);
  addUpCommand(program);
  addServeCommand(program);
  program.addCommand(routeCommand());
  addDataCommands(program);
  addQueryCommands(program);
  addHealthCommands(program);
  addLagCommand(program);
  addInfoCommand(program);
  addVerifyCommand(program);
  // Every command's --help shows --url and --token too (commands added whole do not inherit help settings).
  const withGlobals = (cmd: Command): void => {
    cmd.configureHelp({ showGlobalOptions: true });
    cmd.commands.forEach(withGlobals);
  };
  withGlobals(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync(argv);
}
