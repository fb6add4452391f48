/**
 * The infrastructure one `npm test` run shares: Kafka provisioned once, one
 * broker per region (tokyo, virginia) started in parallel, and a Redis. Times
 * each step for the runner's one-line summary.
 */
import type { Logger } from 'pino';
import { KafkaBroker, ensureRedis, provisionKafka, type RedisHandle } from '../xdr/infra/index.js';

export const REGIONS = ['tokyo', 'virginia'] as const;

export interface SuiteInfra {
  /** Variables the test processes read (see test/helpers/kafka.ts and redis.ts). */
  env: Record<string, string>;
  summary: string;
  stop(): Promise<void>;
}

export async function startSuiteInfra(logger: Logger): Promise<SuiteInfra> {
  const startedMs = Date.now();
  const brokers: KafkaBroker[] = [];
  let redis: RedisHandle | undefined;
  const stop = async (): Promise<void> => {
    await Promise.allSettled([...brokers.map((b) => b.close()), redis?.stop()]);
  };
  try {
    const redisStarting = ensureRedis(process.env.XDRGATE_REDIS_URL, { logger }).then((handle) => (redis = handle));
    const dist = await provisionKafka({ logger });
    const brokersStartedMs = Date.now();
    await Promise.all(
      REGIONS.map(async (region) => {
        const broker = await KafkaBroker.start({ name: region, dist, logger });
        brokers.push(broker);
      }),
    );
    const brokersMs = Date.now() - brokersStartedMs;
    await redisStarting;
    const env: Record<string, string> = { XDRGATE_REDIS_URL: redis!.url };
    for (const broker of brokers) env[`XDRGATE_KAFKA_${broker.name.toUpperCase()}`] = broker.bootstrap;
    const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
    const summary =
      `infra ready in ${seconds(Date.now() - startedMs)}: ` +
      `Kafka ${dist.version} ${dist.downloaded ? 'downloaded' : 'cached'} ${seconds(dist.elapsedMs)}, ` +
      `brokers ${brokers.map((b) => `${b.name}=${b.bootstrap} ${seconds(b.lastStartMs)}`).join(', ')} (${seconds(brokersMs)} incl. format), ` +
      `redis ${redis!.started ? 'started' : 'found'} at ${redis!.url}`;
    return { env, summary, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
