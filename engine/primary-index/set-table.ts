/**
 * Set name ↔ u16 id table of one namespace. The primary index stores a 2-byte
 * set id per record instead of the name; this table turns one into the other.
 *
 * Id 0 is the empty set name (records written without a set), so a zero-filled
 * index entry means "no set". Ids are handed out in order and never reused, so
 * a saved index and its table stay consistent.
 */
import { EngineError } from '../errors.js';

/** Aerospike allows 4095 user sets per namespace; with the empty name that is 4096 ids. */
export const SETS_MAX = 4096;
/** Aerospike's limit on a set name. */
export const SET_NAME_BYTES_MAX = 63;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export class SetTable {
  readonly #names: string[] = [''];
  readonly #ids = new Map<string, number>([['', 0]]);

  /** Id of `name`, adding it when new. Throws ENGINE_ERR_INVALID_ARGUMENT past the limits. */
  idOf(name: string): number {
    const known = this.#ids.get(name);
    if (known !== undefined) return known;
    const nameBytes = Buffer.byteLength(name, 'utf8');
    if (nameBytes > SET_NAME_BYTES_MAX) {
      throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `set name is ${nameBytes} bytes; the limit is ${SET_NAME_BYTES_MAX}`, { set: name });
    }
    if (this.#names.length >= SETS_MAX) {
      throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `a namespace holds at most ${SETS_MAX - 1} sets; remove unused sets or use another namespace`, { set: name });
    }
    const id = this.#names.length;
    this.#names.push(name);
    this.#ids.set(name, id);
    return id;
  }

  /** Id of `name` or -1 when unknown (never adds). */
  find(name: string): number {
    return this.#ids.get(name) ?? -1;
  }

  /** Name of `id`; asserts that it exists (ids come from this table). */
  nameOf(id: number): string {
    const name = this.#names[id];
    if (name === undefined) throw new Error(`set id ${id} is not in the set table (programmer error)`);
    return name;
  }

  /** Number of ids handed out, the empty name included. */
  get size(): number {
    return this.#names.length;
  }

  /** Rough RAM held by the table: the strings, the array and the map entries. */
  bytesAllocated(): number {
    let bytes = 0;
    // ~40 B per Map entry, ~8 B per array element, string header ~16 B + 2 B per char (worst case).
    for (const name of this.#names) bytes += 64 + 2 * name.length;
    return bytes;
  }

  /** Encoded form: u16 count, then per id after 0 a u8 length and the UTF-8 bytes. */
  encode(): Uint8Array {
    const parts = this.#names.slice(1).map((name) => utf8Encoder.encode(name));
    const total = 2 + parts.reduce((sum, p) => sum + 1 + p.length, 0);
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    view.setUint16(0, this.#names.length, true);
    let at = 2;
    for (const p of parts) {
      out[at] = p.length;
      out.set(p, at + 1);
      at += 1 + p.length;
    }
    return out;
  }

  /** Decodes encode()'s output; a malformed table is ENGINE_ERR_CORRUPTED_STORAGE. */
  static decode(bytes: Uint8Array): SetTable {
    const bad = (why: string, at: number): EngineError =>
      new EngineError('ENGINE_ERR_CORRUPTED_STORAGE', `set table is malformed: ${why}`, { offset: at });
    if (bytes.length < 2) throw bad('shorter than its 2-byte count', 0);
    const count = bytes[0]! | (bytes[1]! << 8);
    if (count < 1 || count > SETS_MAX) throw bad(`count ${count} outside 1..${SETS_MAX}`, 0);
    const table = new SetTable();
    let at = 2;
    for (let id = 1; id < count; id++) {
      if (at >= bytes.length) throw bad(`ends before set id ${id}`, at);
      const len = bytes[at]!;
      if (len > SET_NAME_BYTES_MAX || at + 1 + len > bytes.length) throw bad(`set id ${id} has a bad length ${len}`, at);
      let name: string;
      try {
        name = utf8Decoder.decode(bytes.subarray(at + 1, at + 1 + len));
      } catch {
        throw bad(`set id ${id} is not valid UTF-8`, at);
      }
      if (table.#ids.has(name)) throw bad(`set name "${name}" appears twice`, at);
      table.#names.push(name);
      table.#ids.set(name, id);
      at += 1 + len;
    }
    if (at !== bytes.length) throw bad(`${bytes.length - at} trailing bytes`, at);
    return table;
  }
}
