// Durability modes: what the config accepts (xdr/config) and how client writes of a
// `shipped` namespace are acknowledged (xdr/durability).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../../xdr/config/index.js';
import { acknowledgingEngine, ShippedAcks, type ShippingPort } from '../../../xdr/durability/index.js';
import { CodedError } from '../../../errors/index.js';

const isCodedError = (err: unknown): err is CodedError<string> => err instanceof CodedError;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const doc = (namespaces: string, routes = '') => `
region: { name: tokyo, id: 1 }
namespaces:
${namespaces}
regions:
  - { name: tokyo, id: 1, kafka: { brokers: ["127.0.0.1:9092"] } }
  - { name: virginia, id: 2, kafka: { brokers: ["127.0.0.1:9093"] } }
${routes ? `routes:\n${routes}` : ''}
`;
const route = '  - { name: t2v, source: tokyo, destination: virginia, namespace: cache }';

function problems(text: string): string[] {
  try {
    parseConfig(text, { env: {} });
    return [];
  } catch (err) {
    return ((err as { problems?: Array<{ path: string; message: string }> }).problems ?? []).map((p) => `${p.path}: ${p.message}`);
  }
}

test('device namespaces default to commit-to-device, memory namespaces to shipped', () => {
  const c = parseConfig(doc('  data: { storage: { engine: device } }\n  cache: { storage: { engine: memory } }', route), { env: {} });
  const data = c.namespaces.find((n) => n.name === 'data')!;
  const cache = c.namespaces.find((n) => n.name === 'cache')!;
  assert.equal(data.durability, 'commit-to-device');
  assert.ok(data.storage.engine === 'device' && data.storage.commitToDevice);
  assert.equal(cache.durability, 'shipped');
  assert.equal(cache.shippedAckTimeoutMs, 10_000);
});

test("aerospike.conf's commit-to-device false means buffered, an explicit choice", () => {
  const c = parseConfig(doc('  data: { storage: { engine: device, commit-to-device: false } }'), { env: {} });
  assert.equal(c.namespaces[0]!.durability, 'buffered');
  assert.ok(c.namespaces[0]!.storage.engine === 'device' && !c.namespaces[0]!.storage.commitToDevice);
});

test('contradictions and impossible modes are refused with their path and what to do', () => {
  assert.match(problems(doc('  data: { durability: buffered, storage: { engine: device, commit-to-device: true } }')).join('\n'), /namespaces\.data\.storage\.commit-to-device: contradicts durability: buffered/);
  assert.match(problems(doc('  cache: { durability: commit-to-device, storage: { engine: memory } }', route)).join('\n'), /namespaces\.cache\.durability: a memory namespace has no device/);
  assert.match(problems(doc('  cache: { storage: { engine: memory } }')).join('\n'), /namespaces\.cache\.durability: shipped \(the default for memory namespaces\) .* no route from tokyo replicates cache; add one under routes, or set durability: buffered/);
  assert.match(problems(doc('  data: { shipped-ack-timeout: 5s, storage: { engine: device } }')).join('\n'), /shipped-ack-timeout: applies only to durability: shipped/);
  assert.deepEqual(problems(doc('  cache: { durability: buffered, storage: { engine: memory } }')), []);
});

test('the shipped configs acknowledge nothing from RAM alone', () => {
  for (const file of ['config/tokyo.yaml', 'config/virginia.yaml']) {
    const c = parseConfig(readFileSync(path.join(root, file), 'utf8'), { env: {}, file });
    for (const ns of c.namespaces) assert.notEqual(ns.durability, 'buffered', `${file}: ${ns.name} is buffered`);
  }
});

class FakeShipping implements ShippingPort {
  routes = ['t2v'];
  shipped = 0;
  private waiters: Array<{ seq: number; resolve: () => void }> = [];
  shippingRoutes() {
    return this.routes;
  }
  whenShipped(_ns: string, seq: number, signal: AbortSignal): Promise<void> {
    if (seq <= this.shipped) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq, resolve });
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }
  ship(seq: number) {
    this.shipped = seq;
    for (const w of this.waiters.splice(0)) if (w.seq <= seq) w.resolve();
  }
}

function fakeEngine() {
  let head = 0;
  const writes: string[] = [];
  return {
    writes,
    put: async (key: { ns: string; key: string }) => {
      writes.push(`put ${key.ns}/${key.key}`);
      head++;
      return { generation: 1 };
    },
    remove: async () => ((head += 1), true),
    touch: async () => ((head += 1), { generation: 2 }),
    operate: async () => ((head += 1), { generation: 3, results: [] }),
    get: async () => null,
    changeLog: () => ({ headSeq: () => head }),
  };
}

test('a write of a shipped namespace is acknowledged only once shipped; other namespaces go straight through', async () => {
  const port = new FakeShipping();
  const engine = fakeEngine();
  const e = acknowledgingEngine(engine as never, new ShippedAcks(port, [{ name: 'cache', ackTimeoutMs: 5000 }])) as unknown as ReturnType<typeof fakeEngine>;
  let acked = false;
  const put = e.put({ ns: 'cache', key: 'a' }).then(() => (acked = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(acked, false);
  assert.deepEqual(engine.writes, ['put cache/a'], 'applied at once, acknowledged later');
  port.ship(1);
  await put;
  await e.put({ ns: 'data', key: 'b' }); // not shipped: no wait
  assert.equal(await e.get(), null); // reads pass through
});

test('no shipping route: refused before anything is written; Kafka too slow: applied but not acknowledged', async (t) => {
  const port = new FakeShipping();
  const engine = fakeEngine();
  const e = acknowledgingEngine(engine as never, new ShippedAcks(port, [{ name: 'cache', ackTimeoutMs: 50 }])) as unknown as ReturnType<typeof fakeEngine>;
  port.routes = [];
  await assert.rejects(e.put({ ns: 'cache', key: 'a' }), (err: unknown) => isCodedError(err) && err.code === 'XDR_ERR_NOT_SHIPPED' && err.retriable);
  assert.deepEqual(engine.writes, []);
  port.routes = ['t2v'];
  // AbortSignal.timeout does not keep the process alive; a server does, this test must.
  const alive = setTimeout(() => undefined, 5000);
  t.after(() => clearTimeout(alive));
  await assert.rejects(e.put({ ns: 'cache', key: 'b' }), (err: unknown) => isCodedError(err) && err.code === 'XDR_ERR_SHIP_ACK_TIMEOUT' && /applied in this region but is not in Kafka after 50 ms/.test((err as Error).message));
  assert.deepEqual(engine.writes, ['put cache/b']);
});
