/**
 * Codes of `xdrgate verify` and of the partition admin endpoints behind it
 * (VerifyError).
 */
import { defineErrors } from './define.js';

export const VERIFY_ERRORS = defineErrors({
  XDR_ERR_VERIFY_REGION_UNKNOWN: {
    message: 'a region given to `xdrgate verify` is neither a URL nor a region with `config/<region>.yaml` or `XDRGATE_URL_<REGION>`',
    status: 400,
    retriable: false,
    fix: 'pass the gateway URL (`--from http://host:port`), set `XDRGATE_URL_<REGION>`, or point `--config-dir` at the region configs',
  },
  XDR_ERR_VERIFY_NAMESPACE_MISSING: {
    message: 'a namespace named with `--ns` is not configured in one of the two regions',
    status: 404,
    retriable: false,
    fix: 'check the name; verify compares only namespaces both regions have',
  },
  XDR_ERR_VERIFY_UNAVAILABLE: {
    message: 'this gateway cannot list its partitions (its engine does not expose them)',
    status: 503,
    retriable: true,
    fix: 'run verify against gateways started with `xdrgate serve` (the real engine)',
  },
  XDR_ERR_VERIFY_BAD_RANGE: {
    message: 'a partition id or range is outside 0..4095, or `from` exceeds `to`',
    status: 400,
    retriable: false,
    fix: 'ask for partitions 0..4095',
  },
});
