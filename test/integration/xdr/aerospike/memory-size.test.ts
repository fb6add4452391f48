// A region whose namespace comes from an aerospike.conf stanza with a small
// memory-size, driven by the official Node client: past stop-writes-pct of the
// budget writes fail with Aerospike's OUT_OF_SPACE (8), reads go on, and once
// nsup has evicted past high-water-memory-pct writes are accepted again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSuiteGateway, type SuiteGateway } from '../../../../scripts/aerospike-suite/gateway.js';
import { officialClient, type AerospikeModule } from '../../../helpers/aerospike-client.js';
import { waitFor } from '../../../helpers/wait.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
// 1M of budget at 64 B of index a record: writes stop at 50 % (8192 records), nsup evicts down to 40 % (6553).
const CONF = `
namespace test {
    replication-factor 1
    memory-size 1M
    high-water-memory-pct 40
    high-water-disk-pct 40
    stop-writes-pct 50
    nsup-period 1
    storage-engine device {
        file data-0.dat
        filesize 64M
        write-block-size 128K
        data-in-memory false
        post-write-queue 16
    }
}
`;

describe('memory-size from an aerospike.conf, through the service port (official client)', { timeout: 180_000 }, () => {
  let gw: SuiteGateway;
  let Aerospike: AerospikeModule;
  let client: any;

  before(async () => {
    Aerospike = officialClient();
    gw = await startSuiteGateway(root, { aerospikeConf: CONF });
    client = await Aerospike.connect({ hosts: `127.0.0.1:${gw.servicePort}` });
  });
  after(async () => {
    await client?.close();
    await gw?.stop();
    Aerospike?.releaseEventLoop();
  });

  it('refuses writes with OUT_OF_SPACE at stop-writes-pct of memory-size, then accepts them once nsup evicted', async () => {
    const key = (i: number) => new Aerospike.Key('test', 'm', i);
    let written = 0;
    let refusal: { code?: number } | null = null;
    // 32 writes in flight at a time, each with a ttl so that nsup may evict it.
    while (refusal === null && written < 20_000) {
      const batch = Array.from({ length: 32 }, (_, j) => written + j);
      const results = await Promise.allSettled(batch.map((i) => client.put(key(i), { n: i }, { ttl: 3600 + i })));
      for (const r of results) if (r.status === 'rejected' && refusal === null) refusal = r.reason;
      written += results.filter((r) => r.status === 'fulfilled').length;
    }
    assert.ok(refusal !== null, 'writes were never refused');
    assert.equal(refusal.code, 8, `OUT_OF_SPACE, got ${String(refusal)}`);
    // 8192 records fill 50 % of 1M; nsup (every second) evicts meanwhile, so a few hundred more may get in first.
    assert.ok(written >= 8192 - 64 && written <= 20_000, `at least the 8192 records that fill 50 % of 1M fit, ${written} did`);
    assert.deepEqual((await client.get(key(5000))).bins, { n: 5000 });
    // nsup runs every second: past 40 % it evicts the records closest to expiry.
    await waitFor(() => client.put(key(100_000), { n: 1 }).then(() => true), { timeoutMs: 20_000, intervalMs: 250, what: 'a write accepted after nsup evicted' });
    const stats = await (await fetch(`http://127.0.0.1:${gw.httpPort}/v1/stats`)).json() as { namespaces: Record<string, { memory_used_pct: number; evicted_objects: number; memory_size: number }>; config: { aerospikeConf?: { namespaces: string[] } } };
    const ns = stats.namespaces.test!;
    assert.deepEqual(stats.config.aerospikeConf?.namespaces, ['test']);
    assert.equal(ns.memory_size, 1024 * 1024);
    assert.ok(ns.evicted_objects > 0);
    assert.ok(ns.memory_used_pct <= 50, `memory_used_pct ${ns.memory_used_pct}`);
  });
});
