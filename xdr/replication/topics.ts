/**
 * Route topics live in the SOURCE region's Kafka (docs/architecture.md says
 * why): the topic and its dead-letter topic, created idempotently by whichever
 * end gets there first.
 */
import type { Admin } from 'kafkajs';
import { isRetriable } from '../../errors/index.js';
import { deadLetterTopic } from '../../replication-protocol/index.js';
import { ReplicationError } from './errors.js';

export interface TopicSetup {
  /** @default 8 */
  partitions?: number;
  /** @default 1 (single-broker regions in tests and the local topology) */
  replicationFactor?: number;
  /** Retention of route topics; long enough to ride out a destination outage. @default 7 days */
  retentionMs?: number;
}

/** Attempts of a topic setup that failed retriably (a fresh broker answers UNKNOWN_TOPIC_OR_PARTITION while leaders settle). */
const SETUP_ATTEMPTS_MAX = 6;

function alreadyExists(err: unknown): boolean {
  if ((err as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') return true;
  const nested = (err as { errors?: Array<{ type?: string }> }).errors;
  return Array.isArray(nested) && nested.length > 0 && nested.every((e) => e.type === 'TOPIC_ALREADY_EXISTS');
}

export async function ensureRouteTopics(admin: Admin, topic: string, setup: TopicSetup = {}): Promise<void> {
  const partitions = setup.partitions ?? 8;
  const replicationFactor = setup.replicationFactor ?? 1;
  const retention = String(setup.retentionMs ?? 7 * 24 * 3600 * 1000);
  for (let attempt = 1; ; attempt++) {
    try {
      const existing = new Set(await admin.listTopics());
      const missing = [topic, deadLetterTopic(topic)].filter((t) => !existing.has(t));
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t,
          // The DLQ keeps order irrelevant and volume low: one partition.
          numPartitions: t === topic ? partitions : 1,
          replicationFactor,
          configEntries: [{ name: 'retention.ms', value: retention }],
        })),
      });
      return;
    } catch (err) {
      // Another gateway creating the same topic at the same moment is success.
      if (alreadyExists(err)) return;
      if (isRetriable(err) && attempt < SETUP_ATTEMPTS_MAX) {
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        continue;
      }
      throw new ReplicationError('XDR_ERR_TOPIC_SETUP', `cannot create topic ${topic} (and its dead-letter topic ${deadLetterTopic(topic)}): ${(err as Error).message}`, { topic }, { cause: err });
    }
  }
}
