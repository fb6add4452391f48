/**
 * Codes of the replication wiring (ReplicationError, xdr/replication); route
 * admin calls drive the pipeline, so they have HTTP statuses too.
 */
import { defineErrors } from './define.js';

export const REPLICATION_ERRORS = defineErrors({
  XDR_ERR_REPLICATION_UNKNOWN_ROUTE: {
    message: 'the replication pipeline runs no route of that name',
    status: 404,
    retriable: false,
    fix: "pause, resume and rewind a route at its source region's gateway; `GET /v1/xdr/routes` lists them",
  },
  XDR_ERR_REPLICATION_UNKNOWN_REGION: {
    message: "a route's source or destination is not among the configured regions",
    status: 400,
    retriable: false,
    fix: "add the region (name, id, Kafka brokers) to `regions` in every gateway's config",
  },
  XDR_ERR_REPLICATION_ROUTE_INVALID: {
    message: 'the route cannot run here (source equals destination, or this region is neither end)',
    status: 400,
    retriable: false,
    fix: "fix the route's source and destination",
  },
  XDR_ERR_CUSTOM_RESOLVER_LOAD: {
    message: 'the custom resolver module cannot be imported or exports no resolve function',
    status: 400,
    retriable: false,
    fix: "fix `custom-resolver-path` (relative paths resolve against the gateway's working directory) and export `resolve(local, incoming, ctx)`",
  },
  XDR_ERR_TOPIC_SETUP: {
    message: "the route's topics could not be created in the source Kafka",
    status: 503,
    retriable: true,
    fix: 'check the source Kafka; shipping and receiving wait and retry until the topics exist',
  },
  XDR_ERR_REPLICATION_STOPPED: {
    message: 'the replication pipeline was stopped',
    status: 503,
    retriable: false,
    fix: 'the gateway is shutting down; retry against the restarted gateway',
  },
});
