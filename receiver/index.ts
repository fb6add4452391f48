/** The receiver's only door: Kafka → decode → resolve → engine.applyVersion. */
export { Receiver } from './receiver.js';
export type { ReceiverRoute, ReceiverOptions, ReceiverDeps } from './receiver.js';
export type { RouteRecvStats } from './stats.js';
export { ConflictRing, CONFLICT_RING_DEFAULT, conflictEntry, type ConflictEntry, type ConflictSide, type ConflictsSnapshot } from './conflicts.js';
export { LagHistogram } from './histogram.js';
export { RecentLag, type RecentLagSnapshot } from './recent-lag.js';
export type { ReceiveTransport, InboundBatch, InboundMessage, BatchControl, BatchHandler, DeadLetter, ConsumerState, ConsumerStatus } from './transport.js';
export { KafkaReceiveTransport } from './kafka-transport.js';
export type { KafkaReceiveTransportOptions } from './kafka-transport.js';
export { handleMessage } from './handle.js';
export type { Outcome, HandleContext, HandleRoute, ConflictVersions } from './handle.js';
export { RECV_ERRORS, RecvError, isRecvError } from './errors.js';
export type { RecvErrorCode } from './errors.js';
