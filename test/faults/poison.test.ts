// Poison and truncated messages on a route's topic are dead-lettered and the
// route goes on; then the real `xdrgate verify` CLI on the same two regions
// (exit 0 identical, 1 with the difference named, 2 a region unreachable).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { computeDigest } from '../../engine/index.js';
import { kafkaClient } from '../helpers/kafka.js';
import { waitFor } from '../helpers/wait.js';
import { SET, WriteLoad, countPresent } from './load.js';
import { spawnTs } from '../helpers/spawn.js';
import { ANTI_ENTROPY_OFF, suiteKafka, NS, Topology, childEnv, root } from '../helpers/two-regions/index.js';
import type { CleanupScope } from '../helpers/cleanup.js';
import { encodeRecord, routeTopic } from '../../replication-protocol/index.js';

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

describe('bad messages', { timeout: 170_000 }, () => {
  it('poison and truncated messages on a route topic are dead-lettered; the route keeps applying', async (t) => {
    const topo = await Topology.create(t, kafka(), { antiEntropy: ANTI_ENTROPY_OFF });
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
    const producer = kafkaClient(kafka().a.bootstrap.split(','), 'fault-poison').producer();
    await producer.connect();
    t.after(() => producer.disconnect());
    await producer.send({ topic, messages: poison.map((value, i) => ({ key: `poison-${i}`, value, partition: i % 2 })) });
    await load.waitForAcked(50);
    await load.stop();

    const deadLettered = await waitFor(async () => {
      const s = (await b.client.request<RecvStats>('GET', '/v1/stats')).body;
      const n = s.replication.receive.find((r) => r.route === topo.route(topo.a, topo.b))?.dead_lettered ?? 0;
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
    await a.client.request('POST', `/v1/xdr/routes/${topo.route(topo.a, topo.b)}/pause`);
    await a.client.request('PUT', `/v1/records/${NS}/${SET}/held-back`, { bins: { x: 1 } });
    const differs = await cli();
    assert.equal(differs.code, 1, differs.out);
    assert.match(differs.out, new RegExp(`${NS}/${SET}/held-back: only in 127\\.0\\.0\\.1:${topo.a.port}`));
    await a.client.request('POST', `/v1/xdr/routes/${topo.route(topo.a, topo.b)}/resume`);
    const unreachable = await runCli(t, ['verify', '--from', topo.a.url, '--to', 'http://127.0.0.1:1']);
    assert.equal(unreachable.code, 2, unreachable.out);
    assert.match(unreachable.out, /XDR_ERR_UNREACHABLE/);
    t.diagnostic(`${poison.length} bad messages → ${deadLettered} dead letters; ${load.acked.size} acknowledged writes all present in ${topo.b.name}; verify: ${report.namespaces[0]!.records.from} records identical`);
  });

});
