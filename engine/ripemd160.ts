/**
 * RIPEMD-160 in plain JS. Digests are computed on every client request, and
 * for the short inputs keys are (set + type byte + key, usually < 55 bytes: one
 * block) a JS implementation is several times faster than a call into
 * OpenSSL through node:crypto, whose per-call overhead dominates.
 * Checked against node:crypto on random inputs in the unit tests.
 */
const RL = Uint8Array.from([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
  3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12, 1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
  4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13,
]);
const RR = Uint8Array.from([
  5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12, 6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
  15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13, 8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
  12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11,
]);
const SL = Uint8Array.from([
  11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8, 7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
  11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5, 11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
  9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
]);
const SR = Uint8Array.from([
  8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6, 9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
  9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5, 15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
  8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
]);
const KL = [0x00000000, 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xa953fd4e];
const KR = [0x50a28be6, 0x5c4dd124, 0x6d703ef3, 0x7a6d76e9, 0x00000000];

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));

const X = new Int32Array(16);
const H = new Int32Array(5);

function compress(block: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++) {
    const p = at + 4 * i;
    X[i] = block[p]! | (block[p + 1]! << 8) | (block[p + 2]! << 16) | (block[p + 3]! << 24);
  }
  let al = H[0]!, bl = H[1]!, cl = H[2]!, dl = H[3]!, el = H[4]!;
  let ar = al, br = bl, cr = cl, dr = dl, er = el;
  // The five rounds are written out so each uses its own boolean function
  // without a branch per step (3–4× faster than dispatching on j).
  for (let j = 0; j < 16; j++) {
    let t = (rotl((al + (bl ^ cl ^ dl) + X[RL[j]!]! + KL[0]!) | 0, SL[j]!) + el) | 0;
    al = el; el = dl; dl = rotl(cl, 10); cl = bl; bl = t;
    t = (rotl((ar + (br ^ (cr | ~dr)) + X[RR[j]!]! + KR[0]!) | 0, SR[j]!) + er) | 0;
    ar = er; er = dr; dr = rotl(cr, 10); cr = br; br = t;
  }
  for (let j = 16; j < 32; j++) {
    let t = (rotl((al + ((bl & cl) | (~bl & dl)) + X[RL[j]!]! + KL[1]!) | 0, SL[j]!) + el) | 0;
    al = el; el = dl; dl = rotl(cl, 10); cl = bl; bl = t;
    t = (rotl((ar + ((br & dr) | (cr & ~dr)) + X[RR[j]!]! + KR[1]!) | 0, SR[j]!) + er) | 0;
    ar = er; er = dr; dr = rotl(cr, 10); cr = br; br = t;
  }
  for (let j = 32; j < 48; j++) {
    let t = (rotl((al + ((bl | ~cl) ^ dl) + X[RL[j]!]! + KL[2]!) | 0, SL[j]!) + el) | 0;
    al = el; el = dl; dl = rotl(cl, 10); cl = bl; bl = t;
    t = (rotl((ar + ((br | ~cr) ^ dr) + X[RR[j]!]! + KR[2]!) | 0, SR[j]!) + er) | 0;
    ar = er; er = dr; dr = rotl(cr, 10); cr = br; br = t;
  }
  for (let j = 48; j < 64; j++) {
    let t = (rotl((al + ((bl & dl) | (cl & ~dl)) + X[RL[j]!]! + KL[3]!) | 0, SL[j]!) + el) | 0;
    al = el; el = dl; dl = rotl(cl, 10); cl = bl; bl = t;
    t = (rotl((ar + ((br & cr) | (~br & dr)) + X[RR[j]!]! + KR[3]!) | 0, SR[j]!) + er) | 0;
    ar = er; er = dr; dr = rotl(cr, 10); cr = br; br = t;
  }
  for (let j = 64; j < 80; j++) {
    let t = (rotl((al + (bl ^ (cl | ~dl)) + X[RL[j]!]! + KL[4]!) | 0, SL[j]!) + el) | 0;
    al = el; el = dl; dl = rotl(cl, 10); cl = bl; bl = t;
    t = (rotl((ar + (br ^ cr ^ dr) + X[RR[j]!]! + KR[4]!) | 0, SR[j]!) + er) | 0;
    ar = er; er = dr; dr = rotl(cr, 10); cr = br; br = t;
  }
  const t = (H[1]! + cl + dr) | 0;
  H[1] = (H[2]! + dl + er) | 0;
  H[2] = (H[3]! + el + ar) | 0;
  H[3] = (H[4]! + al + br) | 0;
  H[4] = (H[0]! + bl + cr) | 0;
  H[0] = t;
}

let pad = new Uint8Array(128);

/** RIPEMD-160 of bytes [0, length) of `data`, written into `out` (20 bytes) at `outAt`. */
export function ripemd160(data: Uint8Array, length: number, out: Uint8Array, outAt = 0): void {
  H[0] = 0x67452301; H[1] = 0xefcdab89 | 0; H[2] = 0x98badcfe | 0; H[3] = 0x10325476; H[4] = 0xc3d2e1f0 | 0;
  const full = length & ~63;
  for (let at = 0; at < full; at += 64) compress(data, at);
  const rest = length - full;
  const tailBytes = rest < 56 ? 64 : 128;
  if (pad.length < tailBytes) pad = new Uint8Array(128);
  pad.fill(0, 0, tailBytes);
  pad.set(data.subarray(full, length), 0);
  pad[rest] = 0x80;
  const bits = length * 8;
  const lo = bits >>> 0;
  const hi = Math.floor(bits / 2 ** 32) >>> 0;
  const lenAt = tailBytes - 8;
  pad[lenAt] = lo & 0xff; pad[lenAt + 1] = (lo >>> 8) & 0xff; pad[lenAt + 2] = (lo >>> 16) & 0xff; pad[lenAt + 3] = lo >>> 24;
  pad[lenAt + 4] = hi & 0xff; pad[lenAt + 5] = (hi >>> 8) & 0xff; pad[lenAt + 6] = (hi >>> 16) & 0xff; pad[lenAt + 7] = hi >>> 24;
  compress(pad, 0);
  if (tailBytes === 128) compress(pad, 64);
  for (let i = 0; i < 5; i++) {
    const h = H[i]!;
    out[outAt + 4 * i] = h & 0xff;
    out[outAt + 4 * i + 1] = (h >>> 8) & 0xff;
    out[outAt + 4 * i + 2] = (h >>> 16) & 0xff;
    out[outAt + 4 * i + 3] = h >>> 24;
  }
}
