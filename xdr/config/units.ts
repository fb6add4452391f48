/**
 * Sizes and durations written the way aerospike.conf writes them, so operators can
 * copy values between the two: sizes as `128K`, `4G` (binary multiples, like
 * Aerospike) or a plain byte count; durations as `30D`, `120s`, `2h`, `500ms` or a
 * plain number of seconds (Aerospike's unit for time values).
 * Pure functions; they return null instead of throwing so the config validator can
 * collect every problem before it reports.
 */

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };
const DURATION_UNITS_MS: Record<string, number> = {
  MS: 1,
  '': 1000,
  S: 1000,
  M: 60_000,
  H: 3_600_000,
  D: 86_400_000,
};

/** `128K` → 131072; a non-negative integer stays as is; null when unreadable. */
export function parseSizeBytes(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const m = /^\s*(\d+)\s*([KMGT]?)B?\s*$/i.exec(value);
  if (!m) return null;
  const bytes = Number(m[1]) * SIZE_UNITS[m[2]!.toUpperCase()]!;
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** `30D` → 2592000000; a plain number means seconds (as in aerospike.conf); null when unreadable. */
export function parseDurationMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : null;
  if (typeof value !== 'string') return null;
  const m = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/i.exec(value);
  if (!m) return null;
  const ms = Number(m[1]) * DURATION_UNITS_MS[(m[2] ?? '').toUpperCase()]!;
  return Number.isSafeInteger(ms) ? ms : null;
}

/** 131072 → `128K`, for messages and docs. */
export function formatSize(bytes: number): string {
  for (const unit of ['T', 'G', 'M', 'K'] as const) {
    const mult = SIZE_UNITS[unit]!;
    if (bytes >= mult && bytes % mult === 0) return `${bytes / mult}${unit}`;
  }
  return String(bytes);
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && (n & (n - 1)) === 0 && n <= 2 ** 30;
}
