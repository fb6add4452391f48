// Faults in what the gateways read: poison and truncated messages on a route's
// topic (dead-lettered, the route goes on), a device filled to stop-writes
// (client writes refused with a retriable 507, reads, deletes and replication
// go on), and a data file corrupted while its gateway was down (the start
// fails naming the file and the offset; the operator moves the namespace aside
// and the peer re-replicates it by a route rewind). Each ends with verify
// identical and every acknowledged write present.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { encodeRecord, computeDigest } from '../../engine/index.js';
import { routeTopic } from '../../shipper/index.js';
import { kafkaClient } from '../helpers/kafka.js';
import { waitFor } from '../helpers/wait.js';
import { suiteKafka } from './suite.js';
import { NS, Topology } from './topology.js';
import { SET, WriteLoad, countPresent } from './load.js';
import { spawnTs } from '../helpers/spawn.js';
import { childEnv, root } from './topology.js';
import type { CleanupScope } from '../helpers/cleanup.js';

/** Runs the real CLI (bin/xdrgate.js from source); resolves with its exit code and output. */
async function runCli(t: CleanupScope, args: string[]): Promise<{ code: number | null; out: string }> {
  const p = spawnTs(t, path.join(root, 'bin', 'xdrgate.js'), { args, env: childEnv() });
  const { code } = await p.exited;
  return { code, out: p.stdout() + p.stderr() };
}

const kafka = suiteKafka();

interface RecvStats {
  replication: { receive: Array<{ route: string; dead_lettered: number; applied: number }> };
}

