// An application written for Aerospike, pointed at xdrgate: the official Node
// client (aerospike 6.7.1) talks to the service port of two real gateway
// processes started from the shipped config/tokyo.yaml and config/virginia.yaml
// (test/helpers/two-regions, with a service port each), each region on its own
// real Kafka broker, sharing a real Redis. What it writes in one region is
// read, queried and deleted through the same client in the other.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { officialClient, type AerospikeModule } from '../../../helpers/aerospike-client.js';
import { Topology } from '../../../helpers/two-regions/index.js';
import { waitFor } from '../../../helpers/wait.js';

const REPLICATION_WAIT_MS = 30_000;
type Region = 'tokyo' | 'virginia';

const cleanups: Array<() => unknown> = [];
const scope = { after: (fn: () => unknown) => cleanups.push(fn) };
const clients = {} as Record<Region, AerospikeModule>;
let Aerospike: AerospikeModule;

const rand = () => randomBytes(4).toString('hex');

describe('the official Aerospike client against two regions', { timeout: 600_000 }, () => {
  before(async () => {
    Aerospike = officialClient();
    const topo = await Topology.create(scope);
    await topo.startBoth();
    for (const [region, setup] of [['tokyo', topo.a], ['virginia', topo.b]] as const) {
      clients[region] = await Aerospike.connect({ hosts: `127.0.0.1:${setup.servicePort}`, log: { level: Aerospike.log.OFF } });
      const client = clients[region];
      scope.after(() => client.close());
    }
  });

  after(async () => {
    for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) await fn();
  });

  const key = (k: string) => new Aerospike.Key('user_data', 'profiles', k);

  async function read(region: Region, k: string): Promise<{ bins: Record<string, unknown>; gen: number } | null> {
    try {
      return await clients[region].get(key(k));
    } catch (err) {
      if ((err as { code?: number }).code === Aerospike.status.ERR_RECORD_NOT_FOUND) return null;
      throw err;
    }
  }

  it('a put in Tokyo is read in Virginia; an operate in Virginia is read back in Tokyo; a delete replicates', async () => {
    const k = `ada-${rand()}`;
    await clients.tokyo.put(key(k), { name: 'Ada', views: 1, tags: ['a', 'b'], prefs: { lang: 'en' } });
    const seen = await waitFor(async () => (await read('virginia', k)) ?? undefined, { timeoutMs: REPLICATION_WAIT_MS, what: 'the Tokyo put in Virginia' });
    assert.deepEqual(seen.bins, { name: 'Ada', views: 1, tags: ['a', 'b'], prefs: { lang: 'en' } });

    const op = Aerospike.operations;
    const result = await clients.virginia.operate(key(k), [op.incr('views', 5), Aerospike.lists.append('tags', 'c'), op.read('views')]);
    assert.equal(result.bins.views, 6);
    await waitFor(async () => ((await read('tokyo', k))?.bins.views === 6 ? true : undefined), { timeoutMs: REPLICATION_WAIT_MS, what: 'the Virginia operate in Tokyo' });
    assert.deepEqual((await read('tokyo', k))!.bins.tags, ['a', 'b', 'c']);

    // The client's durableDelete flag is not set: deletes through the service port are durable anyway, so they replicate.
    await clients.tokyo.remove(key(k));
    await waitFor(async () => ((await read('virginia', k)) === null ? true : undefined), { timeoutMs: REPLICATION_WAIT_MS, what: 'the Tokyo delete in Virginia' });
  });

  it('a HyperLogLog built in Tokyo counts the same in Virginia, and a union made there replicates back', async () => {
    const k = `hll-${rand()}`;
    const { hll } = Aerospike;
    const visitors = Array.from({ length: 300 }, (_, i) => `visitor-${i}`);
    const built = await clients.tokyo.operate(key(k), [hll.add('seen', visitors, 12), hll.getCount('seen')]);
    const count = built.bins.seen as number;
    assert.ok(Math.abs(count - 300) <= 15, `estimate ${count} of 300`);
    const inVirginia = await waitFor(async () => ((await read('virginia', k)) ? true : undefined), { timeoutMs: REPLICATION_WAIT_MS, what: 'the Tokyo HLL in Virginia' });
    assert.equal(inVirginia, true);
    const counted = await clients.virginia.operate(key(k), [hll.getCount('seen'), hll.describe('seen')]);
    assert.deepEqual(counted.bins.seen, [12, 0]);
    assert.equal((await clients.virginia.operate(key(k), [hll.getCount('seen')])).bins.seen, count);
    // The stored sketch is the same bytes in both regions.
    const [a, b] = [(await read('tokyo', k))!.bins.seen, (await read('virginia', k))!.bins.seen];
    assert.ok(Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b));
    const more = Array.from({ length: 100 }, (_, i) => `visitor-${300 + i}`);
    const other = (await clients.virginia.operate(key(`${k}-other`), [hll.add('seen', more, 12), hll.getUnion('seen', [a])])).bins.seen as Buffer;
    await clients.virginia.operate(key(k), [hll.setUnion('seen', [other])]);
    const unionCount = (await clients.virginia.operate(key(k), [hll.getCount('seen')])).bins.seen as number;
    assert.ok(Math.abs(unionCount - 400) <= 20, `union estimate ${unionCount} of 400`);
    await waitFor(async () => ((await clients.tokyo.operate(key(k), [hll.getCount('seen')])).bins.seen === unionCount ? true : undefined), {
      timeoutMs: REPLICATION_WAIT_MS, what: 'the Virginia union in Tokyo',
    });
  });

  it('nils inside lists and maps, and an ordered list, written in Tokyo read the same in Virginia, where the list stays ordered', async () => {
    const k = `cdt-${rand()}`;
    await clients.tokyo.put(key(k), { padded: [1, null, { a: null }], m: { x: null, y: 1 }, scores: [30, 10] });
    const lists = Aerospike.lists;
    await clients.tokyo.operate(key(k), [lists.setOrder('scores', lists.order.ORDERED), lists.append('scores', 20)]);
    const expected = { padded: [1, null, { a: null }], m: { x: null, y: 1 }, scores: [10, 20, 30] };
    assert.deepEqual((await read('tokyo', k))!.bins, expected);
    const seen = await waitFor(async () => ((await read('virginia', k))?.bins.scores as number[] | undefined)?.length === 3 ? read('virginia', k) : undefined, {
      timeoutMs: REPLICATION_WAIT_MS,
      what: 'the Tokyo record in Virginia',
    });
    assert.deepEqual(seen!.bins, expected);
    // The order flag travelled with the list: an append in Virginia lands in order, and Tokyo reads it so.
    await clients.virginia.operate(key(k), [lists.append('scores', 15)]);
    assert.deepEqual((await read('virginia', k))!.bins.scores, [10, 15, 20, 30]);
    await waitFor(async () => (((await read('tokyo', k))?.bins.scores as number[] | undefined)?.length === 4 ? true : undefined), { timeoutMs: REPLICATION_WAIT_MS, what: 'the Virginia append in Tokyo' });
    assert.deepEqual((await read('tokyo', k))!.bins.scores, [10, 15, 20, 30]);
  });

  it('writes with the client\'s default digest-only key are read by batch and found by a secondary-index query in the other region', async () => {
    const tier = 1000 + Math.floor(Math.random() * 1000);
    const keys = Array.from({ length: 20 }, (_, i) => `q-${rand()}-${i}`);
    const job = await clients.virginia.createIntegerIndex({ ns: 'user_data', set: 'profiles', bin: 'tier', index: `idx_tier_${rand()}` });
    await job.wait(50);
    await Promise.all(keys.map((k, i) => clients.tokyo.put(key(k), { tier: i % 2 === 0 ? tier : tier + 1, i })));
    await waitFor(
      async () => {
        const rows = await clients.virginia.batchRead(keys.map((k) => ({ key: key(k), readAllBins: true })));
        return rows.every((r: { status: number }) => r.status === Aerospike.status.OK) ? true : undefined;
      },
      { timeoutMs: REPLICATION_WAIT_MS, what: 'every Tokyo write readable by batch in Virginia' },
    );
    const query = clients.virginia.query('user_data', 'profiles');
    query.where(Aerospike.filter.equal('tier', tier));
    const found = await query.results();
    assert.deepEqual(found.map((r: { bins: { i: number } }) => r.bins.i).sort((a: number, b: number) => a - b), [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it('a GeoJSON bin written in Tokyo is read in Virginia, where a GEO2DSPHERE index finds points within a region and regions containing a point', async () => {
    const tag = rand();
    const { GeoJSON } = Aerospike;
    const pointsIndex = await clients.virginia.createGeo2DSphereIndex({ ns: 'user_data', set: 'profiles', bin: 'spot', index: `idx_spot_${tag}` });
    const zonesIndex = await clients.virginia.createGeo2DSphereIndex({ ns: 'user_data', set: 'profiles', bin: 'zone', index: `idx_zone_${tag}` });
    await pointsIndex.wait(50);
    await zonesIndex.wait(50);
    // A random corner of the world per run, so rows of earlier runs in the same namespace stay outside it.
    const lng = -170 + Math.random() * 340;
    const lat = -60 + Math.random() * 120;
    const near = `geo-near-${tag}`;
    const far = `geo-far-${tag}`;
    const zone = `geo-zone-${tag}`;
    await clients.tokyo.put(key(near), { spot: new GeoJSON.Point(lng + 0.001, lat), tag });
    await clients.tokyo.put(key(far), { spot: new GeoJSON.Point(lng + 0.05, lat), tag });
    const square = new GeoJSON.Polygon([lng - 0.01, lat - 0.01], [lng + 0.01, lat - 0.01], [lng + 0.01, lat + 0.01], [lng - 0.01, lat + 0.01], [lng - 0.01, lat - 0.01]);
    await clients.tokyo.put(key(zone), { zone: square, tag, list: [new GeoJSON.Point(lng, lat)] });
    const seen = await waitFor(async () => (await read('virginia', zone)) ?? undefined, { timeoutMs: REPLICATION_WAIT_MS, what: 'the Tokyo GeoJSON write in Virginia' });
    // The client reads GeoJSON back as the text it wrote, inside lists too.
    assert.equal(seen.bins.zone, square.toString());
    assert.deepEqual(seen.bins.list, [new GeoJSON.Point(lng, lat).toString()]);
    await waitFor(async () => ((await read('virginia', far)) ? true : undefined), { timeoutMs: REPLICATION_WAIT_MS, what: 'the last Tokyo point in Virginia' });

    const found = async (filter: unknown): Promise<string[]> => {
      const query = clients.virginia.query('user_data', 'profiles');
      query.where(filter);
      const rows = (await query.results()) as Array<{ bins: { tag?: string; spot?: string; zone?: string } }>;
      return rows.filter((r) => r.bins.tag === tag).map((r) => (r.bins.zone !== undefined ? 'zone' : r.bins.spot === new GeoJSON.Point(lng + 0.001, lat).toString() ? 'near' : 'far')).sort();
    };
    // 0.001° of longitude is at most ~111 m and 0.05° at least ~2.7 km (|lat| ≤ 60°); only the near point is inside the square.
    assert.deepEqual(await found(Aerospike.filter.geoWithinRadius('spot', lng, lat, 500)), ['near']);
    assert.deepEqual(await found(Aerospike.filter.geoWithinGeoJSONRegion('spot', square)), ['near']);
    assert.deepEqual(await found(Aerospike.filter.geoContainsPoint('zone', lng + 0.005, lat - 0.005)), ['zone']);
    assert.deepEqual(await found(Aerospike.filter.geoContainsGeoJSONPoint('zone', new GeoJSON.Point(lng + 0.02, lat))), []);
  });
});
