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
  /**
   * A streamed NDJSON answer (queries, scans): each line as it arrives, parsed.
   * Errors before the stream starts are thrown as for request(); a stream that
   * ends without its `{"$done": true}` line was cut short and throws.
   */
  async *lines(method: string, path: string, body?: unknown): AsyncGenerator<Record<string, unknown>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.o.token) headers.authorization = `Bearer ${this.o.token}`;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.o.url), { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (err) {
      throw new ApiError(0, 'XDR_ERR_UNREACHABLE', `cannot reach ${this.o.url}: ${(err as Error).message}; is the gateway running (xdrgate up) and is --url right?`, { cause: err });
    }
    if (res.status >= 400 || res.body === null) {
      const text = await res.text();
      let e: { code?: string; message?: string } | undefined;
      try {
        e = JSON.parse(text) as { code?: string; message?: string };
      } catch {
        e = undefined;
      }
      throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? text);
    }
    const decoder = new TextDecoder();
    let pending = '';
    let done = false;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(chunk, { stream: true });
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.length === 0) continue;
        const row = JSON.parse(line) as Record<string, unknown>;
        if (row.$done === true) done = true;
        yield row;
      }
    }
    if (!done) throw new ApiError(0, 'XDR_ERR_STREAM_CUT', 'the gateway ended the stream before its last line; its log says why');
  }
}

export function recordPath(ns: string, set: string, key: string, keyType?: string): string {
  const q = keyType && keyType !== 'string' ? `?keyType=${encodeURIComponent(keyType)}` : '';
  return `/v1/records/${encodeURIComponent(ns)}/${encodeURIComponent(set)}/${encodeURIComponent(key)}${q}`;
}
