// `xdrgate info`: where it connects by default and how it reads answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseInfoReply, serviceAddressOf } from '../../../xdr/cli/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

test('the default address is the shipped config\'s service port; XDRGATE_SERVICE moves it like it moves the gateway', () => {
  const saved = process.env.XDRGATE_SERVICE;
  try {
    delete process.env.XDRGATE_SERVICE;
    assert.deepEqual(serviceAddressOf(path.join(root, 'config', 'tokyo.yaml')), { host: '127.0.0.1', port: 3000 });
    assert.deepEqual(serviceAddressOf(path.join(root, 'config', 'virginia.yaml')), { host: '127.0.0.1', port: 3100 });
    process.env.XDRGATE_SERVICE = '0.0.0.0:3300';
    assert.deepEqual(serviceAddressOf(path.join(root, 'config', 'tokyo.yaml')), { host: '127.0.0.1', port: 3300 }, 'a wildcard bind is reached on loopback');
  } finally {
    if (saved === undefined) delete process.env.XDRGATE_SERVICE;
    else process.env.XDRGATE_SERVICE = saved;
  }
});

test('an info reply is split into name/value pairs in order; a bare error line is kept', () => {
  assert.deepEqual(parseInfoReply(Buffer.from('namespaces\ttest;user_data\nbuild\t7.2.0.0\n')), [['namespaces', 'test;user_data'], ['build', '7.2.0.0']]);
  assert.deepEqual(parseInfoReply(Buffer.from('ERROR:80:not authenticated\n')), [['ERROR:80:not authenticated', '']]);
});
