// Faults of a region's storage: a device filled to stop-writes (client writes
// refused with a retriable 507; reads, deletes and replication go on), and a
// data file corrupted while its gateway was down (the start fails naming the
// file and the offset; moved aside, the peer re-replicates it by a route
// rewind with includeOrigin, the region's own writes included). Each ends with verify identical and every acknowledged write present.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { ANTI_ENTROPY_OFF, suiteKafka, NS, Topology } from '../helpers/two-regions/index.js';
import { SET, WriteLoad, countPresent } from './load.js';
import { corruptMarker } from './device-marker.js';

const kafka = suiteKafka();

describe('bad storage', { timeout: 170_000 }, () => {
  it('a device filled to stop-writes refuses client writes with 507; reads, deletes and replication go on', async (t) => {
    // 8 write blocks of 128K; writes stop at 40 % used.
    const topo = await Topology.create(t, kafka(), { filesize: '1M', stopWritesPct: 40, antiEntropy: ANTI_ENTROPY_OFF });
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
    const topo = await Topology.create(t, kafka(), { antiEntropy: ANTI_ENTROPY_OFF });
    const [a, b] = await Promise.all([topo.start(topo.a), topo.start(topo.b)]);
    await a.client.request('PUT', `/v1/records/${NS}/${SET}/marker`, { bins: { text: 'CORRUPT-ME-PLEASE' } });
    const load = new WriteLoad(a.client, 'cr-', 4, 0).start();
    // Writes of the region about to lose its data: only a rewind with includeOrigin
    // sends them back to it (shipping never returns a record to its origin).
    const own = new WriteLoad(b.client, 'own-', 2, 0).start();
    await Promise.all([load.waitForAcked(600), own.waitForAcked(100)]); // several write blocks after the marker's
    await Promise.all([load.stop(), own.stop()]);
    await topo.converge();
    // A crash (no saved index) forces the cold scan that reads every record.
    await b.proc.kill();
    const device = await corruptMarker(topo.b, NS, 'CORRUPT-ME-PLEASE');

    const failed = await topo.start(topo.b, 60_000).then(
      () => undefined,
      (err: Error) => err,
    );
    assert.ok(failed !== undefined, 'the gateway must not start on a corrupted device');
    assert.match(failed.message, /ENGINE_ERR_CORRUPTED_STORAGE/);
    assert.match(failed.message, new RegExp(path.basename(device).replace('.', '\\.')));
    assert.match(failed.message, /offset \d+/);

    // The documented recovery: move the namespace aside, start empty, rewind the
    // peer's route with includeOrigin (the region's own writes come back too).
    await rename(path.join(topo.b.dataDir, 'data', NS), path.join(topo.b.dataDir, `${NS}.corrupted`));
    const b2 = await topo.start(topo.b);
    await a.client.request('POST', `/v1/xdr/routes/${topo.route(topo.a, topo.b)}/rewind`, { includeOrigin: true });
    const report = await topo.converge(150_000);
    const present = await countPresent(b2.client, [...load.acked, ...own.acked, 'marker']);
    assert.deepEqual(present.missing, []);
    t.diagnostic(`corruption reported as: ${/device \S+ is corrupted at offset \d+/.exec(failed.message)?.[0] ?? 'ENGINE_ERR_CORRUPTED_STORAGE'}; after move-aside + rewind ${present.present} acknowledged records back in ${topo.b.name} (${own.acked.size} of them its own); verify: ${report.namespaces[0]!.records.from} records identical`);
  });
});
