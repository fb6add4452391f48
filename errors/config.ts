/**
 * Configuration codes (ConfigError). An invalid configuration is reported once
 * with EVERY problem found (path + what to fix), so an operator fixes the file
 * in one pass. Route edits through the admin API reuse the config checks, hence
 * the 400s.
 */
import { defineErrors } from './define.js';

export const CONFIG_ERRORS = defineErrors({
  CONFIG_ERR_FILE_UNREADABLE: {
    message: 'the configuration file cannot be read',
    status: 500,
    retriable: false,
    fix: 'check the path given with `--config` and its permissions',
  },
  CONFIG_ERR_YAML_SYNTAX: {
    message: 'the configuration file is not valid YAML',
    status: 400,
    retriable: false,
    fix: 'fix the YAML at the line named in the message',
  },
  CONFIG_ERR_INVALID: {
    message: 'the configuration has one or more invalid values (each listed with its path)',
    status: 400,
    retriable: false,
    fix: 'fix every `path: what to fix` line of the message (docs/config.md lists every setting)',
  },
});
