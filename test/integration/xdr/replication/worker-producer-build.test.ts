// The producer worker from the compiled build (what bin/xdrgate.js and the
// Docker image run): tsc output, started by plain node without tsx, ships
// through the worker thread's typed transport to a real broker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createTopic, kafkaBrokers, kafkaClient, randomTopic } from '../../../helpers/kafka.js';
import { tmpDir } from '../../../helpers/tmp.js';
import { waitFor } from '../../../helpers/wait.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

test('the compiled WorkerShipTransport starts producer-worker.js and its sends arrive', async (t) => {
  const out = await tmpDir(t, 'xdrgate-build-');
  await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root });
  // What dist/ has around it: ES modules, and the packages beside them.
  await writeFile(path.join(out, 'package.json'), JSON.stringify({ type: 'module' }));
  await symlink(path.join(root, 'node_modules'), path.join(out, 'node_modules'));
  const brokers = await kafkaBrokers('tokyo');
  const topic = await createTopic(brokers, randomTopic('worker-build'), { numPartitions: 1 });
  const moduleUrl = pathToFileURL(path.join(out, 'xdr/replication/index.js')).href;
  // Plain node, no loader: only compiled .js can run, in the main thread and in the worker.
  const script = `
    // The transport unrefs its worker (a gateway has other handles); this script has none, so it holds the loop open itself.
    const alive = setInterval(() => {}, 1000);
    const { WorkerShipTransport } = await import(${JSON.stringify(moduleUrl)});
    const { pino } = await import('pino');
    const transport = new WorkerShipTransport({ region: { name: 'tokyo', id: 1, kafka: { brokers: ${JSON.stringify(brokers)} } }, admin: {}, logger: pino({ level: 'silent' }), clientSuffix: 'build-test' });
    await transport.send(${JSON.stringify(topic)}, [{ key: Buffer.alloc(20, 9), value: Buffer.from('compiled'), partition: 0, timestampMs: Date.now() }]);
    await transport.close();
    clearInterval(alive);
  `;
  // A file, not `--input-type=module -e`: a worker inherits the process's execArgv, and --input-type is refused for a worker's file.
  const scriptFile = path.join(out, 'send-once.mjs');
  await writeFile(scriptFile, script);
  const { stderr } = await run(process.execPath, [scriptFile], { cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 });
  assert.equal(stderr, '');

  const kafka = kafkaClient(brokers, 'worker-build-test');
  const consumer = kafka.consumer({ groupId: `worker-build-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  t.after(() => consumer.disconnect());
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: string[] = [];
  await consumer.run({ eachMessage: async ({ message }) => void got.push(`${message.key?.toString('hex')}:${message.value?.toString()}`) });
  await waitFor(() => got.length === 1, { timeoutMs: 20_000, what: 'the message the compiled worker sent' });
  assert.deepEqual(got, [`${Buffer.alloc(20, 9).toString('hex')}:compiled`]);
});
