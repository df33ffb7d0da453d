/**
 * The CLI reads the same settings as the Lambda functions, from the same variables, through the same
 * validating readers; an option overrides its variable.
 */
import { ConfigError } from '../lib/errors.ts';
import type { OptionValues } from './args.ts';
import { UsageError } from './exit-codes.ts';

/** Environment-style settings. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Option name (without `--`) → the variable it overrides. */
export type OptionVariables = Readonly<Record<string, string>>;

/**
 * The environment with the given options laid over their variables. A repeated option becomes the
 * comma-separated list the variable holds; booleans are ignored.
 */
export function overlayOptions(env: Env, mapping: OptionVariables, values: OptionValues): Env {
  const out: Record<string, string | undefined> = { ...env };
  for (const [option, variable] of Object.entries(mapping)) {
    const value = values[option];
    if (typeof value === 'string') out[variable] = value;
    else if (Array.isArray(value) && value.length > 0) out[variable] = value.join(',');
  }
  return out;
}

/**
 * Runs a configuration reader. When it refuses a value that an option gave, that is a usage error
 * naming the option (exit 2); a value from the environment (or a missing one) stays a
 * {@link ConfigError} naming the variable (exit 3), with the option that could set it.
 */
export function readWithOptions<T>(mapping: OptionVariables, values: OptionValues, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const option = Object.entries(mapping).find(([, variable]) => variable === error.variable)?.[0];
    if (option === undefined) throw error;
    const problem = error.message.startsWith(`${error.variable}: `)
      ? error.message.slice(error.variable.length + 2)
      : error.message;
    const given = values[option];
    if (given === undefined || typeof given === 'boolean') {
      throw new ConfigError(error.variable, `${problem} (or pass --${option})`);
    }
    throw new UsageError(`--${option}: ${problem}`);
  }
}
