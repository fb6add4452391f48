/**
 * Registers the wire form of an ordered list (record/ordered-list-ext.ts)
 * with msgpackr, with wire v1's item conventions.
 */
import { Packr, addExtension } from 'msgpackr';
import { orderedListMsgpackExtension } from '../../../record/index.js';

// int64 beyond ±2^53 back as bigint (the bins' convention); bytes as copies, never views into a Kafka message buffer.
const items = new Packr({
  useRecords: false,
  mapsAsObjects: true,
  int64AsType: 'auto' as 'bigint',
  copyBuffers: true,
  variableMapSize: true,
  moreTypes: false,
});

addExtension(orderedListMsgpackExtension(items));
