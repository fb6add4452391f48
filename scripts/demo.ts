/**
 * `npm run demo`: opens an engine in ./data (or the directory given as the
 * first argument), walks through the seed's Python example — put, get, select,
 * partial update, remove — with TTLs and a durable delete, then logs the
 * namespace's stats and closes cleanly (the next run starts from the saved index).
 */
import * as path from 'node:path';
import { pino } from 'pino';
import { Engine } from '../engine/index.js';

const logger = pino({ name: 'xdrgate-demo' });
const dataDir = path.resolve(process.argv[2] ?? 'data');

const engine = await Engine.open({
  dataDir,
  regionId: 1,
  logger,
  namespaces: [
    { name: 'user_data', defaultTtl: 30 * 86_400, nsupPeriod: 120, writeBlockSize: 128 * 1024, filesize: 64 * 1024 * 1024 },
    { name: 'sessions', storageEngine: 'memory', dataSize: 16 * 1024 * 1024 },
  ],
});
logger.info({ recovery: engine.recoveryInfo('user_data') }, 'engine open');

const key = { ns: 'user_data', set: 'profiles', key: 'user:1001' };
const meta = await engine.put(key, {
  name: 'Alice Chen',
  plan: 'premium',
  last_seen: 1737500000,
  feature_flags: ['ab_test_v2', 'new_checkout'],
}, { ttl: 86_400 * 30 });
logger.info({ meta }, 'put user:1001');

const rec = await engine.get(key);
logger.info({ name: rec?.bins.name, generation: rec?.generation, ttl: rec?.ttl }, 'get user:1001');

const selected = await engine.get(key, { bins: ['name', 'plan'] });
logger.info({ bins: selected?.bins }, 'select name, plan');

await engine.put(key, { last_seen: 1737600000 });
logger.info({ bins: (await engine.get(key))?.bins }, 'partial update of last_seen');

await engine.put({ ns: 'user_data', set: 'profiles', key: 'user:1002' }, { plan: 'basic' }, { exists: 'create-or-replace' });
logger.info({ removed: await engine.remove({ ns: 'user_data', set: 'profiles', key: 'user:1002' }) }, 'durable delete of user:1002 (leaves a tombstone)');

for (let i = 0; i < 100; i++) await engine.put({ ns: 'sessions', set: 'web', key: `s${i}` }, { user: `user:${1000 + i}` }, { ttl: 1800 });

for (const ns of engine.namespaces()) logger.info({ stats: engine.stats(ns) }, `stats of ${ns}`);
await engine.close();
logger.info({ dataDir }, 'closed cleanly; run again to see the saved index loaded');
