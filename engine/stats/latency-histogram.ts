/**
 * A log-linear latency histogram (the HdrHistogram layout): values below 2^SUB_BITS
 * nanoseconds get one bucket each, and every power-of-two range above is cut into
 * 2^SUB_BITS equal buckets. Percentiles are within 1/2^(SUB_BITS+1) (1.6 %) of
 * the true value, memory is fixed (BUCKETS × 8 bytes) and recording is O(1) with
 * no allocation: no per-sample storage, whatever the load.
 */

export const SUB_BITS = 5;
const SUB_COUNT = 1 << SUB_BITS;
/** The largest exponent tracked: 2^42 ns ≈ 73 minutes. Longer samples land in the top bucket (max stays exact). */
const EXPONENT_MAX = 42;
export const BUCKETS = SUB_COUNT + (EXPONENT_MAX - SUB_BITS + 1) * SUB_COUNT;

export interface LatencySnapshot {
  count: number;
  /** Microseconds. */
  p50Us: number;
  p90Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
  meanUs: number;
}

/**
 * The powers of two (in ns) a histogram exports as cumulative buckets:
 * 2^16 ns ≈ 65.5 µs up to 2^33 ns ≈ 8.6 s, doubling like Aerospike's latency
 * histograms. Each is a bucket bound of the log-linear layout, so the counts
 * below them are exact.
 */
export const EXPORT_EXPONENT_FIRST = 16;
export const EXPORT_EXPONENT_LAST = 33;

/** What a Prometheus histogram needs: cumulative counts at the powers of two, the total count and the sum. */
export interface LatencyBuckets {
  /** Samples below 2^e ns for e = EXPORT_EXPONENT_FIRST..EXPORT_EXPONENT_LAST (cumulative). */
  below: number[];
  count: number;
  /** Sum of the samples, ns (negative ones count as 0). */
  sumNs: number;
}

function exponentOf(value: number): number {
  return value < 2 ** 32 ? 31 - Math.clz32(value) : Math.floor(Math.log2(value));
}

export function bucketOf(valueNs: number): number {
  const v = Math.floor(valueNs);
  if (!(v >= 0)) return 0; // negative or NaN durations (a clock stepping back) count as zero
  if (v < SUB_COUNT) return v;
  if (v < 0x80000000) {
    // Every latency recorded on a hot path (< 2.1 s) lands here: integer shifts
    // instead of two Math.pow calls, the same bucket as the general formula below.
    const e = 31 - Math.clz32(v);
    return SUB_COUNT + (e - SUB_BITS) * SUB_COUNT + ((v - (1 << e)) >> (e - SUB_BITS));
  }
  const e = Math.min(exponentOf(v), EXPONENT_MAX);
  const sub = Math.min(SUB_COUNT - 1, Math.floor((v - 2 ** e) / 2 ** (e - SUB_BITS)));
  return SUB_COUNT + (e - SUB_BITS) * SUB_COUNT + sub;
}

/** [low, high) of values in a bucket. */
export function bucketBounds(bucket: number): [number, number] {
  if (bucket < SUB_COUNT) return [bucket, bucket + 1];
  const e = Math.floor((bucket - SUB_COUNT) / SUB_COUNT) + SUB_BITS;
  const sub = (bucket - SUB_COUNT) % SUB_COUNT;
  const width = 2 ** (e - SUB_BITS);
  return [2 ** e + sub * width, 2 ** e + (sub + 1) * width];
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private total = 0;
  private sumNs = 0;
  private maxNs = 0;

  get count(): number {
    return this.total;
  }

  record(durationNs: number): void {
    this.counts[bucketOf(durationNs)]!++;
    this.total++;
    if (durationNs > 0) {
      this.sumNs += durationNs;
      if (durationNs > this.maxNs) this.maxNs = durationNs;
    }
  }

  /** The value at percentile `pct` (0..100) in nanoseconds: the middle of its bucket, never above the max seen. */
  percentileNs(pct: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((pct / 100) * this.total));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b]!;
      if (seen >= rank) {
        const [low, high] = bucketBounds(b);
        return Math.min(this.maxNs, low + (high - low - 1) / 2);
      }
    }
    return this.maxNs;
  }

  /**
   * Cumulative counts below each exported power of two (a read of the
   * buckets, for a scrape; recording is unaffected). `le` in Prometheus is
   * "at most": the two differ only for a sample of exactly 2^e ns.
   */
  buckets(): LatencyBuckets {
    const below: number[] = [];
    let seen = 0;
    let b = 0;
    for (let e = EXPORT_EXPONENT_FIRST; e <= EXPORT_EXPONENT_LAST; e++) {
      // The first bucket of exponent e starts at 2^e exactly.
      const firstOfE = SUB_COUNT + (e - SUB_BITS) * SUB_COUNT;
      for (; b < firstOfE; b++) seen += this.counts[b]!;
      below.push(seen);
    }
    return { below, count: this.total, sumNs: this.sumNs };
  }

  merge(other: LatencyHistogram): void {
    for (let b = 0; b < BUCKETS; b++) this.counts[b]! += other.counts[b]!;
    this.total += other.total;
    this.sumNs += other.sumNs;
    this.maxNs = Math.max(this.maxNs, other.maxNs);
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sumNs = 0;
    this.maxNs = 0;
  }

  snapshot(): LatencySnapshot {
    const us = (ns: number): number => Math.round(ns / 10) / 100;
    return {
      count: this.total,
      p50Us: us(this.percentileNs(50)),
      p90Us: us(this.percentileNs(90)),
      p99Us: us(this.percentileNs(99)),
      p999Us: us(this.percentileNs(99.9)),
      maxUs: us(this.maxNs),
      meanUs: this.total === 0 ? 0 : us(this.sumNs / this.total),
    };
  }
}
