/**
 * The persisted list of a namespace's index definitions (JSON, versioned). The
 * indexes themselves are never persisted: they are rebuilt from the records at
 * start, so they can never disagree with the data after a crash.
 */
import type { SecondaryIndexSpec } from '../api.js';
import { opsError } from '../operations/index.js';
import { checkIndexSpec, normaliseSpec } from './registry.js';

const FORMAT = 'xdrgate-sindex-specs';
const VERSION = 1;

export function encodeIndexSpecs(specs: readonly SecondaryIndexSpec[]): string {
  return JSON.stringify({ format: FORMAT, version: VERSION, indexes: specs.map(normaliseSpec) }, null, 2) + '\n';
}

/** Parses a spec file; `file` names it in the error when it is damaged. */
export function decodeIndexSpecs(text: string, file: string): SecondaryIndexSpec[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw opsError('ENGINE_ERR_CORRUPTED_STORAGE', `secondary index definitions in ${file} are not valid JSON; fix or delete the file and re-create the indexes`, {
      file,
      cause: String(err),
    });
  }
  const doc = parsed as { format?: unknown; version?: unknown; indexes?: unknown };
  if (doc?.format !== FORMAT || doc.version !== VERSION || !Array.isArray(doc.indexes)) {
    throw opsError('ENGINE_ERR_CORRUPTED_STORAGE', `${file} is not a version-${VERSION} secondary index definition file`, { file });
  }
  return doc.indexes.map((spec: SecondaryIndexSpec) => {
    try {
      checkIndexSpec(spec);
    } catch (err) {
      throw opsError('ENGINE_ERR_CORRUPTED_STORAGE', `${file} holds an invalid index definition: ${(err as Error).message}`, { file });
    }
    return normaliseSpec(spec);
  });
}
