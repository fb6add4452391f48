// HyperLogLog test material: elements packed as Aerospike clients pack them,
// and the reference sketch the official client suite checks records against.
/** An element as Aerospike clients pack a string: fixstr (or str8) holding the string particle type 3 and the UTF-8 bytes. */
export function stringElement(s: string): Uint8Array {
  const body = Buffer.from(s);
  const len = body.length + 1;
  const head = len < 32 ? [0xa0 | len] : [0xd9, len];
  return Uint8Array.from([...head, 3, ...body]);
}

const catsRegisters = new Map([[36, 16], [43, 4], [163, 65]]);
export const hllCats = (() => {
  const b = new Uint8Array(203);
  b[1] = 8;
  for (const [at, v] of catsRegisters) b[at] = v;
  return b;
})();
