// A Kafka broker never formats or writes a data dir another live broker owns,
// and never takes an answer on its port from another process for its own:
// - a second broker on a running broker's dir is refused (XDR_ERR_DIR_LOCKED,
//   naming the JVM) and writes nothing, the first keeps answering;
// - a broker on a dir whose Kafka log dir a running JVM holds (Kafka's own
//   .lock, seen in /proc/locks) is refused, even without xdrgate's LOCK;
// - a broker on a port another process listens on fails at once
//   (XDR_ERR_ADDRESS_IN_USE, naming the JVM there) and starts no JVM;
// - the JVM shares the dir's lock (its fd 3); a crashed broker restarts on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readlinkSync, statSync, symlinkSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { KafkaBroker, freePort } from '../../../../xdr/infra/index.js';
import { isXdrError } from '../../../../xdr/index.js';
import { startDedicatedBroker, infraLogger } from '../../../helpers/kafka.js';
import { tmpDir } from '../../../helpers/tmp.js';

function snapshot(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of ['server.properties', 'log4j2.properties', 'kafka-logs/meta.properties', 'LOCK']) out[f] = statSync(path.join(dir, f)).mtimeMs;
  return out;
}

async function refusal(start: Promise<KafkaBroker>): Promise<Error & { code?: string }> {
  try {
    const b = await start;
    await b.close();
  } catch (err) {
    return err as Error;
  }
  assert.fail('the broker was not refused');
}

test('a broker never starts on a dir or a port another live broker owns', { timeout: 180_000 }, async (t) => {
  const dir = await tmpDir(t, 'xdrgate-broker-own-');
  const first = await startDedicatedBroker(t, { name: 'own-first', dataDir: dir, port: await freePort(), controllerPort: await freePort() });
  const jvm = first.pid!;
  assert.equal(readlinkSync(`/proc/${jvm}/fd/3`), path.join(dir, 'LOCK'), 'the JVM holds the dir lock as fd 3');
  const before = snapshot(dir);

  const sameDir = await refusal(KafkaBroker.start({ name: 'own-second', dataDir: dir, port: await freePort(), controllerPort: await freePort(), logger: infraLogger() }));
  assert.ok(isXdrError(sameDir, 'XDR_ERR_DIR_LOCKED'), String(sameDir));
  assert.match(sameDir.message, new RegExp(`in use by kafka broker own-first: pid ${process.pid} .*, with pid ${jvm} \\(.*java.*kafka\\.Kafka`));
  assert.deepEqual(snapshot(dir), before, 'nothing in the running broker\'s dir was written');

  // Kafka's own log-dir lock, without xdrgate's LOCK: another data dir whose kafka-logs is the running broker's.
  const alias = await tmpDir(t, 'xdrgate-broker-alias-');
  symlinkSync(path.join(dir, 'kafka-logs'), path.join(alias, 'kafka-logs'));
  const foreign = await refusal(KafkaBroker.start({ name: 'own-alias', dataDir: alias, port: await freePort(), controllerPort: await freePort(), logger: infraLogger() }));
  assert.ok(isXdrError(foreign, 'XDR_ERR_DIR_LOCKED'), String(foreign));
  assert.match(foreign.message, new RegExp(`in use by a running Kafka broker, pid ${jvm} `));
  assert.equal(existsSync(path.join(alias, 'server.properties')), false, 'no config was written');
  assert.deepEqual(snapshot(dir), before);

  const otherDir = await tmpDir(t, 'xdrgate-broker-port-');
  mkdirSync(otherDir, { recursive: true });
  const samePort = await refusal(KafkaBroker.start({ name: 'own-port', dataDir: otherDir, port: first.port, controllerPort: await freePort(), logger: infraLogger() }));
  assert.ok(isXdrError(samePort, 'XDR_ERR_ADDRESS_IN_USE'), String(samePort));
  assert.match(samePort.message, new RegExp(`kafka broker own-port \\(client port\\) cannot listen on 127\\.0\\.0\\.1:${first.port}: the address is in use by pid ${jvm} `));
  assert.equal(existsSync(path.join(otherDir, 'kafka-logs')), false, 'no storage was formatted');

  // A crash keeps the dir owned (this process still holds the lock); the restart reuses it.
  await first.kill();
  assert.ok(isXdrError(await refusal(KafkaBroker.start({ name: 'own-third', dataDir: dir, logger: infraLogger() })), 'XDR_ERR_DIR_LOCKED'));
  await first.start();
  assert.notEqual(first.pid, jvm);
  assert.equal(readlinkSync(`/proc/${first.pid}/fd/3`), path.join(dir, 'LOCK'));
  const exited = first.exited();
  await first.stop();
  const exit = await exited;
  assert.ok(exit.code !== null || exit.signal !== null, 'exited() resolves when the JVM is gone');
});
