/**
 * Small readers for environment-style configuration (`Record<string, string | undefined>`). Each one
 * either returns a usable value or throws a {@link ConfigError} that names the variable, so a bad
 * deploy fails at cold start with a message an operator can act on.
 */
import { ConfigError } from './errors.ts';

/** Environment-style input: what `process.env` looks like, passed in so `lib/` never reads it itself. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The same as {@link Env}. */
export type Environment = Env;

/** The trimmed value of `name`, or `undefined` when it is absent or blank. */
export function readOptional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** The trimmed value of `name`; throws when it is absent or blank. */
export function readRequired(env: Env, name: string): string {
  const value = readOptional(env, name);
  if (value === undefined) throw new ConfigError(name, 'is required');
  return value;
}

/**
 * A finite number in `[min, max]`, or `fallback` when the variable is absent or blank.
 * With `integer`, fractions are refused.
 */
export function readNumber(
  env: Env,
  name: string,
  options: { fallback: number; min: number; max: number; integer?: boolean },
): number {
  const raw = readOptional(env, name);
  if (raw === undefined) return options.fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new ConfigError(name, `'${raw}' is not a number`);
  if (options.integer === true && !Number.isInteger(value)) {
    throw new ConfigError(name, `'${raw}' is not a whole number`);
  }
  if (value < options.min || value > options.max) {
    throw new ConfigError(name, `${value} is outside ${options.min}..${options.max}`);
  }
  return value;
}

/**
 * A comma-separated list: items trimmed, blanks dropped. `undefined` when the variable is absent, so
 * callers can tell "not set" (use a default) from "set to empty" (an empty list).
 */
export function readList(env: Env, name: string): string[] | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A configuration read that either worked or failed with the error it threw. */
export type ReadResult<T> = { ok: true; value: T } | { ok: false; error: Error };

/**
 * Runs a configuration read and keeps its error instead of throwing at module load. A Lambda whose
 * module fails to load cannot answer anything; holding the error lets the first invocation answer a
 * CloudFormation custom resource FAILED with the variable's name, then throw it.
 */
export function tryRead<T>(read: () => T): ReadResult<T> {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** An integer in `[min, max]`, or `fallback` when absent or blank. */
export function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  return readNumber(env, name, { fallback, min, max, integer: true });
}

/** One of `allowed`, or `fallback` when absent or blank. */
export function readChoice<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = readOptional(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got '${raw}'`);
  }
  return raw as T;
}

/** An ARN of `service` (e.g. `sns`) in any partition, or `undefined` when absent or blank. */
export function readArn(env: Env, name: string, service: string): string | undefined {
  const raw = readOptional(env, name);
  if (raw === undefined) return undefined;
  if (!new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:.+$`).test(raw)) {
    throw new ConfigError(name, `expected an ${service} ARN, got '${raw}'`);
  }
  return raw;
}
