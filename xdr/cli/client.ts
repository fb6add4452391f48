/**
 * A small HTTP client of the gateway API for the CLI: JSON in and out, errors
 * printed as the server's `{code, message}`.
 */

export interface ClientOptions {
  /** Gateway base URL. @default $XDRGATE_URL or http://127.0.0.1:4100 */
  url: string;
  /** Bearer token. @default $XDRGATE_TOKEN */
  token?: string;
  /** Per-request timeout. @default 10000 */
  timeoutMs?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class GatewayClient {
  constructor(private readonly o: ClientOptions) {}

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.o.token) headers.authorization = `Bearer ${this.o.token}`;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.o.url), {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new ApiError(0, 'XDR_ERR_UNREACHABLE', `cannot reach ${this.o.url}: ${(err as Error).message}; is the gateway running (xdrgate up) and is --url right?`, { cause: err });
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (res.status >= 400) {
      const e = parsed as { code?: string; message?: string } | undefined;
      throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? text);
    }
    return { status: res.status, body: parsed as T };
  }
}

export function recordPath(ns: string, set: string, key: string, keyType?: string): string {
  const q = keyType && keyType !== 'string' ? `?keyType=${encodeURIComponent(keyType)}` : '';
  return `/v1/records/${encodeURIComponent(ns)}/${encodeURIComponent(set)}/${encodeURIComponent(key)}${q}`;
}
