/**
 * CDT (list and map) operations of the wire → engine steps.
 */
import type { CdtCall } from '../../aerospike-protocol/index.js';
import type { Operation } from '../../engine/index.js';
import { unsupportedFeature } from './errors.js';

export function cdtOperation(bin: string, call: CdtCall, modify: boolean): Operation {
  throw unsupportedFeature(`CDT ${modify ? 'modify' : 'read'} operation ${call.code} on bin ${bin} is not supported yet`);
}
