/**
 * What an HLL element is to the hash: its MessagePack bytes as the client sent
 * them, rewritten to the smallest header Aerospike would use for the same value
 * (Aerospike "compactifies" an element before hashing it, so 7 sent as
 * uint8 and 7 sent as a fixint count as one element). Only scalar elements
 * reach here; lists and maps are refused before.
 */

function header(out: number[], small: number, lengths: ReadonlyArray<[number, number]>, len: number, fixMax: number): void {
  if (len <= fixMax) {
    out.push(small | len);
    return;
  }
  for (const [code, bytes] of lengths) {
    if (len < 2 ** (8 * bytes)) {
      out.push(code);
      for (let i = bytes - 1; i >= 0; i--) out.push(Math.floor(len / 2 ** (8 * i)) & 0xff);
      return;
    }
  }
}

function readUint(b: Uint8Array, at: number, n: number): bigint {
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(b[at + i]!);
  return v;
}

function packInt(v: bigint): number[] {
  if (v >= 0n) {
    if (v < 128n) return [Number(v)];
    if (v < 256n) return [0xcc, Number(v)];
    if (v < 65536n) return [0xcd, ...bytesOf(v, 2)];
    if (v < 2n ** 32n) return [0xce, ...bytesOf(v, 4)];
    return [0xcf, ...bytesOf(v, 8)];
  }
  if (v >= -32n) return [Number(v) & 0xff];
  if (v >= -128n) return [0xd0, ...bytesOf(v, 1)];
  if (v >= -32768n) return [0xd1, ...bytesOf(v, 2)];
  if (v >= -(2n ** 31n)) return [0xd2, ...bytesOf(v, 4)];
  return [0xd3, ...bytesOf(v, 8)];
}

function bytesOf(v: bigint, n: number): number[] {
  const u = BigInt.asUintN(8 * n, v);
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(Number((u >> BigInt(8 * i)) & 0xffn));
  return out;
}

function withBody(head: number[], src: Uint8Array, from: number, len: number): Uint8Array {
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  out.set(src.subarray(from, from + len), head.length);
  return out;
}

const STR_LENGTHS: ReadonlyArray<[number, number]> = [[0xd9, 1], [0xda, 2], [0xdb, 4]];

/**
 * The compact form of one MessagePack scalar (`bytes` holds exactly it).
 * Aerospike's quirks are kept: a bin8 longer than 31 bytes, a bin16 longer
 * than 255 and a bin32 longer than 65535 stay as they are; shorter ones become
 * strings.
 */
export function compactElement(bytes: Uint8Array): Uint8Array {
  const b0 = bytes[0]!;
  switch (b0) {
    case 0xcc:
    case 0xcd:
    case 0xce:
    case 0xcf: {
      const n = 1 << (b0 - 0xcc);
      return Uint8Array.from(packInt(readUint(bytes, 1, n)));
    }
    case 0xd0:
    case 0xd1:
    case 0xd2:
    case 0xd3: {
      const n = 1 << (b0 - 0xd0);
      return Uint8Array.from(packInt(BigInt.asIntN(8 * n, readUint(bytes, 1, n))));
    }
    case 0xc4:
    case 0xc5:
    case 0xc6:
    case 0xd9:
    case 0xda:
    case 0xdb: {
      const isBin = b0 <= 0xc6;
      const n = isBin ? 1 << (b0 - 0xc4) : 1 << (b0 - 0xd9);
      const len = Number(readUint(bytes, 1, n));
      const keep = isBin && len > (n === 1 ? 0x1f : n === 2 ? 0xff : 0xffff);
      if (keep) return bytes;
      const head: number[] = [];
      header(head, 0xa0, STR_LENGTHS, len, 31);
      return withBody(head, bytes, 1 + n, len);
    }
    case 0xc7:
    case 0xc8:
    case 0xc9: {
      const n = 1 << (b0 - 0xc7);
      const len = Number(readUint(bytes, 1, n));
      const type = bytes[1 + n]!;
      const fixed = [1, 2, 4, 8, 16].indexOf(len);
      const head = fixed >= 0 ? [0xd4 + fixed, type] : len < 256 ? [0xc7, len, type] : len < 65536 ? [0xc8, ...bytesOf(BigInt(len), 2), type] : [0xc9, ...bytesOf(BigInt(len), 4), type];
      return withBody(head, bytes, 2 + n, len);
    }
    default:
      return bytes;
  }
}
