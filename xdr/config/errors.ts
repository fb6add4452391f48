/**
 * The configuration's error class; its codes are declared in errors/config.ts.
 * An invalid configuration is reported once with EVERY problem found (path +
 * what to fix), so an operator fixes the file in one pass.
 */
import { CONFIG_ERRORS, errorClass, errorGuard } from '../../errors/index.js';

export { CONFIG_ERRORS };
export type ConfigErrorCode = keyof typeof CONFIG_ERRORS;

/** One thing wrong with the configuration: a dotted path and what to fix. */
export interface ConfigProblem {
  path: string;
  message: string;
}

export class ConfigError extends errorClass('ConfigError', CONFIG_ERRORS) {
  declare readonly details: { file?: string; problems: ConfigProblem[] };

  constructor(code: ConfigErrorCode, message: string, details: { file?: string; problems: ConfigProblem[] }, options?: { cause?: unknown }) {
    super(code, message, details, options);
  }

  get problems(): ConfigProblem[] {
    return this.details.problems;
  }
}

export const isConfigError = errorGuard(ConfigError);

export function invalidConfig(file: string | undefined, problems: ConfigProblem[]): ConfigError {
  const where = file ? ` in ${file}` : '';
  const lines = problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
  return new ConfigError('CONFIG_ERR_INVALID', `invalid configuration${where} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines}`, {
    ...(file ? { file } : {}),
    problems,
  });
}
