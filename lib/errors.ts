/**
 * A configuration value that cannot be used. Thrown at cold start (or by the CLI before any work),
 * so a bad deploy fails at once with a message that names the variable.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** The environment variable or option that holds the bad value. */
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.variable = variable;
  }
}
