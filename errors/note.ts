/**
 * The newest error of a kind as statistics show it (the shipper's and the
 * receiver's per-route stats, and what the gateway derives from them): a
 * stable code, the message, and when it happened.
 */
export interface ErrorNote {
  code: string;
  message: string;
  /** Unix ms. */
  at_ms: number;
}

/**
 * An error as stats show it. The code is the error's own when it comes from one
 * of the project's tables (ENGINE_ERR_*, SHIP_ERR_*, ...); anything else
 * (kafkajs, Node) gets `fallbackCode`, with its own name or code kept in the message.
 */
export function errorNote(err: unknown, atMs: number, fallbackCode: string): ErrorNote {
  const raw = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof raw === 'string' && /^[A-Z]+_ERR_[A-Z0-9_]+$/.test(raw)) return { code: raw, message, at_ms: atMs };
  const tag = typeof raw === 'string' ? raw : err instanceof Error && err.name !== 'Error' ? err.name : undefined;
  return { code: fallbackCode, message: tag === undefined ? message : `${tag}: ${message}`, at_ms: atMs };
}
