/**
 * What the benchmark scripts share, in one place instead of a copy in each:
 * numeric `--name value` arguments, `--json` (machine output only), the human
 * progress lines, the pino logger (stderr, quiet unless
 * XDRGATE_BENCH_LOG_LEVEL), and a Kafka broker ($XDRGATE_KAFKA_TOKYO, or one
 * started for the run and closed after it).
 */
import { readFileSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import { KafkaBroker } from '../xdr/infra/index.js';

/** `--<name> <number>` from the command line, or `fallback`. */
export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : fallback;
}

/** `--json`: only the JSON result goes to stdout. */
export const json = process.argv.includes('--json');

/** A progress line for people (silent with --json). */
export function say(line: string): void {
  if (!json) process.stdout.write(`${line}\n`);
}

/** The benchmarks' logger: stderr, level XDRGATE_BENCH_LOG_LEVEL (default error). */
export function benchLogger(): Logger {
  return pino({ level: process.env.XDRGATE_BENCH_LOG_LEVEL ?? 'error' }, pino.destination(2));
}

export interface BenchKafka {
  brokers: string[];
  /** Stops the broker this run started (nothing for $XDRGATE_KAFKA_TOKYO's). */
  close(): Promise<void>;
}

/** $XDRGATE_KAFKA_TOKYO when set, else one broker started for this run. */
export async function benchKafka(logger: Logger): Promise<BenchKafka> {
  const given = process.env.XDRGATE_KAFKA_TOKYO?.split(',');
  if (given !== undefined && given[0] !== '') return { brokers: given, close: async () => undefined };
  say('starting a Kafka broker for the benchmark ...');
  const broker = await KafkaBroker.start({ name: 'bench', logger, fastStartJvm: false, heapMb: 512 });
  return { brokers: broker.brokers, close: () => broker.close() };
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (100 Hz ticks); null without /proc or the process. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
