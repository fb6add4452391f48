/** Secrets handling shared by the gateway's loggers and printers. */
export { REDACTED, REDACT_PATHS, censor, gatewayLoggerOptions, redactConfig, redactUrl } from './redact.js';