describe('bad messages and bad storage', { timeout: 300_000 }, () => {
  it('poison and truncated messages on a route topic are dead-lettered; the route keeps applying', async (t) => {
    const topo = await Topology.create(t, kafka());
    const [a, b] = await Promise.all([topo.start(topo.a), topo.start(topo.b)]);
    const load = new WriteLoad(a.client, 'pm-', 2, 20).start();
    await load.waitForAcked(30);
    const topic = routeTopic({ source: topo.a.name, destination: topo.b.name, namespace: NS });
    const valid = encodeRecord({
      ns: NS, set: SET, digest: computeDigest(SET, 'never-applied'), key: 'never-applied', generation: 1, voidTime: 0, lut: Date.now() * 1024, region: 1, deleted: false, bins: { x: 'y'.repeat(200) }, binLuts: { x: Date.now() * 1024 },
    });
    const future = encodeRecord({
      ns: NS, set: SET, digest: computeDigest(SET, 'from-the-future'), key: 'from-the-future', generation: 1, voidTime: 0, lut: (Date.now() + 3_600_000) * 1024, region: 1, deleted: false, bins: { x: 1 }, binLuts: { x: (Date.now() + 3_600_000) * 1024 },
    });
    const poison = [
      Buffer.from('definitely not msgpack'),
      valid.subarray(0, Math.floor(valid.length / 2)), // truncated mid-message
      valid.subarray(0, 3),
      Buffer.alloc(0),
      future, // valid, but stamped an hour ahead of the destination's clock
    ];
    const producer = kafkaClient(kafka().a.broker.brokers, 'fault-poison').producer();
    await producer.connect();
    t.after(() => producer.disconnect());
    await producer.send({ topic, messages: poison.map((value, i) => ({ key: `poison-${i}`, value, partition: i % 2 })) });
    await load.waitForAcked(50);
    await load.stop();

    const deadLettered = await waitFor(async () => {
      const s = (await b.client.request<RecvStats>('GET', '/v1/stats')).body;
      const n = s.replication.receive.find((r) => r.route === `${topo.a.name}-${topo.b.name}`)?.dead_lettered ?? 0;
      return n >= poison.length ? n : 0;
    }, { timeoutMs: 60_000, what: 'every poison message dead-lettered' });
    const report = await topo.converge();
    const present = await countPresent(b.client, load.acked);
    assert.deepEqual(present.missing, []);
    assert.equal(deadLettered, poison.length);
    await assert.rejects(b.client.request('GET', `/v1/records/${NS}/${SET}/from-the-future`), { status: 404 });
    assert.equal(b.proc.child.exitCode, null, 'the destination gateway survived');
    // The CLI on the same regions: identical (exit 0), a write held back by a paused route (exit 1), a region unreachable (exit 2).
    const cli = (...args: string[]) => runCli(t, ['verify', '--from', topo.a.url, '--to', topo.b.url, ...args]);
    const same = await cli('--ns', NS);
    assert.equal(same.code, 0, same.out);
    assert.match(same.out, /identical/);
    await a.client.request('POST', `/v1/xdr/routes/${topo.a.name}-${topo.b.name}/pause`);
    await a.client.request('PUT', `/v1/records/${NS}/${SET}/held-back`, { bins: { x: 1 } });
    const differs = await cli();
    assert.equal(differs.code, 1, differs.out);
    assert.match(differs.out, new RegExp(`${NS}/${SET}/held-back: only in 127\\.0\\.0\\.1:${topo.a.port}`));
    await a.client.request('POST', `/v1/xdr/routes/${topo.a.name}-${topo.b.name}/resume`);
    const unreachable = await runCli(t, ['verify', '--from', topo.a.url, '--to', 'http://127.0.0.1:1']);
    assert.equal(unreachable.code, 2, unreachable.out);
    assert.match(unreachable.out, /XDR_ERR_UNREACHABLE/);
    t.diagnostic(`${poison.length} bad messages → ${deadLettered} dead letters; ${load.acked.size} acknowledged writes all present in ${topo.b.name}; verify: ${report.namespaces[0]!.records.from} records identical`);
  });

  it('a device filled to stop-writes refuses client writes with 507; reads, deletes and replication go on', async (t) => {
    // 8 write blocks of 128K; writes stop at 40 % used.
    const topo = await Topology.create(t, kafka(), { filesize: '1M', stopWritesPct: 40, resolver: 'lww' });
    const [a, b] = await Promise.all([topo.start(topo.a), topo.start(topo.b)]);
    const acked: string[] = [];
    let refusal: { status?: number; code?: string } | undefined;
    for (let i = 0; i < 2000 && refusal === undefined; i++) {
      try {
        await a.client.request('PUT', `/v1/records/${NS}/${SET}/full-${i}`, { bins: { pad: 'x'.repeat(2000), i } });
        acked.push(`full-${i}`);
      } catch (err) {
        refusal = err as { status?: number; code?: string };
      }
    }
    assert.equal(refusal?.status, 507, `expected stop-writes, got ${JSON.stringify(refusal)}`);
    assert.equal(refusal?.code, 'ENGINE_ERR_STOP_WRITES');
    // Reads and deletes still work at stop-writes.
    await a.client.request('GET', `/v1/records/${NS}/${SET}/${acked[0]}`);
    await a.client.request('DELETE', `/v1/records/${NS}/${SET}/${acked[0]}`);
    const report = await topo.converge();
    const present = await countPresent(b.client, acked.slice(1));
    assert.deepEqual(present.missing, []);
    const stats = (await a.client.request<{ namespaces: Record<string, unknown> }>('GET', '/v1/stats')).body;
    t.diagnostic(`stop-writes after ${acked.length} acknowledged 2 KB writes on a 1 MiB device (stop-writes-pct 40); all present in ${topo.b.name}; verify: ${report.namespaces[0]!.records.from} records identical; stats: ${JSON.stringify(stats.namespaces[NS]).slice(0, 200)}`);
  });

  it('a data file corrupted while stopped: the start fails naming file and offset; moved aside, the peer re-replicates it', async (t) => {
    const topo = await Topology.create(t, kafka(), { resolver: 'lww' });
    const [a, b] = await Promise.all([topo.start(topo.a), topo.start(topo.b)]);
    await a.client.request('PUT', `/v1/records/${NS}/${SET}/marker`, { bins: { text: 'CORRUPT-ME-PLEASE' } });
    const load = new WriteLoad(a.client, 'cr-', 4, 0).start();
    await load.waitForAcked(600); // several write blocks after the marker's
    await load.stop();
    await topo.converge();
    // A crash (no saved index) forces the cold scan that reads every record.
    await b.proc.kill();
    const device = path.join(topo.b.dataDir, 'data', NS, 'data-0.dat');
    const bytes = await readFile(device);
    const at = bytes.indexOf('CORRUPT-ME-PLEASE');
    assert.ok(at > 0, 'marker record found in the device file');
    const fh = await open(device, 'r+');
    await fh.write(Buffer.from('XXXX'), 0, 4, at);
    await fh.close();

    const failed = await topo.start(topo.b, 60_000).then(
      () => undefined,
      (err: Error) => err,
    );
    assert.ok(failed !== undefined, 'the gateway must not start on a corrupted device');
    assert.match(failed.message, /ENGINE_ERR_CORRUPTED_STORAGE/);
    assert.match(failed.message, /data-0\.dat/);
    assert.match(failed.message, /offset \d+/);

    // The documented recovery: move the namespace aside, start empty, rewind the peer's route.
    await rename(path.join(topo.b.dataDir, 'data', NS), path.join(topo.b.dataDir, `${NS}.corrupted`));
    const b2 = await topo.start(topo.b);
    await a.client.request('POST', `/v1/xdr/routes/${topo.a.name}-${topo.b.name}/rewind`, {});
    const report = await topo.converge(150_000);
    const present = await countPresent(b2.client, [...load.acked, 'marker']);
    assert.deepEqual(present.missing, []);
    t.diagnostic(`corruption reported as: ${/device \S+ is corrupted at offset \d+/.exec(failed.message)?.[0] ?? 'ENGINE_ERR_CORRUPTED_STORAGE'}; after move-aside + rewind ${present.present} acknowledged records back in ${topo.b.name}; verify: ${report.namespaces[0]!.records.from} records identical`);
  });
});
