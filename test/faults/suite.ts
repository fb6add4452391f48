/**
 * File-level resources of a fault test file: the two regions' brokers (with
 * their proxies), started once in `before` and closed after the last test.
 * Tests in one file run one after another, so each may stop, kill or cut them
 * as long as it leaves them running at its end.
 */
import { after, before } from 'node:test';
import { startRegionKafka, type RegionKafka } from './topology.js';

export interface SuiteKafka {
  a: RegionKafka;
  b: RegionKafka;
}

export function suiteKafka(): () => SuiteKafka {
  const cleanups: Array<() => unknown> = [];
  const scope = { after: (fn: () => unknown) => void cleanups.push(fn) };
  let kafka: SuiteKafka | undefined;
  before(async () => {
    const [a, b] = await Promise.all([startRegionKafka(scope, 'fault-a'), startRegionKafka(scope, 'fault-b')]);
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
