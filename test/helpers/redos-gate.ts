/**
 * The ReDoS gate's collection: every regex in lib/ that can meet log text. Regex literals are read
 * from the sources (rule tables, the general tier, the incident grouping and line normaliser, the
 * classifier's normaliser, ...); regexes built at run time come from the rule tables and from each
 * module's `LOG_TEXT_PATTERNS`. The checks run in four test files (test/unit/redos-*.test.ts), one
 * quarter of the patterns each, so that vitest runs them side by side.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOG_TEXT_PATTERNS as HTTP_PATTERNS } from '../../lib/classify/http.ts';
import { LOG_TEXT_PATTERNS as STATUS_PHRASE_PATTERNS } from '../../lib/classify/http-status-phrases.ts';
import { LOG_TEXT_PATTERNS as NORMALIZE_PATTERNS } from '../../lib/classify/normalize.ts';
import { RULE_PREFILTER, RULES } from '../../lib/classify/rules.ts';
import { LOG_TEXT_PATTERNS as TRAINING_METRIC_PATTERNS } from '../../lib/classify/training-metrics.ts';
import { LOG_TEXT_PATTERNS as DECODE_LINE_PATTERNS } from '../../lib/text/decode-line.ts';
import { SECRET_RULES } from '../../lib/text/scrub-secrets.ts';
import { checkAlternatives, type PatternToCheck, regexLiteralsIn } from './redos.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** lib/, whose regexes the gate checks. */
export const LIB = join(ROOT, 'lib');

/** Every TypeScript file under `directory`. */
export function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Modules that build regexes at run time from their own text, and where the gate finds them. */
export const BUILT_PATTERNS: Readonly<Record<string, readonly RegExp[]>> = {
  'lib/classify/rules.ts': [...RULES.map((rule) => rule.pattern), RULE_PREFILTER],
  'lib/classify/http.ts': HTTP_PATTERNS,
  'lib/classify/http-status-phrases.ts': STATUS_PHRASE_PATTERNS,
  'lib/classify/normalize.ts': NORMALIZE_PATTERNS,
  'lib/classify/training-metrics.ts': TRAINING_METRIC_PATTERNS,
  'lib/text/decode-line.ts': DECODE_LINE_PATTERNS,
  'lib/text/scrub-secrets.ts': SECRET_RULES.map((rule) => rule.pattern),
};

/**
 * Modules that build regexes the gate does not check, and why: they never meet log text, or they
 * are the operator's own and guarded where they are read. (Their regex literals are still checked.)
 */
export const NOT_CHECKED: Readonly<Record<string, string>> = {
  'lib/classify/metric-definitions.ts':
    "the operator's own MetricDefinitions regexes (configuration, as SageMaker takes them, at most 500 characters); a slow one is bounded by the delivery's classification budget",
  'lib/operator-rules/parse.ts':
    "the operator's rule patterns: each passes safe-pattern.ts before it is compiled (no backreferences or lookarounds, no nested or overlapping unbounded quantifiers, at most 500 characters) and meets lines cut to 16 KiB",
  'lib/operator-rules/glob.ts':
    "the operator's resource-name globs, matched against resource names from the log group and stream, never against log text",
  'lib/subscriptions/patterns.ts':
    'include/exclude patterns of the configuration, matched against log group names',
  'lib/env.ts': 'validates an ARN read from the environment',
};

/** Every regex the gate checks, each once (by source and flags), with where it was found. */
export function collectPatterns(): PatternToCheck[] {
  const found = new Map<string, PatternToCheck>();
  const add = (source: string, flags: string, origin: string) => {
    const key = `/${source}/${flags}`;
    if (!found.has(key)) found.set(key, { source, flags, origin });
  };
  for (const file of sourceFiles(LIB)) {
    const name = relative(ROOT, file);
    for (const literal of regexLiteralsIn(file))
      add(literal.source, literal.flags, `${name}:${literal.line}`);
  }
  for (const [name, patterns] of Object.entries(BUILT_PATTERNS)) {
    for (const pattern of patterns) add(pattern.source, pattern.flags, `${name} (built)`);
  }
  return [...found.values()];
}

/** The relative path of a file under the repository, as the gate names it. */
export function repositoryPath(file: string): string {
  return relative(ROOT, file);
}

/** Defines the checks of one quarter (`shard` of `shards`) of the patterns. */
export function describeShard(shard: number, shards: number): void {
  const patterns = collectPatterns().filter((_pattern, index) => index % shards === shard);
  describe(`every regex applied to log text runs in linear time (recheck, part ${shard + 1} of ${shards})`, () => {
    it.each(patterns.map((pattern) => [pattern.origin, pattern] as const))(
      '%s',
      async (_origin, pattern) => {
        const verdicts = await checkAlternatives(pattern);
        for (const verdict of verdicts.filter((one) => one.v8Ms !== undefined && one.status === 'safe')) {
          console.info(`${pattern.origin}: ${verdict.alternative.slice(0, 80)}: ${verdict.detail}`);
        }
        const problems = verdicts.filter((verdict) => verdict.status !== 'safe');
        expect(problems).toEqual([]);
      },
      300_000,
    );
  });
}
