/**
 * `up --load N`: N writes/s at each region so there is something to watch
 * (lag, stats). Bounded: at most `inFlightMax` requests outstanding per region;
 * ticks that would exceed it are counted as skipped rather than queued.
 */
export interface LoadTarget {
  region: string;
  url: string;
}

export interface LoadStats {
  sent: number;
  ok: number;
  failed: number;
  skipped: number;
}

const TICK_MS = 100;

export class LoadDriver {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, number>();
  readonly stats = new Map<string, LoadStats>();
  private seq = 0;

  constructor(
    private readonly targets: LoadTarget[],
    private readonly writesPerSec: number,
    private readonly token?: string,
    private readonly inFlightMax = 256,
  ) {
    for (const t of targets) this.stats.set(t.region, { sent: 0, ok: 0, failed: 0, skipped: 0 });
  }

  start(): void {
    let carry = 0;
    this.timer = setInterval(() => {
      carry += (this.writesPerSec * TICK_MS) / 1000;
      const n = Math.floor(carry);
      carry -= n;
      for (const t of this.targets) for (let i = 0; i < n; i++) this.one(t);
    }, TICK_MS);
  }

  private one(t: LoadTarget): void {
    const s = this.stats.get(t.region)!;
    const busy = this.inFlight.get(t.region) ?? 0;
    if (busy >= this.inFlightMax) {
      s.skipped += 1;
      return;
    }
    this.seq += 1;
    const ns = this.seq % 5 === 0 ? 'sessions' : 'user_data';
    const key = `${t.region}-${this.seq % 10_000}`;
    const body = JSON.stringify({ bins: { n: this.seq, from: t.region, at: Date.now() } });
    this.inFlight.set(t.region, busy + 1);
    s.sent += 1;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    fetch(`${t.url}/v1/records/${ns}/load/${key}`, { method: 'PUT', headers, body, signal: AbortSignal.timeout(5000) })
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.ok) s.ok += 1;
        else s.failed += 1;
      })
      .catch(() => {
        s.failed += 1;
      })
      .finally(() => this.inFlight.set(t.region, (this.inFlight.get(t.region) ?? 1) - 1));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
