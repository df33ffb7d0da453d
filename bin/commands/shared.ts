/**
 * What every command shares: reading inputs, AWS client settings and the early check of region
 * and credentials, progress on a terminal, and writing results.
 */
import { readFileSync } from 'node:fs';
import { type OptionValues, readFlag, readString } from '../../lib/cli/args.ts';
import type { FailureContext } from '../../lib/cli/exit-codes.ts';
import { createProgress, type Progress } from '../../lib/cli/progress.ts';

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
