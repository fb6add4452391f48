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
  CONFIG_ERR_AEROSPIKE_CONF_SYNTAX: {
    message: 'the aerospike.conf named by namespaces-from is not readable as stanzas and settings',
    status: 400,
    retriable: false,
    fix: 'fix the brace or line at the file:line:column named in the message',
  },
  CONFIG_ERR_AEROSPIKE_CONF_UNSUPPORTED: {
    message: 'the aerospike.conf named by namespaces-from has settings that mean nothing to a region gateway',
    status: 400,
    retriable: false,
    fix: 'remove or replace each setting at the file:line named in the message, as the message says (docs/from-aerospike.md lists every setting)',
  },
  CONFIG_ERR_DIRECT_IO_UNSUPPORTED: {
    message: 'direct-io is set but the file system of a device refuses O_DIRECT',
    status: 400,
    retriable: false,
    fix: 'put the devices on a file system that supports O_DIRECT (ext4, xfs; not tmpfs) or remove direct-io',
  },
});
