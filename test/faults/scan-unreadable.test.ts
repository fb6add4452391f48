// A rewind that meets a corrupt record: real gateway processes on real Kafka
// and Redis. A record's bytes are corrupted in the source's device file while
// its gateway is stopped (cleanly: the saved index is loaded, so the start
// succeeds and only reading that record fails). A rewind with includeOrigin
// skips it, ships every other record, and the route reads `incomplete` with
// the counts and the digest, in /v1/xdr/routes, /v1/xdr/lag, /metrics and the
// dashboard's data, until the operator resumes it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeDigest } from '../../engine/index.js';
import { waitFor } from '../helpers/wait.js';
import { ANTI_ENTROPY_OFF, suiteKafka, NS, Topology } from '../helpers/two-regions/index.js';
import { SET } from './load.js';
import { corruptMarker } from './device-marker.js';

const kafka = suiteKafka();
const RECORDS = 300;

describe('a rewind over unreadable records', { timeout: 170_000 }, () => {
  it('skips the corrupt record, ships the rest, and the route reads incomplete with the counts until resumed', async (t) => {
    const topo = await Topology.create(t, kafka(), { antiEntropy: ANTI_ENTROPY_OFF });
    const [a, b] = await Promise.all([topo.start(topo.a), topo.start(topo.b)]);
    await a.client.request('PUT', `/v1/records/${NS}/${SET}/marker`, { bins: { text: 'CORRUPT-ME-PLEASE' } });
    // Several write blocks after the marker's, so its block is sealed and read back from the file.
    const pad = 'p'.repeat(2000);
    for (let i = 0; i < RECORDS; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => a.client.request('PUT', `/v1/records/${NS}/${SET}/r-${i + j}`, { bins: { i: i + j, pad } })));
    }
    await topo.converge();

    // A clean stop saves the index: the next start loads it and does not read every record.
    await a.proc.stop();
    await corruptMarker(topo.a, NS, 'CORRUPT-ME-PLEASE');
    const a2 = await topo.start(topo.a);

    const route = topo.route(topo.a, topo.b);
    const identical = async () => (await b.client.request<any>('GET', '/v1/stats')).body.replication.receive.find((x: any) => x.route === route).rejected_identical as number;
    const identicalBefore = await identical();
    const rewound = await a2.client.request('POST', `/v1/xdr/routes/${route}/rewind`, { includeOrigin: true });
    assert.equal(rewound.status, 200);
    const r = await waitFor(async () => {
      const x = (await a2.client.request<any>('GET', `/v1/xdr/routes/${route}`)).body;
      return x.scan?.status === 'completed' ? x : undefined;
    }, { timeoutMs: 60_000, what: 'the rewind to end' });
    const digest = Buffer.from(computeDigest(SET, 'marker')).toString('hex');
    assert.equal(r.state, 'incomplete', JSON.stringify(r));
    assert.equal(r.error.code, 'SHIP_ERR_SCAN_UNREADABLE');
    assert.match(r.reason, new RegExp(`^rewind completed with 1 unreadable records \\(skipped, not shipped; digests in the log\\): ${RECORDS} of ${RECORDS + 1} records shipped`));
    assert.deepEqual([r.scan.total, r.scan.shipped, r.scan.unreadable, r.scan.unreadable_digests], [RECORDS + 1, RECORDS, 1, [digest]]);
    assert.equal(r.scan.include_origin, true);

    const lag = (await a2.client.request<any>('GET', '/v1/xdr/lag')).body;
    const row = lag.routes.find((x: any) => x.route === route && x.role === 'ship');
    assert.equal(row.state, 'incomplete');
    assert.equal(row.scan.unreadable, 1);
    const metrics = String((await fetch(`${topo.a.url}/metrics`).then((res) => res.text())));
    assert.match(metrics, new RegExp(`xdrgate_xdr_route_state\\{route="${route}",role="source",state="incomplete",region="${topo.a.name}"\\} 1`));
    assert.match(metrics, new RegExp(`xdrgate_xdr_scan_records\\{route="${route}",why="rewind",kind="unreadable",region="${topo.a.name}"\\} 1`));
    assert.match(metrics, new RegExp(`xdrgate_xdr_scan_records\\{route="${route}",why="rewind",kind="shipped",region="${topo.a.name}"\\} ${RECORDS}`));
    // The dashboard (and `xdrgate lag`) draw from telemetry samples taken every second.
    await waitFor(async () => {
      const now = (await a2.client.request<any>('GET', '/dashboard/api/now')).body;
      return now.latest[topo.a.name]?.ship.find((x: any) => x.route === route)?.state === 'incomplete';
    }, { timeoutMs: 15_000, what: "the dashboard's sample to show the route incomplete" });
    // Every other record reached the destination again (identical there: it had them).
    await waitFor(async () => (await identical()) >= identicalBefore + RECORDS, { timeoutMs: 30_000, what: `the destination to see the ${RECORDS} re-shipped records (identical: it had them)` });

    // The operator acknowledges by resuming: the route reads running again, the report stays.
    await a2.client.request('POST', `/v1/xdr/routes/${route}/resume`);
    const after = (await a2.client.request<any>('GET', `/v1/xdr/routes/${route}`)).body;
    assert.equal(after.state, 'running', JSON.stringify(after));
    assert.ok(after.scan.acknowledged_at_ms > 0);
    t.diagnostic(`rewind over ${RECORDS + 1} records with one corrupted: ${after.scan.shipped} shipped, unreadable ${after.scan.unreadable_digests.join(', ')}`);
  });
});
