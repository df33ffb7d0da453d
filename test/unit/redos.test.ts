/**
 * The ReDoS gate: every regex in lib/ that can meet log text is checked with recheck (the checks
 * are in test/unit/redos-*.test.ts), and the test fails on any polynomial or exponential verdict,
 * or on any it could not decide. A module that builds regexes without listing them fails here.
 */
import { describe, expect, it } from 'vitest';
import {
  anchoredPathCount,
  buildsRegexes,
  isBoundedLength,
  splitTopLevelAlternatives,
} from '../helpers/redos.ts';
import {
  BUILT_PATTERNS,
  collectPatterns,
  LIB,
  NOT_CHECKED,
  repositoryPath,
  sourceFiles,
} from '../helpers/redos-gate.ts';

describe('the ReDoS gate finds every regex', () => {
  it('reads every module that builds regexes at run time, or knows why it need not', () => {
    const building = sourceFiles(LIB).filter(buildsRegexes).map(repositoryPath);
    for (const name of building) {
      expect(
        name in BUILT_PATTERNS || name in NOT_CHECKED,
        `${name} builds regexes the gate does not see`,
      ).toBe(true);
    }
    // The lists name no module that has stopped building regexes (or moved).
    expect([...Object.keys(BUILT_PATTERNS), ...Object.keys(NOT_CHECKED)].sort()).toEqual(building.sort());
  });

  it('has a few hundred of them to check', () => {
    const patterns = collectPatterns();
    expect(patterns.length).toBeGreaterThan(250);
    expect(patterns.filter((pattern) => pattern.origin.endsWith('(built)')).length).toBeGreaterThan(40);
    expect(patterns.some((pattern) => pattern.origin.startsWith('lib/classify/general-tier.ts:'))).toBe(true);
    expect(patterns.some((pattern) => pattern.origin.startsWith('lib/incidents/group-lines.ts:'))).toBe(true);
    expect(patterns.some((pattern) => pattern.origin.startsWith('lib/incidents/normalise-line.ts:'))).toBe(
      true,
    );
  });

  it('splits a regex into its top-level alternatives only', () => {
    expect(splitTopLevelAlternatives(String.raw`a|(b|c)|[|]|\||d`)).toEqual([
      'a',
      '(b|c)',
      '[|]',
      '\\|',
      'd',
    ]);
  });

  it('leaves to recheck every alternative that can match a long text', () => {
    expect(isBoundedLength(String.raw`^abc\d{3}[*+]`)).toBe(true);
    expect(isBoundedLength(String.raw`a\*b`)).toBe(true);
    expect(isBoundedLength('a*')).toBe(false);
    expect(isBoundedLength('a+')).toBe(false);
    expect(isBoundedLength('a{2,}')).toBe(false);
    expect(isBoundedLength('[^\\n]{0,500}x')).toBe(false);
  });

  it('counts the paths of a search tried at the start only, and of nothing else', () => {
    expect(anchoredPathCount(String.raw`^[\x20-\x7e]{1,256}:[\x20-\x7e]{0,256}$`, '')).toBe(256 * 257);
    expect(anchoredPathCount(String.raw`^a?b{3}\dc{2,4}$`, 'i')).toBe(2 * 1 * 3);
    // Tried at every line start, unanchored, grouped, unbounded or with a backreference: recheck's.
    expect(anchoredPathCount('^a{0,9}', 'm')).toBeUndefined();
    expect(anchoredPathCount('a{0,9}', '')).toBeUndefined();
    expect(anchoredPathCount('^(?:a{0,9}){0,9}', '')).toBeUndefined();
    expect(anchoredPathCount('^a|b', '')).toBeUndefined();
    expect(anchoredPathCount('^a+b', '')).toBeUndefined();
    expect(anchoredPathCount('^a{2,}b', '')).toBeUndefined();
    expect(anchoredPathCount(String.raw`^a\1{0,3}`, '')).toBeUndefined();
  });
});
