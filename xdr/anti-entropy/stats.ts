/** What anti-entropy shows per route pair in /v1/stats and /metrics (docs/observability.md). */

export interface AntiEntropyPairStats {
  /** The route this region ships to the peer: the pair's name. */
  route: string;
  ns: string;
  peer: string;
  /** This region runs the pair's periodic passes (its name sorts first). */
  lead: boolean;
  /** waiting: next pass scheduled; running; idle: the peer leads (no pass here unless after an unclean start); skipped: see skip_reason. */
  state: 'waiting' | 'running' | 'idle' | 'skipped';
  skip_reason?: string;
  passes: number;
  errors: number;
  last_error?: string;
  /** Unix ms when the last pass ended (0: none yet). */
  last_pass_at_ms: number;
  last_pass_duration_ms: number;
  /** Figures of the last pass. */
  partitions_compared: number;
  partitions_differing: number;
  records_hashed: number;
  records_listed: number;
  settling: number;
  reshipped_to_peer: number;
  reshipped_from_peer: number;
  reship_deferred: number;
  /** Records re-shipped in both directions since start. */
  reshipped_total: number;
  /** Where the next pass starts (0 unless the last one stopped at records-per-pass). */
  resume_pid: number;
  /** Ms until the next pass, -1 when none is scheduled. */
  next_pass_in_ms: number;
}

export function emptyPairStats(route: string, ns: string, peer: string, lead: boolean): AntiEntropyPairStats {
  return {
    route, ns, peer, lead, state: lead ? 'waiting' : 'idle', passes: 0, errors: 0, last_pass_at_ms: 0, last_pass_duration_ms: 0,
    partitions_compared: 0, partitions_differing: 0, records_hashed: 0, records_listed: 0, settling: 0, reshipped_to_peer: 0,
    reshipped_from_peer: 0, reship_deferred: 0, reshipped_total: 0, resume_pid: 0, next_pass_in_ms: -1,
  };
}
