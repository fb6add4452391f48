/**
 * `namespaces-from: ./aerospike.conf`: reads the namespace stanzas of an
 * aerospike.conf (path relative to the YAML file) into the YAML document's
 * `namespaces`, before validation, so they are checked like namespaces written
 * in YAML; problems those checks find are then pointed back at the
 * aerospike.conf's file:line:column (locate).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type ConfigProblem } from './errors.js';
import { mapConfNamespaces, parseAerospikeConf } from './aerospike-conf/index.js';

export interface NamespacesFrom {
  /** The document with the aerospike.conf's namespaces merged into `namespaces`. */
  doc: Record<string, unknown>;
  /** Absolute path of the aerospike.conf, the namespaces it gave, and what in it was not read. */
  origin?: { file: string; namespaces: string[]; notRead: string[] };
  /** YAML path → aerospike.conf file:line:column. */
  locations: Map<string, string>;
  problems: ConfigProblem[];
}

/** `yamlFile` is the YAML's path ('<inline>': relative paths are taken from the working directory). */
export function readNamespacesFrom(doc: Record<string, unknown>, yamlFile: string): NamespacesFrom {
  const ref = doc['namespaces-from'];
  if (typeof ref !== 'string' || ref.length === 0) return { doc, locations: new Map(), problems: [] };
  const base = yamlFile === '<inline>' ? process.cwd() : path.dirname(path.resolve(yamlFile));
  const file = path.resolve(base, ref);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('CONFIG_ERR_FILE_UNREADABLE', `cannot read ${file} (namespaces-from in ${yamlFile}): ${(err as Error).message}; the path is relative to the YAML file`,
      { file, problems: [] }, { cause: err });
  }
  const mapped = mapConfNamespaces(parseAerospikeConf(text, file), file);
  if (mapped.problems.length > 0) {
    const lines = mapped.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
    throw new ConfigError('CONFIG_ERR_AEROSPIKE_CONF_UNSUPPORTED',
      `${file} (namespaces-from) has ${mapped.problems.length} setting${mapped.problems.length === 1 ? '' : 's'} that cannot be used here:\n${lines}`,
      { file, problems: mapped.problems });
  }
  const problems: ConfigProblem[] = [];
  const yamlNamespaces = doc.namespaces;
  const merged: Record<string, unknown> = yamlNamespaces !== null && typeof yamlNamespaces === 'object' && !Array.isArray(yamlNamespaces) ? { ...yamlNamespaces } : {};
  for (const [name, ns] of Object.entries(mapped.namespaces)) {
    if (Object.hasOwn(merged, name)) problems.push({ path: `namespaces.${name}`, message: `is also defined in ${file} (${mapped.locations.get(`namespaces.${name}`)}); define each namespace in one place` });
    else merged[name] = ns;
  }
  return {
    doc: { ...doc, namespaces: merged },
    origin: { file, namespaces: Object.keys(mapped.namespaces), notRead: mapped.notRead },
    locations: mapped.locations,
    problems,
  };
}

/** Prefixes a problem whose path came from the aerospike.conf with its file:line:column (the closest enclosing setting or stanza). */
export function locate(problems: ConfigProblem[], locations: Map<string, string>): ConfigProblem[] {
  if (locations.size === 0) return problems;
  return problems.map((p) => {
    let key = p.path;
    while (key !== '') {
      const at = locations.get(key);
      if (at !== undefined) return { path: `${at} (${p.path})`, message: p.message };
      const cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
      key = cut > 0 ? key.slice(0, cut) : '';
    }
    return p;
  });
}
