/**
 * Include/exclude patterns on log group names. Two forms:
 *
 * - a glob, matched against the whole name: `*` is any run of characters (slashes included, so
 *   `/aws/sagemaker/*` covers `/aws/sagemaker/Endpoints/my-endpoint`), `?` is exactly one character,
 *   everything else is literal;
 * - a regular expression after the `re:` marker, e.g. `re:^/aws/sagemaker/Endpoints/prod-`, used as
 *   written (unanchored unless it anchors itself).
 *
 * A leading slash cannot mark a regex, because every log group name starts with one.
 */

/** The marker that turns a pattern into a regular expression. */
export const REGEX_PATTERN_MARKER = 're:';

/** One compiled pattern, with the text it came from (for logs and reports). */
export interface NamePattern {
  source: string;
  regex: RegExp;
}

/** Why a pattern could not be compiled. */
export interface PatternProblem {
  source: string;
  problem: string;
}

const escapeForRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles one pattern; a bad regular expression is returned as a {@link PatternProblem}. */
export function compileNamePattern(source: string): NamePattern | PatternProblem {
  if (source.startsWith(REGEX_PATTERN_MARKER)) {
    const body = source.slice(REGEX_PATTERN_MARKER.length);
    if (body === '') return { source, problem: 'empty regular expression' };
    try {
      return { source, regex: new RegExp(body) };
    } catch (error) {
      return { source, problem: (error as Error).message };
    }
  }
  const body = source
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : escapeForRegex(char)))
    .join('');
  return { source, regex: new RegExp(`^${body}$`) };
}

/** True when `result` is a compiled pattern rather than a problem. */
export function isNamePattern(result: NamePattern | PatternProblem): result is NamePattern {
  return 'regex' in result;
}

/** The first pattern that matches `name`, if any. */
export function findMatchingPattern(name: string, patterns: readonly NamePattern[]): NamePattern | undefined {
  return patterns.find((pattern) => pattern.regex.test(name));
}
