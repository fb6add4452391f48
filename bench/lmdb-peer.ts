/**
 * The engine's same-run peer: lmdb-js (npm `lmdb`, LMDB with prebuilt binaries),
 * an established embedded store, given the same 1 KiB records (the same bins,
 * encoded by its default msgpack encoding, as the engine encodes them) under
 * the same keys and driven by the same load loop.
 *
 * Which lmdb mode stands beside which engine mode:
 *   - buffered namespace (acknowledged once in the process's write buffer, no
 *     fsync): lmdb's asynchronous commits with `noSync` (acknowledged once the
 *     batched write transaction is committed to the memory map, no fsync);
 *   - commit-to-device (acknowledged after the fsync that covers it, concurrent
 *     writers sharing fsyncs): lmdb's asynchronous commits with its default
 *     sync, where a batch of writes shares one transaction and its fsync;
 *   - gets from RAM: lmdb's `get` (a read transaction over the memory map, the
 *     value decoded).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { open, type RootDatabase } from 'lmdb';

export interface LmdbPeer {
  put(key: string, value: unknown): Promise<unknown>;
  get(key: string): unknown;
  close(): Promise<void>;
}

/** Opens a fresh lmdb environment in a temp dir; `sync` false is its `noSync` mode. */
export function openLmdbPeer(options: { sync: boolean; mapSizeBytes: number }): LmdbPeer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-lmdb-'));
  const db: RootDatabase = open({ path: dir, noSync: !options.sync, mapSize: options.mapSizeBytes, compression: false });
  return {
    put: (key, value) => db.put(key, value),
    get: (key) => db.get(key),
    close: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
