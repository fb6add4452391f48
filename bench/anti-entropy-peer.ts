/**
 * The peer region of bench/anti-entropy.bench.ts, in its own process (as a
 * real peer gateway is): an engine holding the same records, behind the real
 * partition endpoints. Prints `listening <url>` when ready; exits on SIGTERM.
 *
 *   node --import tsx bench/anti-entropy-peer.ts <records> <differing>
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fastify from 'fastify';
import { Engine } from '../engine/index.js';
import { enginePartitionSource, registerPartitionRoutes } from '../xdr/verify/index.js';
import { benchVersions } from './anti-entropy-data.js';

const records = Number(process.argv[2]);
const differing = Number(process.argv[3]);
const dir = mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-ae-peer-'));
const engine = await Engine.open({ dataDir: dir, regionId: 2, namespaces: [{ name: 'b', filesize: 1024 * 1024 * 1024, writeBlockSize: 1024 * 1024 }] });
for (const batch of benchVersions(records, differing, 'peer')) await Promise.all(batch.map((v) => engine.applyVersion(v)));
const app = fastify({ logger: false });
registerPartitionRoutes(app, { region: 'peer', source: enginePartitionSource(engine)! });
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${url}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => engine.close()).finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
