/**
 * Registers the stored form of an ordered list (record/ordered-list-ext.ts)
 * with msgpackr, with the body codec's item conventions.
 */
import { Packr, addExtension } from 'msgpackr';
import { orderedListMsgpackExtension } from '../../../record/index.js';

// The same options as the body codec: int64 beyond ±2^53 back as bigint, bytes as copies (never views into a reused device buffer).
const items = new Packr({
  useRecords: false,
  mapsAsObjects: true,
  int64AsType: 'auto' as 'bigint',
  copyBuffers: true,
  variableMapSize: true,
  moreTypes: false,
});

addExtension(orderedListMsgpackExtension(items));
