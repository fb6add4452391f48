/**
 * Configuration errors. An invalid configuration is reported once with EVERY
 * problem found (path + what to fix), so an operator fixes the file in one pass.
 */

export const CONFIG_ERRORS = {
  CONFIG_ERR_FILE_UNREADABLE: { retriable: false, summary: 'the configuration file cannot be read' },
  CONFIG_ERR_YAML_SYNTAX: { retriable: false, summary: 'the configuration file is not valid YAML' },
  CONFIG_ERR_INVALID: { retriable: false, summary: 'the configuration has one or more invalid values (each listed with its path)' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type ConfigErrorCode = keyof typeof CONFIG_ERRORS;

/** One thing wrong with the configuration: a dotted path and what to fix. */
export interface ConfigProblem {
  path: string;
  message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  readonly retriable: boolean;
  readonly details: { file?: string; problems: ConfigProblem[] };

  constructor(code: ConfigErrorCode, message: string, details: { file?: string; problems: ConfigProblem[] }, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.retriable = CONFIG_ERRORS[code].retriable;
    this.details = details;
  }

  get problems(): ConfigProblem[] {
    return this.details.problems;
  }
}

export function invalidConfig(file: string | undefined, problems: ConfigProblem[]): ConfigError {
  const where = file ? ` in ${file}` : '';
  const lines = problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
  return new ConfigError('CONFIG_ERR_INVALID', `invalid configuration${where} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines}`, {
    ...(file ? { file } : {}),
    problems,
  });
}

export function isConfigError(err: unknown, code?: ConfigErrorCode): err is ConfigError {
  return err instanceof ConfigError && (code === undefined || err.code === code);
}
