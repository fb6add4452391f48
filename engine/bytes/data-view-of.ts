/**
 * One DataView per buffer, shared by the header codec and the bins decoder: a
 * read parses a record's header and then its body in the same buffer, and
 * random reads jump between the post-write queue's block buffers, which live
 * as long as the process. Creating a DataView costs more than the reads it
 * serves (~0.15 µs a get), so each buffer keeps its own (a WeakMap: a buffer
 * that is dropped takes its view with it), with the last one as a fast path.
 */
let lastBuf: Uint8Array | null = null;
let lastView: DataView = new DataView(new ArrayBuffer(8));
const views = new WeakMap<Uint8Array, DataView>();

export function dataViewOf(buf: Uint8Array): DataView {
  if (buf === lastBuf) return lastView;
  let view = views.get(buf);
  if (view === undefined) {
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    views.set(buf, view);
  }
  lastBuf = buf;
  lastView = view;
  return view;
}
