/** The block of a device that writes are filling, as Storage keeps it and RecordLocator reads recent records from it. */
export interface WriteBuffer {
  buf: Buffer;
  /** Global block number, -1 when none is open. */
  block: number;
  seq: number;
  fill: number;
  flushed: number;
  /** Written since the last fsync. */
  dirty: boolean;
  /** performance.now() when the block was opened (records stored in it since its last flush are no older than the later of this and the last periodic flush). */
  openedAt: number;
}
