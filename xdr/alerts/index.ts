/** Alert rules evaluated in the gateway (docs/observability.md, "Alerts"): the table, the evaluator, GET /v1/xdr/alerts. */
export { ALERT_RULES, ALERT_DEFAULTS, RULE_INFO, type AlertRule, type AlertSeverity, type AlertThresholds, type RuleInfo } from './rules.js';
export { AlertEvaluator, growingForMs, type Alert, type AlertInput, type AlertsSnapshot } from './evaluate.js';
export { registerAlertsRoute } from './route.js';
