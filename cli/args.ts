/**
 * Command-line parsing for the `sagewatch` CLI on top of `node:util` `parseArgs`, which does the
 * tokenising; this module adds what it lacks: one declaration per command that drives both parsing
 * and `--help`, positional counts, typed readers for option values, and usage errors (exit code 2).
 */
import { parseArgs } from 'node:util';
import { UsageError } from './exit-codes.ts';

/** One option of a command. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The option may be given several times; its value is then a list. */
  multiple?: boolean;
  /** Placeholder for the value in `--help` (`<name>`). */
  value?: string;
  description: string;
  /** Default for a boolean option; booleans defaulting to true accept `--no-<name>`. */
  default?: boolean;
}

/** One command: what it parses and what `--help` says. */
export interface CommandSpec {
  name: string;
  /** One line: what the command does. */
  summary: string;
  /** Usage lines after `sagewatch <name> `. */
  usage: readonly string[];
  /** Paragraphs after the summary. */
  description?: readonly string[];
  options: Readonly<Record<string, OptionSpec>>;
  /** How many positional arguments the command takes. */
  positionals: { min: number; max: number };
  examples?: readonly string[];
}

/** Parsed option values: a string, a boolean, a list (`multiple`), or absent. */
export type OptionValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** The result of {@link parseCommandArgs}. */
export interface ParsedCommand {
  values: OptionValues;
  positionals: string[];
  /** `--help` was given: print help, ignore everything else. */
  help: boolean;
}

/** `-h, --help`, which every command has. */
export const HELP_OPTION: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
};

/** `--json`, for commands whose output scripts read. */
export const JSON_OPTION: Readonly<Record<string, OptionSpec>> = {
  json: { type: 'boolean', description: 'Print one JSON document (or JSON lines) instead of text.' },
};

/** Standard AWS settings, for commands that call AWS (they override the environment). */
export const AWS_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  region: {
    type: 'string',
    value: 'region',
    description: 'AWS Region (default: AWS_REGION or the profile).',
  },
  profile: { type: 'string', value: 'name', description: 'AWS profile (default: AWS_PROFILE).' },
  'endpoint-url': {
    type: 'string',
    value: 'url',
    description: 'AWS endpoint, e.g. a local emulator (default: AWS_ENDPOINT_URL).',
  },
};

const usageHint = (spec: CommandSpec): string => `run \`sagewatch ${spec.name} --help\``;

/**
 * Parses `argv` (the arguments after the command name) against the command's spec.
 *
 * @throws {UsageError} on an unknown option, a missing or unexpected value, or a wrong number of
 * positional arguments (unless `--help` was given).
 */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedCommand {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    options[name] = {
      type: option.type,
      ...(option.short === undefined ? {} : { short: option.short }),
      ...(option.multiple === undefined ? {} : { multiple: option.multiple }),
    };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs reports usage problems as TypeErrors with an ERR_PARSE_ARGS_* code.
    throw new UsageError(`${(error as Error).message} (${usageHint(spec)})`);
  }
  const values: Record<string, string | boolean | string[] | undefined> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    const value = parsed.values[name] as string | boolean | string[] | undefined;
    values[name] = value ?? option.default;
  }
  const help = values.help === true;
  const { positionals } = parsed;
  if (!help && positionals.length < spec.positionals.min) {
    throw new UsageError(
      `missing argument: sagewatch ${spec.name} ${spec.usage[0] ?? ''} (${usageHint(spec)})`,
    );
  }
  if (!help && positionals.length > spec.positionals.max) {
    throw new UsageError(`unexpected argument '${positionals[spec.positionals.max]}' (${usageHint(spec)})`);
  }
  return { values, positionals, help };
}

/** A string option's value, or undefined. */
export function readString(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A boolean option's value (false when absent). */
export function readFlag(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

/** A `multiple` option's values (empty when absent). */
export function readList(values: OptionValues, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value : [];
}

/**
 * A whole number in `[min, max]` from option `--name`, or `fallback` when absent.
 *
 * @throws {UsageError} naming the option.
 */
export function readIntegerOption(
  values: OptionValues,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = readString(values, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`--${name}: expected a whole number, got '${raw}'`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new UsageError(`--${name}: expected ${min}–${max}, got ${value}`);
  return value;
}

/**
 * One of `allowed` from option `--name`, or `fallback` when absent.
 *
 * @throws {UsageError} naming the option and the choices.
 */
export function readChoiceOption<T extends string>(
  values: OptionValues,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = readString(values, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name}: expected one of ${allowed.join(', ')}, got '${raw}'`);
  }
  return raw as T;
}

function optionLabel(name: string, option: OptionSpec): string {
  const short = option.short ? `-${option.short}, ` : '    ';
  const negatable = option.type === 'boolean' && option.default === true ? `[no-]` : '';
  const value = option.type === 'string' ? ` <${option.value ?? 'value'}>` : '';
  return `${short}--${negatable}${name}${value}`;
}

/** Help text is wrapped to this width: readable in an 80–120 column terminal. */
export const HELP_WIDTH = 100;

/** Wraps a paragraph at spaces to lines of at most `width` (a longer word stays whole). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current !== '' && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

/** The `--help` text of a command. */
export function formatHelp(spec: CommandSpec): string {
  const lines: string[] = [];
  spec.usage.forEach((usage, i) => {
    lines.push(`${i === 0 ? 'Usage:' : '      '} sagewatch ${spec.name} ${usage}`.trimEnd());
  });
  lines.push('', spec.summary);
  for (const paragraph of spec.description ?? []) lines.push('', ...wrapText(paragraph, HELP_WIDTH));
  const entries = Object.entries(spec.options).map(([name, option]) => {
    const repeat = option.multiple ? ' (repeatable)' : '';
    return [optionLabel(name, option), `${option.description}${repeat}`] as const;
  });
  const width = Math.max(...entries.map(([label]) => label.length));
  lines.push('', 'Options:');
  for (const [label, description] of entries) lines.push(`  ${label.padEnd(width)}  ${description}`);
  if (spec.examples?.length) {
    lines.push('', 'Examples:');
    for (const example of spec.examples) lines.push(`  ${example}`);
  }
  return `${lines.join('\n')}\n`;
}
