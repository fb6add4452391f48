// kafkajs's logs in pino: real errors stay errors; what every start meets
// (a coordinator loading, a group joining, a new topic without a leader yet)
// is logged at info, since kafkajs retries it by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logLevel } from 'kafkajs';
import { kafkaEntryLevel } from '../../../xdr/replication/index.js';

test('expected start-up conditions are info; other kafkajs errors and warnings keep their level', () => {
  assert.equal(kafkaEntryLevel(logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2)', 'The coordinator is loading and hence can\'t process requests'), 'info');
  assert.equal(kafkaEntryLevel(logLevel.ERROR, 'Response Metadata(key: 3, version: 6)', 'There is no leader for this topic-partition as we are in the middle of a leadership election'), 'info');
  assert.equal(kafkaEntryLevel(logLevel.ERROR, "Cannot read properties of undefined (reading 'release')", undefined), 'info');
  assert.equal(kafkaEntryLevel(logLevel.WARN, 'The group is rebalancing, so a rejoin is needed', undefined), 'info');
  assert.equal(kafkaEntryLevel(logLevel.ERROR, 'Restarting the consumer in 100ms', undefined), 'info');
  assert.equal(kafkaEntryLevel(logLevel.ERROR, 'Crash: KafkaJSProtocolError: Not authorized to access group', undefined), 'error');
  assert.equal(kafkaEntryLevel(logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092', undefined), 'error');
  assert.equal(kafkaEntryLevel(logLevel.WARN, 'Request timed out', undefined), 'warn');
  assert.equal(kafkaEntryLevel(logLevel.INFO, 'Consumer has joined the group', undefined), 'debug');
});
