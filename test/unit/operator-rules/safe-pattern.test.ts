import { describe, expect, it } from 'vitest';
import { checkPatternSafety, MAX_OPERATOR_PATTERN_LENGTH } from '../../../lib/operator-rules/index.ts';

describe('checkPatternSafety', () => {
  it.each([
    'DataLoader worker \\(pid \\d+\\) is killed',
    'CUDA error: an illegal memory access',
    '^\\[rank\\d+\\]: Watchdog caught collective operation timeout',
    '\\d+x\\d+',
    'foo[^\\n]{0,500}bar.*',
    '(?:GET|POST) /ping HTTP/1\\.1" 5\\d\\d',
    '(?<status>5\\d\\d) in \\d+ms',
    '[a-z-]+\\s\\d+',
    'a*?b',
    '\\bWARN\\b.*',
    '[\\w.]+: \\S',
    'x\\x41\\u0041\\u{41}\\cJ[\\t\\-\\]]',
    'caf\u00e9 [\u00e0-\u00ff] [a\\-z]',
  ])('accepts %s', (pattern) => {
    expect(checkPatternSafety(pattern)).toBeUndefined();
  });

  it.each([
    ['(a+)+$', 'nested'],
    ['(a|ab)*c', 'nested'],
    ['(?:x\\d{1,3})+', 'nested'],
    ['.*x.*', 'two unbounded'],
    ['\\w+\\d+', 'two unbounded'],
    ['\\s*\\s*$', 'two unbounded'],
    ['a+(?:b.*)c*', 'two unbounded'],
    ['(\\d)\\1', 'backreference'],
    ['(?<n>a)\\k<n>', 'backreference'],
    ['foo(?=bar)', 'lookaround'],
    ['foo(?!bar)', 'lookaround'],
    ['(?<=a)b', 'lookaround'],
    ['(?<!a)b', 'lookaround'],
    ['(?i)x', 'unsupported group'],
    ['[abc', 'unterminated character class'],
    ['(abc', 'unterminated group'],
    ['abc)', 'unbalanced'],
    ['', 'empty'],
  ])('refuses %s (%s)', (pattern, problem) => {
    expect(checkPatternSafety(pattern)).toContain(problem);
  });

  it('treats letters case-insensitively when asked: A+a+ overlaps only then', () => {
    expect(checkPatternSafety('A+a+')).toBeUndefined();
    expect(checkPatternSafety('A+a+', true)).toContain('two unbounded');
    expect(checkPatternSafety('[A-C]+[b]+', true)).toContain('two unbounded');
  });

  it('lets an optional atom between two repetitions not separate them', () => {
    expect(checkPatternSafety('\\d+:?\\d+')).toContain('two unbounded');
    expect(checkPatternSafety('\\d+:\\d+')).toBeUndefined();
    expect(checkPatternSafety('a+|a+')).toBeUndefined();
  });

  it('caps the length', () => {
    expect(checkPatternSafety('a'.repeat(MAX_OPERATOR_PATTERN_LENGTH))).toBeUndefined();
    expect(checkPatternSafety('a'.repeat(MAX_OPERATOR_PATTERN_LENGTH + 1))).toContain('more than');
  });

  it('negated classes and escapes are broad sets', () => {
    expect(checkPatternSafety('[^x]+\\D+')).toContain('two unbounded');
    expect(checkPatternSafety('\\W+\\S+')).toContain('two unbounded');
    expect(checkPatternSafety('\\d+[^\\d]+')).toBeUndefined();
    expect(checkPatternSafety('\\d+\\b\\B\\D')).toBeUndefined();
    expect(checkPatternSafety('[\\s\\n\\r]+\\s+')).toContain('two unbounded');
    expect(checkPatternSafety('[^\u00e9]+\u00e9+')).toContain('two unbounded');
    expect(checkPatternSafety('\u00e9+[\u00e0-\u00ff]+')).toContain('two unbounded');
  });

  it('a refused pattern would have backtracked; an accepted one stays fast on 16 KiB of hostile input', () => {
    const accepted = /foo[^\n]{0,500}bar\d+x/;
    const hostile = `foo${'bar1'.repeat(4096)}`;
    const started = performance.now();
    accepted.test(hostile);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
