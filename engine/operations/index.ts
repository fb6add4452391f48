/**
 * The door of engine/operations: pure record operations (operate steps, counters,
 * write policies). The engine and its tests import from here only.
 */
export { applyOperations, type ApplyOptions, type OpsOutcome } from './apply.js';
export { opsInputFromVersion, type OpsContext, type OpsRecordInput, type StoredBody } from './working-record.js';
export {
  checkRemovePolicy,
  checkTtl,
  checkWritePolicy,
  resolveVoidTime,
  ttlFromVoidTime,
  TTL_DONT_UPDATE,
  TTL_NAMESPACE_DEFAULT,
  TTL_NEVER_EXPIRE,
  TTL_SEC_MAX,
  type StoredMeta,
  type WriteDecision,
} from './policy.js';
export { opsError, type OpsFailCode } from './fail.js';
export { checkOperations, findInvalidValue, isReadingStep } from './validate.js';
export { checkGeoJson } from './geojson-check.js';
export * from './steps/cdt/index.js';
export * from './steps/hll/index.js';
export { cloneValue, compareValues, isBinMap, kindOf, type ValueKind } from './values.js';
