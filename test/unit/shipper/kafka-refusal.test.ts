// Which failed sends the shipper stops on: only Kafka's answers that a retry cannot change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';

// The constructors as kafkajs calls them (its typings leave out the options argument).
const { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSSASLAuthenticationError } = kafkajs as unknown as Record<string, new (...args: unknown[]) => Error>;
import { kafkaRefusal } from '../../../shipper/kafka-refusal.js';

function protocolError(type: string, retriable: boolean): Error {
  return new KafkaJSProtocolError({ type, code: 0, retriable, message: `${type} (test)` });
}

test('a refusal is found where kafkajs wraps it', () => {
  const tooLarge = protocolError('MESSAGE_TOO_LARGE', false);
  assert.equal(kafkaRefusal(tooLarge), 'MESSAGE_TOO_LARGE');
  assert.equal(kafkaRefusal(new KafkaJSNonRetriableError(tooLarge, { cause: tooLarge })), 'MESSAGE_TOO_LARGE');
  const denied = protocolError('TOPIC_AUTHORIZATION_FAILED', false);
  const inner = new KafkaJSNonRetriableError(denied, { cause: denied });
  assert.equal(kafkaRefusal(new KafkaJSNonRetriableError(inner, { cause: inner })), 'TOPIC_AUTHORIZATION_FAILED');
  assert.equal(kafkaRefusal(new KafkaJSSASLAuthenticationError('bad password')), 'SASL_AUTHENTICATION_FAILED');
});

test('outages and errors that clear by themselves stay retriable, whatever kafkajs flags them', () => {
  assert.equal(kafkaRefusal(new KafkaJSConnectionError('connect ECONNREFUSED')), undefined);
  const down = protocolError('BROKER_NOT_AVAILABLE', false);
  assert.equal(kafkaRefusal(new KafkaJSNumberOfRetriesExceeded(down, { retryCount: 5, retryTime: 2000 })), undefined);
  assert.equal(kafkaRefusal(protocolError('UNKNOWN_PRODUCER_ID', false)), undefined);
  assert.equal(kafkaRefusal(protocolError('NOT_LEADER_FOR_PARTITION', true)), undefined);
  assert.equal(kafkaRefusal(new Error('socket hang up')), undefined);
  assert.equal(kafkaRefusal(undefined), undefined);
  // A cause chain that loops ends.
  const a: { cause?: unknown } = {};
  a.cause = a;
  assert.equal(kafkaRefusal(a), undefined);
});
