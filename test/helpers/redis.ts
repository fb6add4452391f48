/**
 * Redis for tests: $XDRGATE_REDIS_URL under `npm test` (the runner ensures one);
 * otherwise whatever ensureRedis finds or starts, once per test process. Tests
 * share the server, so each uses its own key prefix.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ensureRedis } from '../../xdr/infra/index.js';
import { infraLogger } from './kafka.js';

let ensured: Promise<string> | undefined;

/** URL of a Redis that answers PING. */
export async function redisUrl(): Promise<string> {
  const fromEnv = process.env.XDRGATE_REDIS_URL;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  ensured ??= ensureRedis(undefined, { unref: true, logger: infraLogger() }).then((handle) => handle.url);
  return await ensured;
}

/** A key prefix no other test uses: `<prefix>:<12 hex chars>:`. */
export function randomKeyPrefix(prefix = 'xdrgate-test'): string {
  return `${prefix}:${randomBytes(6).toString('hex')}:`;
}

/**
 * Deletes every key under `prefix` (a test's cleanup). A Redis the test left
 * stopped is not waited for: a few retries, then the keys are left behind.
 */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: true });
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } catch {
    // A stopped server: nothing to clean that the next test could meet (prefixes are random).
  } finally {
    redis.disconnect();
  }
}
