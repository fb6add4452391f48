/**
 * Several producers behind one ShipTransport, split by Kafka partition: a
 * batch's messages go to lane `partition % lanes`, all lanes at once, and the
 * batch is acknowledged when every lane acknowledged its part. A digest always
 * maps to one partition (prepare.ts) and so to one lane, and a route hands over
 * its next batch only after this one is acknowledged, so each record's versions
 * still reach Kafka in order; what runs in parallel is the producers' work
 * (record batches, CRCs, compression), each lane on its own thread.
 *
 * What is handed to the lanes and not yet acknowledged is bounded by a count of
 * sub-batches and by their bytes (style: a limit on every queue), shared by every
 * route using the transport: a send past either waits for room. One sub-batch
 * larger than the byte limit is still admitted when nothing else is in flight,
 * or it could never be sent.
 */
import { ShipError, isShipError } from './errors.js';
import type { OutboundMessage, ShipTransport } from './transport.js';

export interface PartitionedTransportLimits {
  /** Sub-batches in flight across all lanes (each lane pipelines its own). */
  inFlightBatchesMax: number;
  /** Key and value bytes in flight across all lanes. */
  inFlightBytesMax: number;
}

/** The messages of one lane, in the order they were given. */
export function splitByLane(messages: readonly OutboundMessage[], lanes: number): OutboundMessage[][] {
  const out: OutboundMessage[][] = Array.from({ length: lanes }, () => []);
  for (const m of messages) out[m.partition % lanes]!.push(m);
  return out;
}

function bytesOf(messages: readonly OutboundMessage[]): number {
  let n = 0;
  for (const m of messages) n += m.key.length + m.value.length;
  return n;
}

export class PartitionedShipTransport implements ShipTransport {
  private batches = 0;
  private bytes = 0;
  private readonly waiting: Array<{ bytes: number; resolve: () => void }> = [];

  constructor(
    private readonly lanes: readonly ShipTransport[],
    private readonly limits: PartitionedTransportLimits,
  ) {
    if (lanes.length === 0) throw new ShipError('SHIP_ERR_INVALID_OPTIONS', 'a partitioned transport needs at least one producer', {});
    if (!(limits.inFlightBatchesMax >= 1) || !(limits.inFlightBytesMax >= 1)) {
      throw new ShipError('SHIP_ERR_INVALID_OPTIONS', `in-flight limits must be at least 1 (batches ${limits.inFlightBatchesMax}, bytes ${limits.inFlightBytesMax})`, {});
    }
  }

  /** How many producers the messages are spread over. */
  get laneCount(): number {
    return this.lanes.length;
  }

  /** Sub-batches and bytes handed to the lanes and not yet acknowledged (for stats and tests). */
  inFlight(): { batches: number; bytes: number } {
    return { batches: this.batches, bytes: this.bytes };
  }

  partitionCount(topic: string): Promise<number> {
    return this.lanes[0]!.partitionCount(topic);
  }

  async send(topic: string, messages: OutboundMessage[]): Promise<void> {
    const parts = this.lanes.length === 1 ? [messages] : splitByLane(messages, this.lanes.length);
    const sends: Promise<void>[] = [];
    for (let lane = 0; lane < parts.length; lane++) {
      const part = parts[lane]!;
      if (part.length === 0) continue;
      sends.push(this.sendPart(this.lanes[lane]!, topic, part));
    }
    const settled = await Promise.allSettled(sends);
    const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
    if (failures.length === 0) return;
    // A refusal that a retry does not fix wins over a transient failure of another lane:
    // retrying the whole batch would meet the refusal again.
    throw failures.find((err) => isShipError(err, 'SHIP_ERR_SEND_REJECTED')) ?? failures[0];
  }

  private async sendPart(lane: ShipTransport, topic: string, part: OutboundMessage[]): Promise<void> {
    const bytes = bytesOf(part);
    await this.admit(bytes);
    try {
      await lane.send(topic, part);
    } finally {
      this.release(bytes);
    }
  }

  private fits(bytes: number): boolean {
    if (this.batches === 0) return true;
    return this.batches < this.limits.inFlightBatchesMax && this.bytes + bytes <= this.limits.inFlightBytesMax;
  }

  private take(bytes: number): void {
    this.batches++;
    this.bytes += bytes;
  }

  /** Room for a sub-batch of `bytes`, first come first served (a small one does not overtake a waiting large one). */
  private admit(bytes: number): Promise<void> {
    if (this.waiting.length === 0 && this.fits(bytes)) {
      this.take(bytes);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiting.push({ bytes, resolve }));
  }

  private release(bytes: number): void {
    this.batches--;
    this.bytes -= bytes;
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
      const next = this.waiting.shift()!;
      this.take(next.bytes);
      next.resolve();
    }
  }
}
