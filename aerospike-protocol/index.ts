/**
 * aerospike-protocol: the codec of Aerospike's client protocol, pure (no
 * sockets, no engine). It cuts a byte stream into messages, decodes info
 * requests, AS_MSG headers, fields, ops, particles, CDT operations, batch rows
 * and scan/query requests into views and values, and writes replies into
 * arena buffers. The server (xdr/aerospike/) owns the sockets and the engine
 * calls. This file is the folder's only door.
 */
export * from './constants.js';
export { ResultCode, resultCodeName } from '../errors/index.js';
export { PROTO_ERRORS, ProtocolError, isProtocolError, type ProtocolErrorCode } from './errors.js';
export { AsSpecial, isAsMap, setKey, type AsMap, type AsValue } from './values.js';
export { ByteWriter } from './byte-writer.js';
export { readProtoHeader, writeProtoHeader, frame, type ProtoHeader } from './proto.js';
export { FrameSplitter, type Frame, type FrameLimits } from './frame-splitter.js';
export { MsgView, FieldSet, OpList, decodeMsg, readFields, readOps, checkFieldAndOpCounts, type MsgLimits } from './message.js';
export {
  fieldDigest, fieldString, fieldTaskId, fieldUint, fieldUserKey, partitionOf, readDigestArray, readPartitionIds, readUserKey, readUtf8, type AsKey,
} from './fields.js';
export { opName, opValue } from './ops.js';
export { particleTypeOf, readParticle, writeParticle } from './particles.js';
export { MsgpackReader, decodeMsgpack, writeMsgpack, writeArrayHeader, writeMapHeader, writeInteger, writeString, writeBlob, MSGPACK_DEPTH_MAX } from './msgpack.js';
export { decodeHllCall, type HllCall, type HllRawArg, type HllRawItem } from './hll.js';
export { decodeCdtCall, decodeCdtContext, CDT_CONTEXT_DEPTH_MAX, type CdtCall, type CdtContextStep } from './cdt.js';
export { decodeBatch, type BatchLimits, type BatchRequest, type BatchRowEntry, type BatchTemplate } from './batch.js';
export { readIndexRange, readScanRequest, type IndexFilter, type ScanRequest } from './scan-request.js';
export {
  INFO_COMMANDS_MAX, buildInfoReply, infoFail, infoKeyValues, parseInfoCommand, parseInfoRequest, partitionBitmap, peersValue, replicasValue,
  type InfoCommand, type NamespaceReplicas, type PeerNode,
} from './info.js';
export {
  ADMIN_MESSAGE_BYTES_MAX, ADMIN_PASSWORD_SALT, AdminCommand, AdminField, parseAdminRequest, sessionTtlField, writeAdminReply, type AdminReplyField, type AdminRequest,
} from './admin.js';
export {
  beginFrame, endFrame, patchOpCount, writeBinOp, writeFieldBytes, writeFieldString, writeFieldU64LE, writeKeyField, writeLastReply, writeMsgHeader, writeStatusReply,
} from './reply.js';
