// Property test: random puts (merging, with TTLs), durable deletes, touches,
// clock moves, nsup runs and restarts (clean, and cold as after a crash)
// against a Map model, on a small device so defrag and block reuse happen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Engine, type EngineOptions } from '../../../engine/index.js';
import { ManualClock, type Bins } from '../../../record/index.js';
import { smallNamespace, tempDir, track } from './helpers.js';

type Op =
  | { op: 'put'; k: number; bins: Record<string, number | string | null>; ttl: number }
  | { op: 'remove'; k: number }
  | { op: 'touch'; k: number }
  | { op: 'advance'; sec: number }
  | { op: 'nsup' }
  | { op: 'restart'; cold: boolean };

const KEYS = 40;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ op: fc.constant('put' as const), k: fc.nat(KEYS - 1), ttl: fc.constantFrom(0, -1, 5, 50),
    bins: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.oneof(fc.constant(null), fc.integer(), fc.string({ minLength: 50, maxLength: 3000 })), { minKeys: 1, maxKeys: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('remove' as const), k: fc.nat(KEYS - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('touch' as const), k: fc.nat(KEYS - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('advance' as const), sec: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'nsup' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const), cold: fc.boolean() }) },
);

interface Entry {
  bins: Bins;
  voidTime: number;
}

test('property: the engine agrees with a map model across defrag, nsup and restarts', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 50, maxLength: 250 }), async (ops) => {
      const dir = tempDir(t);
      const clock = new ManualClock(Date.UTC(2026, 0, 1));
      const options: EngineOptions = {
        dataDir: dir, regionId: 1, clock,
        namespaces: [smallNamespace('test', { filesize: 1024 * 1024, writeBlockSize: 16 * 1024, defragLwmPct: 60, stopWritesPct: 95 })],
      };
      let engine = track(t, await Engine.open(options));
      const model = new Map<number, Entry>();
      const nowSec = () => Math.floor(clock.nowMs() / 1000);
      const visible = (k: number) => {
        const e = model.get(k);
        return e !== undefined && (e.voidTime === 0 || e.voidTime > nowSec()) ? e : undefined;
      };
      const key = (k: number) => ({ ns: 'test', set: 's', key: k });
      for (const o of ops) {
        if (o.op === 'put') {
          const cur = visible(o.k);
          const bins: Bins = { ...(cur?.bins ?? {}) };
          for (const [n, v] of Object.entries(o.bins)) {
            if (v === null) delete bins[n];
            else bins[n] = v;
          }
          await engine.put(key(o.k), o.bins, { ttl: o.ttl });
          const voidTime = o.ttl === 0 || o.ttl === -1 ? 0 : nowSec() + o.ttl;
          if (Object.keys(bins).length === 0) model.delete(o.k);
          else model.set(o.k, { bins, voidTime });
        } else if (o.op === 'remove') {
          assert.equal(await engine.remove(key(o.k)), visible(o.k) !== undefined);
          model.delete(o.k);
        } else if (o.op === 'touch') {
          const cur = visible(o.k);
          if (cur === undefined) await assert.rejects(engine.touch(key(o.k), 100));
          else {
            await engine.touch(key(o.k), 100);
            cur.voidTime = nowSec() + 100;
          }
        } else if (o.op === 'advance') {
          clock.advance(o.sec * 1000);
        } else if (o.op === 'nsup') {
          await engine.runNsup('test');
        } else {
          await engine.close();
          if (o.cold) fs.rmSync(path.join(dir, 'test', 'clean-shutdown.json'), { force: true });
          engine = track(t, await Engine.open(options));
        }
      }
      for (let k = 0; k < KEYS; k++) {
        const rec = await engine.get(key(k));
        assert.deepEqual(rec?.bins, visible(k)?.bins, `key ${k}`);
      }
      await engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }),
    { numRuns: 12, seed: 20261124 },
  );
});
