/**
 * Set name ↔ u16 id table of one namespace. Id 0 is the empty set name (records
 * written without a set), so a zero-filled index entry means "no set".
 */
export class SetTable {
  /** Id of `name`, adding it when new. */
  idOf(name: string): number { void name; throw new Error('not implemented'); }
  /** Id of `name` or -1 when unknown (never adds). */
  find(name: string): number { void name; throw new Error('not implemented'); }
  /** Name of `id`; asserts that it exists. */
  nameOf(id: number): string { void id; throw new Error('not implemented'); }
  get size(): number { throw new Error('not implemented'); }
  /** Encoded form (length-prefixed UTF-8 names in id order). */
  encode(): Uint8Array { throw new Error('not implemented'); }
  static decode(bytes: Uint8Array): SetTable { void bytes; throw new Error('not implemented'); }
}
