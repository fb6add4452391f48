/** The frames the official Node client sent (test/fixtures/aerospike-protocol), by label. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/aerospike-protocol/node-client-6.7.1.json');
const doc = JSON.parse(readFileSync(file, 'utf8')) as { frames: Array<{ label: string; type: number; hex: string }> };

export const NODE_CLIENT_FRAMES = doc.frames.map((f) => ({ label: f.label, type: f.type, bytes: Buffer.from(f.hex, 'hex') }));

/** The first captured frame with this label (whole frame: proto header and body). */
export function captured(label: string): Buffer {
  const frame = NODE_CLIENT_FRAMES.find((f) => f.label === label);
  if (frame === undefined) throw new Error(`no captured frame labelled ${label}`);
  return frame.bytes;
}

/** The body of a captured frame (after its 8-byte proto header). */
export function capturedBody(label: string): Buffer {
  return captured(label).subarray(8);
}
