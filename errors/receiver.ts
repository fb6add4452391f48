/**
 * Codes of the receiver (RecvError). Most are reasons a message is
 * dead-lettered (they go into the `xdr-reason` header as `<code>: <message>`);
 * retriable ones make the receiver retry the message without committing its offset.
 */
import { defineErrors } from './define.js';

export const RECV_ERRORS = defineErrors({
  RECV_ERR_UNDECODABLE: {
    message: 'the message is not valid wire-format v1 (the wire error names the field)',
    status: 500,
    retriable: false,
    fix: 'inspect the DLQ record; only xdrgate shippers may write to route topics',
  },
  RECV_ERR_CLOCK_OFFSET: {
    message: 'the version is stamped further in the future than max-clock-offset-ms allows',
    status: 500,
    retriable: false,
    fix: 'fix the clock (NTP) of the source region named in the record, then rewind the route to re-ship',
  },
  RECV_ERR_WRONG_NAMESPACE: {
    message: "the version's namespace is not the namespace of the route whose topic carried it",
    status: 500,
    retriable: false,
    fix: 'two routes share a topic: give each route its own topic',
  },
  RECV_ERR_APPLY_REJECTED: {
    message: 'the engine refused to read the local version or store the winning one (an engine error that is not retriable)',
    status: 500,
    retriable: false,
    fix: "the engine code in the reason says why (e.g. record too big for this region's write-block-size); align the regions' namespace settings",
  },
  RECV_ERR_APPLY_FAILED: {
    message: 'storing the winning version failed for now (retriable engine error); the message is retried',
    status: 503,
    retriable: true,
    fix: 'usually stop-writes: free space in the destination; replication resumes by itself',
  },
  RECV_ERR_DEAD_LETTER_FAILED: {
    message: 'the dead-letter topic did not accept a message; it is retried before the offset moves on',
    status: 503,
    retriable: true,
    fix: 'check the source Kafka and that `<topic>.dlq` exists (the gateway creates it with the route)',
  },
  RECV_ERR_INVALID_OPTIONS: {
    message: 'a receiver option is out of range',
    status: 400,
    retriable: false,
    fix: 'fix the option named in the message (max-clock-offset-ms ≥ 0)',
  },
  RECV_ERR_CONSUMER_FAILED: {
    message: 'the Kafka consumer of a source region crashed; it is restarted with backoff',
    status: 503,
    retriable: true,
    fix: "check the source Kafka's reachability; offsets resume where they were committed",
  },
});
