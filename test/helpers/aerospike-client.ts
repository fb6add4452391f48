/**
 * The official Aerospike Node client (the npm package the suite pins), for
 * integration tests: installed into the suite cache on first use, loaded with
 * require (it is CommonJS with a native binding).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { ensureInstalled } from '../../scripts/aerospike-suite/install.js';

// The package's own types live in the cache, not in this project: tests use it untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AerospikeModule = any;

let loaded: AerospikeModule | undefined;

export function officialClient(): AerospikeModule {
  if (loaded === undefined) {
    const install = ensureInstalled(() => undefined);
    loaded = createRequire(path.join(install.dir, 'package.json'))('aerospike');
  }
  return loaded;
}
