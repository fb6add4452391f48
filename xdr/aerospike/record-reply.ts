/** Replies to single-record commands (and batch rows): a header, and the bins as ops. */
import { CITRUSLEAF_EPOCH_SEC, beginFrame, endFrame, writeBinOp, writeMsgHeader, type ByteWriter } from '../../aerospike-protocol/index.js';
import type { BinValue, Bins } from '../../record/index.js';

/** The wire void time of a record that has `ttlSec` left (-1: never expires → 0). */
export function voidTimeOf(ttlSec: number, nowMs: number): number {
  if (ttlSec < 0) return 0;
  return Math.max(1, Math.floor(nowMs / 1000) + ttlSec - CITRUSLEAF_EPOCH_SEC);
}

/** Writes a header and `bins` (no frame): a batch row or the body of a single reply. */
export function writeRecordBody(w: ByteWriter, info3: number, resultCode: number, generation: number, voidTime: number, index: number, bins: Bins | null): void {
  let n = 0;
  if (bins !== null) for (const _ in bins) n++;
  writeMsgHeader(w, info3, resultCode, generation, voidTime, index, 0, n);
  if (bins !== null) for (const name in bins) writeBinOp(w, name, bins[name]!);
}

/** A whole single-record reply: one frame, a header, the bins. */
export function writeRecordReply(w: ByteWriter, resultCode: number, generation: number, voidTime: number, bins: Bins | null): void {
  const frame = beginFrame(w);
  writeRecordBody(w, 0, resultCode, generation, voidTime, 0, bins);
  endFrame(w, frame);
}

/** A reply whose ops are given as (name, value) pairs in order (operate results; names may repeat). */
export function writeOpResultsReply(w: ByteWriter, generation: number, voidTime: number, names: readonly string[], values: readonly BinValue[]): void {
  const frame = beginFrame(w);
  writeMsgHeader(w, 0, 0, generation, voidTime, 0, 0, names.length);
  for (let i = 0; i < names.length; i++) writeBinOp(w, names[i]!, values[i]!);
  endFrame(w, frame);
}
