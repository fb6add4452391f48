/**
 * File-level Kafka of a two-region test file: per region the suite's shared
 * broker, a broker of the file's own (a test stops it), or one behind a
 * cuttable proxy (a test partitions the regions). Started once in `before`,
 * closed after the last test; tests in one file run one after another, so each
 * may stop, kill or cut what the file owns as long as it leaves it running at
 * its end.
 */
import { after, before } from 'node:test';
import { regionKafka, type KafkaKind, type RegionKafka } from './region-kafka.js';

export interface SuiteKafka {
  a: RegionKafka;
  b: RegionKafka;
}

export function suiteKafka(kinds: { a: KafkaKind; b: KafkaKind } = { a: 'shared', b: 'shared' }): () => SuiteKafka {
  const cleanups: Array<() => unknown> = [];
  const scope = { after: (fn: () => unknown) => void cleanups.push(fn) };
  let kafka: SuiteKafka | undefined;
  before(async () => {
    const [a, b] = await Promise.all([regionKafka(scope, kinds.a, 'tokyo', 'two-regions-tokyo'), regionKafka(scope, kinds.b, 'virginia', 'two-regions-virginia')]);
    kafka = { a, b };
  });
  after(async () => {
    for (let fn = cleanups.pop(); fn !== undefined; fn = cleanups.pop()) await fn();
  });
  return () => {
    if (kafka === undefined) throw new Error('the brokers did not start (see the before hook)');
    return kafka;
  };
}
