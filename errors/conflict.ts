/**
 * Codes of the conflict resolvers (ConflictError). Resolvers never fail on
 * well-formed versions; these cover configuration mistakes (a route naming an
 * unknown resolver or a bad custom module: 400), broken custom modules and
 * inputs that break the contract (500).
 */
import { defineErrors } from './define.js';

export const CONFLICT_ERRORS = defineErrors({
  CONFLICT_ERR_UNKNOWN_RESOLVER: {
    message: 'no built-in resolver has that name',
    status: 400,
    retriable: false,
    fix: "set the route's resolver to lww, generation or bin-lww, or to custom with customResolverPath",
  },
  CONFLICT_ERR_RECORD_MISMATCH: {
    message: 'local and incoming versions belong to different records',
    status: 500,
    retriable: false,
    fix: "a bug in the caller: look up the local version by the incoming version's namespace and digest",
  },
  CONFLICT_ERR_CUSTOM_THREW: {
    message: 'a custom resolver threw; the local record was kept',
    status: 500,
    retriable: false,
    fix: "fix the custom module (the error's cause has its exception); the record converges again once a later version arrives",
  },
  CONFLICT_ERR_CUSTOM_INVALID_DECISION: {
    message: 'a custom resolver returned a malformed decision; the local record was kept',
    status: 500,
    retriable: false,
    fix: "return { action: 'keep-local' | 'take-incoming' | 'merge', reason, version? } synchronously (docs/conflict.md)",
  },
  CONFLICT_ERR_INVALID_MODULE: {
    message: 'a custom resolver module exports no resolve function',
    status: 400,
    retriable: false,
    fix: 'export `function resolve(local, incoming, ctx)` (or a default function) from the module',
  },
});
