/**
 * Codes of the gateway itself (XdrError): the HTTP layer, route administration,
 * the process.
 */
import { defineErrors } from './define.js';
import { ResultCode } from './result-codes.js';

export const XDR_ERRORS = defineErrors({
  XDR_ERR_BAD_REQUEST: {
    message: 'the request is malformed: invalid JSON, a missing or mistyped field, or a bad key',
    status: 400,
    retriable: false,
    fix: 'fix the field named in the message (docs/http-api.md, or the OpenAPI page at /docs)',
  },
  XDR_ERR_UNAUTHORIZED: {
    message: 'the request lacks the credentials this gateway is configured with (auth-token, or a user of service.users)',
    status: 401,
    retriable: false,
    fix: 'send `Authorization: Bearer <auth-token>` (CLI: `--token` or XDRGATE_TOKEN), or with service.users `Authorization: Basic <user:password>` or `Authorization: Bearer <session from POST /v1/login>` (docs/security.md)',
  },
  XDR_ERR_NOT_FOUND: {
    message: 'no endpoint answers to this method and path',
    status: 404,
    retriable: false,
    fix: 'check the path against /docs',
  },
  XDR_ERR_PAYLOAD_TOO_LARGE: {
    message: 'the request body is larger than body-limit',
    status: 413,
    retriable: false,
    fix: 'send smaller requests or raise body-limit in the config',
  },
  XDR_ERR_UNSUPPORTED_MEDIA_TYPE: {
    message: 'the request body is not application/json',
    status: 415,
    retriable: false,
    fix: 'send `Content-Type: application/json`',
  },
  XDR_ERR_ROUTE_NOT_FOUND: {
    message: 'no route of that name exists',
    status: 404,
    retriable: false,
    fix: 'list routes with `GET /v1/xdr/routes` or `xdrgate route list`',
  },
  XDR_ERR_ROUTE_INVALID: {
    message: 'the route refers to an unknown region or namespace, or its options contradict each other',
    status: 400,
    retriable: false,
    fix: 'fix the fields named in the message',
  },
  XDR_ERR_ROUTE_NOT_LOCAL: {
    message: "the route's source is another region; routes are edited at their source region",
    status: 409,
    retriable: false,
    fix: "send the request to the source region's gateway",
  },
  // Route states, not request failures: they reach HTTP only as notes in route listings.
  XDR_ERR_ROUTE_NAMESPACE_MISSING: {
    message: "the route's destination region has no namespace of that name; it does not receive the route until the namespace exists there",
    status: 409,
    retriable: false,
    fix: "add the namespace to the destination's config and restart it, or remove the route. Shown as route state `erroring` (destination `not_receiving`) at both ends, and as a warning in the answer to `route add` when the destination said so beforehand",
  },
  XDR_ERR_DESTINATION_SILENT: {
    message: "the route's destination has not reported its receiving status for several intervals (its gateway is down, or cannot reach Redis)",
    status: 503,
    retriable: true,
    fix: "check the destination's gateway and its Redis; shown as destination `not_reporting since T` (docs/observability.md, \"Route state\")",
  },
  // Also a shipped write that reaches the service port of a gateway still starting (replication not up).
  XDR_ERR_NOT_READY: {
    message: 'the gateway is starting or shutting down',
    status: 503,
    resultCode: ResultCode.UNAVAILABLE,
    retriable: true,
    fix: 'retry shortly; `GET /readyz` says when it is ready',
  },
  XDR_ERR_INTERNAL: {
    message: 'an unexpected failure inside the gateway',
    status: 500,
    retriable: true,
    fix: 'retry; if it persists, read the gateway log (the error is logged with its stack)',
  },
  // Raised by the CLI's HTTP client, not by a gateway: the request never reached one.
  XDR_ERR_UNREACHABLE: {
    message: 'the CLI cannot reach the gateway at its --url (connection refused, DNS, timeout)',
    status: 503,
    retriable: true,
    fix: 'start the gateway (`xdrgate up` or `xdrgate serve`), or point `--url` / XDRGATE_URL at it',
  },
  // Raised by the CLI's HTTP client: a query or scan stream ended without its last line.
  XDR_ERR_STREAM_CUT: {
    message: 'a streamed answer (query, scan) ended before its last `{"$done": true}` line: the gateway stopped it (restart, timeout, a record it could not read)',
    status: 502,
    retriable: true,
    fix: 'run the command again; the gateway log says why the stream ended (`query stream ended early`)',
  },
  // Process start-up refusals (not on the request path): another process owns the folder or the address.
  XDR_ERR_DIR_LOCKED: {
    message: "a data folder (a gateway's data-dir, an `xdrgate up` folder, a Kafka broker's dir) is owned by another live process; the message names it (pid, command line, since when)",
    status: 409,
    retriable: false,
    fix: 'the gateway, `up` or broker did not start and touched nothing. If the named process is the one you meant to run, use it; else stop it (`kill <pid>`, Ctrl-C in its terminal) or give this process another folder (`data-dir` / `XDRGATE_DATA_DIR`, `xdrgate up --data-dir`). The lock is a kernel flock on `<folder>/LOCK`: a crashed owner (even kill -9) releases it by itself, so never delete LOCK (docs/operations.md)',
  },
  XDR_ERR_PARENT_PID_INVALID: {
    message: 'XDRGATE_PARENT_PID (the pid a gateway stops with when that process is gone) is not a pid',
    status: 400,
    retriable: false,
    fix: 'set it to the pid of the process that starts the gateway (test runners and supervisors do), or unset it',
  },
  XDR_ERR_ADDRESS_IN_USE: {
    message: 'an address a gateway or a Kafka broker must listen on is already taken; the message names the listening process where the system shows it',
    status: 409,
    retriable: false,
    fix: 'nothing was started: the gateway fails before it joins a consumer group or starts a shipper. Stop the named process, or choose other ports (`listen` / `XDRGATE_LISTEN`, `xdrgate up --tokyo-port ... --tokyo-kafka-port ...`)',
  },
});
