/** Where a region's gateway answers, from a URL, the environment or the region's config file. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig, urlEnvNameForRegion } from '../config/index.js';
import { VerifyError } from './errors.js';

export const urlEnvName = urlEnvNameForRegion;

/**
 * A region's gateway URL: the value itself when it is a URL; else
 * $XDRGATE_URL_<REGION>; else the listen address of <configDir>/<region>.yaml
 * (the files `xdrgate up` and docker-compose use).
 */
export function resolveRegionUrl(value: string, configDir: string, env: Record<string, string | undefined> = process.env): { name: string; url: string } {
  if (/^https?:\/\//.test(value)) return { name: new URL(value).host, url: value };
  const fromEnv = env[urlEnvName(value)];
  if (fromEnv) return { name: value, url: fromEnv };
  const file = path.join(configDir, `${value}.yaml`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new VerifyError('XDR_ERR_VERIFY_REGION_UNKNOWN', `region ${value}: no ${file} and no ${urlEnvName(value)}; pass the gateway URL (--from http://host:port) or --config-dir`, { region: value });
  }
  // The file's own addresses, not this shell's overrides (which describe one gateway).
  const config = parseConfig(text, { file, env: {} });
  const host = ['0.0.0.0', '::', '[::]'].includes(config.listen.host) ? '127.0.0.1' : config.listen.host;
  return { name: value, url: `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.listen.port}` };
}
