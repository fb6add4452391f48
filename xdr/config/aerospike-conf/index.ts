/** aerospike.conf's namespace stanzas as the YAML's namespaces (docs/config.md, `namespaces-from`). */
export { parseAerospikeConf, CONF_BYTES_MAX, CONF_DEPTH_MAX, type ConfItem, type ConfSetting, type ConfStanza } from './tree.js';
export { mapConfNamespaces, type ConfNamespaces } from './namespaces.js';
export { DEVICE_SETTINGS, MEMORY_SETTINGS, NAMESPACE_SETTINGS, OTHER_STANZAS } from './settings.js';
