/**
 * What every command shares: reading inputs, AWS client settings and the early check of region
 * and credentials, progress on a terminal, and writing results.
 */
import { readFileSync } from 'node:fs';
import { type MetricDefinition, parseMetricDefinitions } from '../../lib/classify/index.ts';
import { ConfigError } from '../../lib/errors.ts';
import { type OperatorRules, parseOperatorRules } from '../../lib/operator-rules/index.ts';
import { type OptionValues, readFlag, readString } from '../args.ts';
import { type FailureContext, InputError, UsageError } from '../exit-codes.ts';
import { createProgress, type Progress } from '../progress.ts';

/** A command: its parsed arguments in, an exit code out. */
export type CommandRun = (values: OptionValues, positionals: string[]) => Promise<number>;

/** Filled in as a command learns it, so error messages can name the profile and Region. */
export const failureContext: FailureContext = {};

/** Reads a file, or standard input for `-`. Errors (ENOENT, EACCES, ...) are left to the caller. */
export async function readInput(path: string): Promise<string> {
  if (path !== '-') return readFileSync(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes text to stdout, ending with a line break. */
export function print(lines: string | readonly string[]): void {
  const text = typeof lines === 'string' ? lines : lines.join('\n');
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes a JSON document (pretty) or a JSON line (compact) to stdout. */
export function printJson(value: unknown, compact = false): void {
  process.stdout.write(`${JSON.stringify(value, null, compact ? undefined : 2)}\n`);
}

/** Writes a note to stderr (kept off stdout, which holds results). */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** The terminal's width, or 120 when output goes elsewhere. */
export function terminalWidth(): number {
  return process.stdout.columns || 120;
}

/** A progress line on stderr, shown only when stdout is a terminal and the output is not JSON. */
export function progressFor(values: OptionValues): Progress {
  return createProgress({
    enabled: Boolean(process.stdout.isTTY && process.stderr.isTTY) && !readFlag(values, 'json'),
    write: (text) => process.stderr.write(text),
    now: () => performance.now(),
    // A terminal may report 0 columns (no window size): fall back then too.
    width: process.stderr.columns || 80,
  });
}

/** AWS SDK client settings from `--region`, `--profile`, `--endpoint-url` (else the SDK's usual chain). */
export function awsClientConfig(values: OptionValues): {
  region?: string;
  profile?: string;
  endpoint?: string;
} {
  const region = readString(values, 'region');
  const profile = readString(values, 'profile') ?? process.env.AWS_PROFILE;
  const endpoint = readString(values, 'endpoint-url');
  if (profile) failureContext.profile = profile;
  return {
    ...(region === undefined ? {} : { region }),
    ...(readString(values, 'profile') === undefined
      ? {}
      : { profile: readString(values, 'profile') as string }),
    ...(endpoint === undefined ? {} : { endpoint }),
  };
}

/**
 * Resolves the client's Region and credentials before any work, so a missing one fails at once with
 * a clear message (exit 3) instead of after reading files or deep inside a retry loop.
 *
 * @returns the Region.
 */
export async function checkAwsSetup(client: {
  config: { region: unknown; credentials: unknown };
}): Promise<string> {
  const { region, credentials } = client.config;
  const resolved = typeof region === 'function' ? await (region as () => Promise<string>)() : String(region);
  failureContext.region = resolved;
  if (typeof credentials === 'function') await (credentials as () => Promise<unknown>)();
  return resolved;
}

/**
 * Metric definitions from `--metric-definitions` (JSON, or a file holding it), else from the
 * METRIC_DEFINITIONS variable's value. Bad definitions from the option are a usage error (exit 2),
 * from the variable a configuration error (exit 3); an unreadable file is exit 4.
 */
export function readMetricDefinitions(values: OptionValues, fromEnv: string | undefined): MetricDefinition[] {
  const option = readString(values, 'metric-definitions');
  if (option === undefined) return fromEnv?.trim() ? parseMetricDefinitions(fromEnv) : [];
  const trimmed = option.trim();
  let json = trimmed;
  // JSON starts with [ or {; anything else names a file holding it.
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) {
    try {
      json = readFileSync(option, 'utf8');
    } catch (error) {
      throw new InputError(`--metric-definitions: cannot read '${option}': ${(error as Error).message}`);
    }
  }
  try {
    return parseMetricDefinitions(json, '--metric-definitions');
  } catch (error) {
    throw error instanceof ConfigError ? new UsageError(error.message) : error;
  }
}

/**
 * An operator rules file from `option` (`--rules`), or `undefined` when the option is not given.
 * An unreadable file is exit 4; a document the processor would refuse is a usage error (exit 2)
 * naming the file, the entry and the problem.
 */
export function readRulesFile(values: OptionValues, option = 'rules'): OperatorRules | undefined {
  const path = readString(values, option);
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`--${option}: cannot read '${path}': ${(error as Error).message}`);
  }
  try {
    return parseOperatorRules(text, path);
  } catch (error) {
    throw error instanceof ConfigError ? new UsageError(`--${option} ${error.message}`) : error;
  }
}
