// An in-memory ShipTransport for shipper unit tests: records what was sent and
// can be told to fail, as Kafka does when a broker is down.
import type { OutboundMessage, ShipTransport } from '../../../shipper/index.js';
import { ShipError } from '../../../shipper/index.js';

export class MemTransport implements ShipTransport {
  readonly sent: Array<{ topic: string; message: OutboundMessage }> = [];
  sends = 0;
  /** While > 0, each send fails and decrements it. */
  failures = 0;
  /** While true, every send fails. */
  down = false;
  /** While true, every send is refused as Kafka refuses a batch it will never take (not retriable). */
  refusing = false;
  constructor(readonly partitions = 8) {}
  async partitionCount(): Promise<number> {
    return this.partitions;
  }
  async send(topic: string, messages: OutboundMessage[]): Promise<void> {
    this.sends++;
    if (this.refusing) throw new ShipError('SHIP_ERR_SEND_REJECTED', `Kafka refused ${messages.length} messages to ${topic} with MESSAGE_TOO_LARGE (test)`, { topic });
    if (this.down || this.failures > 0) {
      if (this.failures > 0) this.failures--;
      throw new Error('broker unavailable (test)');
    }
    for (const message of messages) this.sent.push({ topic, message });
  }
}
