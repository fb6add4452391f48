/**
 * The door of engine/secondary-index: secondary indexes on integer, string and GeoJSON bins,
 * maintained from each stored change and read page by page for queries.
 */
export { SecondaryIndexes, checkIndexSpec, normaliseSpec, INDEXES_PER_NAMESPACE_MAX, INDEX_NAME_BYTES_MAX } from './registry.js';
export { SecondaryIndex } from './secondary-index.js';
export { SortedEntries, LEAF_ENTRIES_MAX, type EntryCursor, type IndexKey } from './sorted-entries.js';
export { bytesKey, checkFilter, filterRanges, filterType, indexKeyOf, matchesFilter, stringKey } from './keys.js';
export { decodeIndexSpecs, encodeIndexSpecs } from './spec-file.js';
