/**
 * record/: the record model, pure (no I/O; time only through the Clock interface) and importing nothing of
 * ours. engine/ stores these versions and builds them with the local-update
 * rule; conflict/ merges them; every other part speaks these types. This file
 * is the only door. docs/conflict.md states the rules.
 */
export type { BinMap, BinValue, Bins, CounterState, Digest, HlcTimestamp, RecordVersion, UserKey } from './types.js';
export type { Decision, DecisionReason, ResolveContext } from './decision.js';
export { DELETE_HORIZON_BIN, deleteHorizon } from './horizon.js';
export { applyLocalIncrement, counterContributor, counterValue, holdsIntegersOnly, mergeSameEpoch, openCounterEpoch } from './counter.js';
export {
  binStateOf, counterBinState, joinBinStates, joinCounterStates, removedAtHorizon, sameCounterEpoch, survivesHorizon, type BinState,
} from './bin-state.js';
export { counterStatesOf, defineOwn, holdsCounterState, joinCountersInto } from './counter-states.js';
export { canonicalCounter, canonicalValue, canonicalVersion, compareStrings, sameDigest, sameVersion } from './canonical.js';
export {
  counterOfBin, joinDormantEpoch, putBody, replaceBins, sealBody, setCounter, startFrom, startingPoint, tombstoneOf, versionFromBody, writeBin,
  type LocalBody, type LocalStamp, type StartingVersion,
} from './local.js';
export {
  Hlc, ManualClock, physicalMs, logicalOf, hlcFromMs, isBeyondMaxOffset, HLC_LOGICAL_BITS, HLC_LOGICAL_MAX, type Clock,
} from './hlc.js';
export { compareCodePoints } from './code-point-order.js';
export * as hll from './hll/index.js';
export { HllValue, isHllValue } from './hll/index.js';
export {
  GeoJson, GEOJSON_EXT_TYPE, geoJsonMsgpackExtension, isGeoJson, parseGeoJson, EARTH_RADIUS_M, GEO_VERTICES_MAX, haversineM, loopContains, polygonContains, regionBox, regionContains,
  type Box, type Geometry, type LngLat, type Loop, type Region,
} from './geo/index.js';
export { ORDERED_LIST_EXT_TYPE, OrderedList, isOrderedList, orderedList, plainItems } from './ordered-list.js';
export { orderedListMsgpackExtension, type ItemCodec, type OrderedListMsgpackExtension } from './ordered-list-ext.js';
export { CTX, CtxCreateList, ListFlags, ListOp, MapFlags, MapOp, ReturnType, SortFlags } from './cdt-codes.js';
