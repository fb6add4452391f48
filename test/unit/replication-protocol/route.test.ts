// The route vocabulary: one definition of names, topics and resolver names,
// which the config schema, the receiver and the topic setup all use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOLVER_NAMES, resolverByName } from '../../../conflict/index.js';
import {
  REGION_NAME_PATTERN, ROUTE_NAME_PATTERN, ROUTE_RESOLVER_NAMES, TOPIC_NAME_PATTERN, deadLetterTopic, routeCursorName, routeTopic,
} from '../../../replication-protocol/index.js';

test('the resolvers a route may name are conflict/\'s built-ins and custom, no more and no fewer', () => {
  assert.deepEqual([...ROUTE_RESOLVER_NAMES].filter((n) => n !== 'custom').sort(), [...RESOLVER_NAMES].sort());
  assert.ok(ROUTE_RESOLVER_NAMES.includes('custom'));
  for (const name of RESOLVER_NAMES) assert.equal(resolverByName(name).name, name);
});

test('a route ships to xdr.<source>.<destination>.<namespace> unless it names its topic; the dead-letter topic sits beside it', () => {
  assert.equal(routeTopic({ source: 'tokyo', destination: 'virginia', namespace: 'user_data' }), 'xdr.tokyo.virginia.user_data');
  assert.equal(routeTopic({ source: 'tokyo', destination: 'virginia', namespace: 'user_data', topic: 'own' }), 'own');
  assert.equal(deadLetterTopic('xdr.tokyo.virginia.user_data'), 'xdr.tokyo.virginia.user_data.dlq');
  assert.equal(routeCursorName('tk-va'), 'route:tk-va');
});

test('name patterns admit what topics and cursors can carry and refuse the rest', () => {
  const route = new RegExp(ROUTE_NAME_PATTERN);
  const region = new RegExp(REGION_NAME_PATTERN);
  const topic = new RegExp(TOPIC_NAME_PATTERN);
  for (const ok of ['tk-va', '0route', 'a_b', 'x'.repeat(63)]) assert.ok(route.test(ok), ok);
  for (const bad of ['', '-x', 'Tk', 'a.b', 'x'.repeat(64), 'a b']) assert.ok(!route.test(bad), bad);
  for (const ok of ['tokyo', 'us-east-1']) assert.ok(region.test(ok), ok);
  for (const bad of ['1tokyo', 'Tokyo', 'a_b', 'a.b']) assert.ok(!region.test(bad), bad);
  // A default topic built from valid names is a valid topic, and so is its dead-letter topic.
  const built = routeTopic({ source: 'us-east-1', destination: 'tokyo', namespace: 'user_data' });
  assert.ok(topic.test(built) && topic.test(deadLetterTopic(built)));
  assert.ok(!topic.test('a/b') && !topic.test(''));
});
