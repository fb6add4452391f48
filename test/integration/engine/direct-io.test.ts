// direct-io: a device namespace whose files are opened with O_DIRECT stores,
// reads, defragments and recovers exactly as a buffered one; the files are the
// same format, so a namespace can switch direct-io on or off between starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../../engine/index.js';
import { removeMarker } from '../../../engine/namespace/clean-shutdown.js';
import { openEngine, smallNamespace, track } from './helpers.js';

const TMPFS_MAGIC = 0x01021994;
const key = (k: number) => ({ ns: 'test', set: 's', key: k });

/** The temp dir unless it is tmpfs (which refuses direct-io), else the working directory. */
function directDir(t: { after: (fn: () => void) => void }): string {
  const base = fs.statfsSync(os.tmpdir()).type === TMPFS_MAGIC ? process.cwd() : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, 'xdrgate-engine-direct-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a direct-io namespace stores, overwrites, deletes and reads back through defrag, a clean restart and a cold start', async (t) => {
  const dataDir = directDir(t);
  const ns = smallNamespace('test', { directIo: true, commitToDevice: true, devices: ['a.dat', 'b.dat'], filesize: 1024 * 1024 });
  const { engine, clock } = await openEngine(t, { dataDir, namespaces: [ns] });
  const value = (i: number, round: number) => `${round}:${i}:`.padEnd(300 + (i % 700), String.fromCharCode(97 + ((i + round) % 26)));
  // Three rounds over 600 keys on 2 MiB of devices: defrag has to move live records for the later rounds to fit.
  for (let round = 0; round < 3; round++) for (let i = 0; i < 600; i++) await engine.put(key(i), { v: value(i, round) });
  for (let i = 0; i < 600; i += 5) await engine.remove(key(i));
  const check = async (e: Engine, label: string) => {
    for (let i = 0; i < 600; i++) {
      const r = await e.get(key(i));
      if (i % 5 === 0) assert.equal(r, null, `${label}: ${i} deleted`);
      else assert.equal(r?.bins.v, value(i, 2), `${label}: ${i}`);
    }
  };
  await check(engine, 'live');
  assert.ok(engine.stats('test').defrag_blocks_freed > 0, 'defrag ran');
  await engine.close();

  const reopened = track(t, await Engine.open({ dataDir, regionId: 1, namespaces: [ns], clock }));
  await check(reopened, 'clean restart');
  await reopened.close();
  // No clean-shutdown marker: the index is rebuilt by scanning the device files (through O_DIRECT).
  removeMarker(path.join(dataDir, 'test'));
  const cold = track(t, await Engine.open({ dataDir, regionId: 1, namespaces: [ns], clock }));
  assert.equal(cold.stats('test').start?.source, 'cold-start');
  await check(cold, 'cold start');
  await cold.close();
  const buffered = track(t, await Engine.open({ dataDir, regionId: 1, namespaces: [{ ...ns, directIo: false }], clock }));
  await check(buffered, 'same files without direct-io');
});
