/**
 * Operator-defined training metrics, in the shape of SageMaker's `MetricDefinitions`
 * (`{ Name, Regex }`, the first capture group is the value), so a team can reuse the definitions it
 * already passes to `CreateTrainingJob`.
 */
import * as z from 'zod';
import { ConfigError } from '../errors.ts';
import { createLogKeyedRecord } from '../text/log-keyed-record.ts';
import { group } from './regex.ts';
import { parseMetricNumber } from './training-metrics.ts';

/** One operator-defined metric: the name to report and a regex whose first group is the value. */
export interface MetricDefinition {
  name: string;
  regex: string;
}

/** A {@link MetricDefinition} with its regex compiled. */
export interface CompiledMetricDefinition {
  name: string;
  pattern: RegExp;
}

/** SageMaker accepts at most 40 metric definitions per training job (`AlgorithmSpecification`). */
export const MAX_METRIC_DEFINITIONS = 40;
/** SageMaker's `MetricDefinition.Name` length limit (also CloudWatch's metric name limit). */
export const MAX_METRIC_NAME_LENGTH = 255;
/** SageMaker's `MetricDefinition.Regex` length limit; it also bounds the cost of one operator regex. */
export const MAX_METRIC_REGEX_LENGTH = 500;

const DefinitionSchema = z
  .object({
    Name: z.string().optional(),
    name: z.string().optional(),
    Regex: z.string().optional(),
    regex: z.string().optional(),
  })
  .transform((entry) => ({ name: entry.Name ?? entry.name, regex: entry.Regex ?? entry.regex }));

/** The number of capture groups a regex source declares. */
function countCaptureGroups(pattern: RegExp): number {
  // An alternative that matches the empty string always matches, and exec reports every group.
  return (new RegExp(`${pattern.source}|`).exec('') as RegExpExecArray).length - 1;
}

/** Validates one entry; returns the problem, or the definition. */
function checkEntry(entry: unknown): string | MetricDefinition {
  const parsed = DefinitionSchema.safeParse(entry);
  if (!parsed.success) return 'must be an object with Name and Regex strings';
  const { name, regex } = parsed.data;
  if (name === undefined || name.length === 0) return 'Name is missing or empty';
  if (name.length > MAX_METRIC_NAME_LENGTH) return `Name is longer than ${MAX_METRIC_NAME_LENGTH} characters`;
  if (regex === undefined || regex.length === 0) return 'Regex is missing or empty';
  if (regex.length > MAX_METRIC_REGEX_LENGTH)
    return `Regex is longer than ${MAX_METRIC_REGEX_LENGTH} characters`;
  let pattern: RegExp;
  try {
    pattern = new RegExp(regex);
  } catch (error) {
    return `Regex does not compile: ${(error as Error).message}`;
  }
  if (countCaptureGroups(pattern) < 1) return 'Regex has no capture group for the value';
  return { name, regex };
}

/**
 * Parses and validates operator metric definitions from JSON, at cold start.
 *
 * Accepts SageMaker's PascalCase (`[{"Name": "loss", "Regex": "loss: ([0-9.]+)"}]`) and camelCase.
 *
 * @param json - a JSON array of definitions
 * @param variable - the environment variable the JSON came from, named in errors
 * @throws ConfigError naming the variable and, for a bad entry, its index
 * @example
 * parseMetricDefinitions('[{"Name":"val:f1","Regex":"val_f1=([0-9.]+)"}]')
 * // [{ name: 'val:f1', regex: 'val_f1=([0-9.]+)' }]
 */
export function parseMetricDefinitions(json: string, variable = 'METRIC_DEFINITIONS'): MetricDefinition[] {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new ConfigError(variable, `not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(document)) throw new ConfigError(variable, 'must be a JSON array of {Name, Regex}');
  if (document.length > MAX_METRIC_DEFINITIONS) {
    throw new ConfigError(variable, `has ${document.length} definitions; at most ${MAX_METRIC_DEFINITIONS}`);
  }
  const names = new Set<string>();
  return document.map((entry: unknown, index) => {
    const checked = checkEntry(entry);
    if (typeof checked === 'string') throw new ConfigError(variable, `entry ${index}: ${checked}`);
    if (names.has(checked.name))
      throw new ConfigError(variable, `entry ${index}: duplicate Name ${checked.name}`);
    names.add(checked.name);
    return checked;
  });
}

/** Compiles definitions once, for {@link applyMetricDefinitions}. Invalid ones are skipped. */
export function compileMetricDefinitions(
  definitions: readonly MetricDefinition[],
): CompiledMetricDefinition[] {
  const compiled: CompiledMetricDefinition[] = [];
  for (const definition of definitions) {
    const checked = checkEntry(definition);
    if (typeof checked !== 'string')
      compiled.push({ name: checked.name, pattern: new RegExp(checked.regex) });
  }
  return compiled;
}

/**
 * Applies operator definitions to one message: each definition's first capture group, when it parses
 * as a number (`nan` gives NaN), becomes that metric's value. The regex is tried on each candidate
 * text in turn (the decoded message first, then the raw one) and the first match counts.
 */
export function applyMetricDefinitions(
  definitions: readonly CompiledMetricDefinition[],
  candidates: readonly string[],
): Record<string, number> | undefined {
  let metrics: Record<string, number> | undefined;
  for (const { name, pattern } of definitions) {
    for (const candidate of candidates) {
      const match = pattern.exec(candidate);
      if (!match) continue;
      const value = parseMetricNumber(group(match, 1));
      if (value !== undefined) {
        metrics ??= createLogKeyedRecord();
        metrics[name] = value;
      }
      break;
    }
  }
  return metrics;
}
