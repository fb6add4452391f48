/**
 * MurmurHash3 x64 128 (seed 0), the hash Aerospike feeds HyperLogLog elements
 * through. BigInt arithmetic masked to 64 bits: elements are short (a packed
 * scalar), so clarity wins over speed here.
 */
const MASK64 = (1n << 64n) - 1n;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & MASK64;
}

function mul(a: bigint, b: bigint): bigint {
  return (a * b) & MASK64;
}

function fmix64(k: bigint): bigint {
  k ^= k >> 33n;
  k = mul(k, 0xff51afd7ed558ccdn);
  k ^= k >> 33n;
  k = mul(k, 0xc4ceb9fe1a85ec53n);
  k ^= k >> 33n;
  return k;
}

/** Little-endian 64-bit word of up to 8 bytes starting at `at` (missing bytes are zero). */
function wordLe(bytes: Uint8Array, at: number, n: number): bigint {
  let k = 0n;
  for (let i = n - 1; i >= 0; i--) k = (k << 8n) | BigInt(bytes[at + i]!);
  return k;
}

/** The two 64-bit halves [h1, h2] of the 128-bit hash (h1 is the first 8 output bytes, little-endian). */
export function murmur3x64128(bytes: Uint8Array): [bigint, bigint] {
  const len = bytes.length;
  const nBlocks = Math.floor(len / 16);
  let h1 = 0n;
  let h2 = 0n;
  for (let i = 0; i < nBlocks; i++) {
    let k1 = wordLe(bytes, i * 16, 8);
    let k2 = wordLe(bytes, i * 16 + 8, 8);
    k1 = mul(rotl(mul(k1, C1), 31n), C2);
    h1 ^= k1;
    h1 = (mul(rotl(h1, 27n) + h2, 5n) + 0x52dce729n) & MASK64;
    k2 = mul(rotl(mul(k2, C2), 33n), C1);
    h2 ^= k2;
    h2 = (mul(rotl(h2, 31n) + h1, 5n) + 0x38495ab5n) & MASK64;
  }
  const tail = nBlocks * 16;
  const rest = len & 15;
  if (rest > 8) {
    const k2 = wordLe(bytes, tail + 8, rest - 8);
    h2 ^= mul(rotl(mul(k2, C2), 33n), C1);
  }
  if (rest > 0) {
    const k1 = wordLe(bytes, tail, Math.min(rest, 8));
    h1 ^= mul(rotl(mul(k1, C1), 31n), C2);
  }
  const n = BigInt(len);
  h1 ^= n;
  h2 ^= n;
  h1 = (h1 + h2) & MASK64;
  h2 = (h2 + h1) & MASK64;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 = (h1 + h2) & MASK64;
  h2 = (h2 + h1) & MASK64;
  return [h1, h2];
}
