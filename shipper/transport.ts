/**
 * The seam between a route shipper and Kafka. The shipper computes partitions,
 * keys and timestamps itself (pure), so a transport only moves bytes; the kafkajs
 * adapter is kafka-transport.ts, tests use in-memory ones.
 */

export interface OutboundMessage {
  /** The record digest (20 bytes), so tools that hash keys still keep a record on one partition. */
  key: Buffer;
  value: Buffer;
  /** Record partition id (0..4095) mod the topic's partition count. */
  partition: number;
  /** Physical ms of the source lut (heartbeats: of the source HLC). */
  timestampMs: number;
}

export interface ShipTransport {
  /** Partition count of `topic` (the caller caches it per route run). Throws SHIP_ERR_TOPIC_UNAVAILABLE. */
  partitionCount(topic: string): Promise<number>;
  /**
   * Sends `messages` to `topic` and resolves only once Kafka acknowledged all of
   * them (acks = all). Throws SHIP_ERR_SEND_FAILED (retriable) otherwise: the
   * caller retries the same messages, which the idempotent producer de-duplicates;
   * or SHIP_ERR_SEND_REJECTED (not retriable) when Kafka refuses the batch for a
   * reason a retry does not fix.
   */
  send(topic: string, messages: OutboundMessage[]): Promise<void>;
}
