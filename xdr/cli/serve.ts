/** `xdrgate serve --config <file>`: one region's gateway in this process. */
import type { Command } from 'commander';
import { pino } from 'pino';
import { loadConfig, isConfigError } from '../config/index.js';
import { Gateway, exitOnSignals, type GatewayParts } from '../gateway.js';
import { NoReplication } from '../routes/index.js';
import { gatewayLoggerOptions, redactConfig } from '../security/index.js';
import { createReplication } from '../gateway-replication.js';
import { isXdrError, type XdrError } from '../errors.js';
import { parentPidFromEnv, watchParent } from '../process/index.js';

/** An orphaned gateway (its parent gone) that has not stopped cleanly by then exits anyway. */
const ORPHAN_EXIT_GRACE_MS = 30_000;

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
      let parentPid: number | undefined;
      try {
        parentPid = parentPidFromEnv(process.env);
      } catch (err) {
        process.stderr.write(`${(err as XdrError).code}: ${(err as Error).message}\n`);
        process.exit(2);
      }
      // Secrets (token, SASL passwords, the password in a Redis URL) are masked in every log line.
      const logger = pino(gatewayLoggerOptions(config.logLevel));
      const parts: GatewayParts = { createReplication: o.standalone ? async () => new NoReplication() : createReplication };
      const starting = Gateway.start(config, logger, parts);
      exitOnSignals(starting, logger);
      if (parentPid !== undefined) {
        // Started by a test runner or a supervisor that may be killed without cleaning up: stop with it,
        // the way SIGTERM stops (data folder released, in-flight work finished).
        watchParent({
          parentPid,
          onGone: () => {
            logger.warn({ parentPid }, 'the process that started this gateway is gone (XDRGATE_PARENT_PID); stopping');
            process.kill(process.pid, 'SIGTERM');
            // A start that never ends (a broker that never answers) must not keep the orphan alive.
            setTimeout(() => {
              logger.error({ parentPid, graceMs: ORPHAN_EXIT_GRACE_MS }, 'orphaned gateway did not stop in time; exiting');
              process.exit(1);
            }, ORPHAN_EXIT_GRACE_MS).unref();
          },
        });
      }
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
