/** Acknowledging client writes by their namespace's durability mode (docs/operations.md). */
export { acknowledgingEngine } from './acknowledging-engine.js';
export { ShippedAcks, type ShippedNamespace, type ShippingPort } from './shipped-acks.js';
export { DURABILITY_ERRORS, DurabilityError, type DurabilityErrorCode } from './errors.js';
