/**
 * Any thrown value as an HTTP reply. The status of each of our codes is
 * declared with the code (errors/); here only what is HTTP's own: fastify's
 * codes translated into ours, and failures that are not ours hidden.
 */
import { httpStatusOf } from '../../errors/index.js';
import { XdrError } from '../errors.js';

/** Codes of fastify itself, translated into ours so clients see one vocabulary. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'XDR_ERR_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'XDR_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'XDR_ERR_BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'XDR_ERR_BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'XDR_ERR_BAD_REQUEST',
  FST_ERR_VALIDATION: 'XDR_ERR_BAD_REQUEST',
};

export interface ErrorReply {
  status: number;
  body: { code: string; message: string };
  /** True when the failure is ours (5xx): it is logged with its stack. */
  internal: boolean;
}

/** Any thrown value → status and `{ code, message }`. */
export function toErrorReply(err: unknown): ErrorReply {
  const e = err as { code?: unknown; message?: unknown; retriable?: unknown; validation?: unknown; statusCode?: unknown };
  if (e && Array.isArray(e.validation)) {
    return reply('XDR_ERR_BAD_REQUEST', String(e.message));
  }
  if (e && typeof e.code === 'string') {
    const translated = FASTIFY_CODES[e.code];
    if (translated) return reply(translated, String(e.message));
    if (/^[A-Z]+_ERR_[A-Z0-9_]+$/.test(e.code) && !e.code.startsWith('FST_')) {
      const status = httpStatusOf(e.code, e.retriable === true);
      return { status, body: { code: e.code, message: String(e.message) }, internal: status >= 500 };
    }
    // Other fastify errors carry a 4xx statusCode when the client is at fault.
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return reply('XDR_ERR_BAD_REQUEST', String(e.message));
  }
  return { status: 500, body: { code: 'XDR_ERR_INTERNAL', message: 'internal error; the gateway log has the details' }, internal: true };
}

function reply(code: string, message: string): ErrorReply {
  const status = httpStatusOf(code);
  return { status, body: { code, message }, internal: status >= 500 };
}

export function notFoundError(method: string, url: string): XdrError {
  return new XdrError('XDR_ERR_NOT_FOUND', `no endpoint ${method} ${url.split('?')[0]}; the API is listed at /docs`);
}
