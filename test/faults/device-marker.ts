/**
 * Corrupts a stopped region's stored record in place: finds a marker string a
 * test wrote as a bin value in the namespace's device files and overwrites its
 * first four bytes, so the record no longer passes its checksum.
 */
import assert from 'node:assert/strict';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RegionSetup } from '../helpers/two-regions/index.js';

/** The device files of a namespace as the shipped configs stripe it. */
const SHIPPED_DEVICES = ['data-0.dat', 'data-1.dat'];

/** Overwrites the marker in whichever device file holds it; returns that file's path. */
export async function corruptMarker(region: RegionSetup, ns: string, marker: string): Promise<string> {
  for (const file of SHIPPED_DEVICES) {
    const device = path.join(region.dataDir, 'data', ns, file);
    const at = (await readFile(device)).indexOf(marker);
    if (at < 0) continue;
    const fh = await open(device, 'r+');
    try {
      await fh.write(Buffer.from('XXXX'), 0, 4, at);
    } finally {
      await fh.close();
    }
    return device;
  }
  assert.fail(`marker ${marker} found in no device file of ${region.name}/${ns}`);
}
