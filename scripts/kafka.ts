/**
 * Kafka for humans:
 *   npm run kafka:provision                      download Kafka into the cache
 *   node --import tsx scripts/kafka.ts start [--region tokyo] [--port 9092] [--data-dir DIR]
 *                                                run a broker in the foreground until Ctrl-C
 */
import { Command } from 'commander';
import { KafkaBroker, provisionKafka } from '../xdr/infra/index.js';
import { humanLogger } from './human-log.js';

const logger = humanLogger('kafka');
const program = new Command('kafka').description('provision and run local Apache Kafka (KRaft) brokers for xdrgate');

program
  .command('provision')
  .description('download Apache Kafka from Maven Central into the cache (no-op when cached)')
  .option('--version <version>', 'Kafka version (default $XDRGATE_KAFKA_VERSION or 4.3.1)')
  .action(async (opts: { version?: string }) => {
    const dist = await provisionKafka({ version: opts.version, logger });
    console.log(`Kafka ${dist.version} ${dist.downloaded ? 'downloaded' : 'already cached'} in ${dist.libsDir} (${(dist.elapsedMs / 1000).toFixed(1)} s)`);
  });

program
  .command('start')
  .description('start one single-node KRaft broker in the foreground; Ctrl-C stops it')
  .option('--region <name>', 'region label (used in logs and the data dir name)', 'tokyo')
  .option('--port <port>', 'client port (default: a free port)', (v) => Number.parseInt(v, 10))
  .option('--data-dir <dir>', 'keep data here across runs (default: a temp dir removed at exit)')
  .option('--heap-mb <mb>', 'max Java heap', (v) => Number.parseInt(v, 10), 256)
  .action(async (opts: { region: string; port?: number; dataDir?: string; heapMb: number }) => {
    const broker = await KafkaBroker.start({ name: opts.region, port: opts.port, dataDir: opts.dataDir, heapMb: opts.heapMb, logger });
    console.log(`${opts.region} Kafka ready: bootstrap ${broker.bootstrap} (pid ${broker.pid}, data ${broker.dataDir}, log ${broker.logFile})`);
    console.log(`export XDRGATE_KAFKA_${opts.region.toUpperCase()}=${broker.bootstrap}`);
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      void broker.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // Keep running until a signal arrives; the broker child keeps the loop alive.
  });

await program.parseAsync(process.argv);
