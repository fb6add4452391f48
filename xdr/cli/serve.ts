/** `xdrgate serve --config <file>`: one region's gateway in this process. */
import type { Command } from 'commander';
import { pino } from 'pino';
import { loadConfig, isConfigError } from '../config/index.js';
import { Gateway, exitOnSignals, type GatewayParts } from '../gateway.js';
import { NoReplication } from '../routes/index.js';
import { gatewayLoggerOptions, redactConfig } from '../security/index.js';
import { createReplication } from '../gateway-replication.js';
import { isXdrError } from '../errors.js';

export function addServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run one region\'s gateway (what `up` and the Dockerfile start); SIGTERM stops it cleanly')
    .requiredOption('-c, --config <file>', 'region config file, e.g. config/tokyo.yaml (env vars override it: docs/config.md)')
    .option('--standalone', 'serve the API without replication (single region)')
    .option('--check', 'validate the config, print it and exit')
    .action(async (o: { config: string; standalone?: boolean; check?: boolean }) => {
      let config;
      try {
        config = loadConfig(o.config);
      } catch (err) {
        if (isConfigError(err)) {
          process.stderr.write(`${err.code}: ${err.message}\n`);
          process.exit(2);
        }
        throw err;
      }
      if (o.check) {
        process.stdout.write(`${JSON.stringify(redactConfig(config), null, 2)}\n`);
        return;
      }
      // Secrets (token, SASL passwords, the password in a Redis URL) are masked in every log line.
      const logger = pino(gatewayLoggerOptions(config.logLevel));
      const parts: GatewayParts = { createReplication: o.standalone ? async () => new NoReplication() : createReplication };
      const starting = Gateway.start(config, logger, parts);
      exitOnSignals(starting, logger);
      try {
        await starting;
      } catch (err) {
        logger.fatal({ err }, 'gateway failed to start');
        // A setting found wrong only once the engine opens its files (direct-io on tmpfs) ends like any config error.
        if (isConfigError(err)) {
          process.stderr.write(`${err.code}: ${err.message}\n`);
          process.exit(2);
        }
        // Another owner of the folder or the address: say so in one plain line too, as for config errors.
        if (isXdrError(err, 'XDR_ERR_DIR_LOCKED') || isXdrError(err, 'XDR_ERR_ADDRESS_IN_USE')) process.stderr.write(`${err.code}: ${err.message}\n`);
        process.exit(1);
      }
    });
}
