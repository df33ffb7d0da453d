import { describe, expect, it } from 'vitest';
import {
  AWS_OPTIONS,
  type CommandSpec,
  formatHelp,
  HELP_OPTION,
  JSON_OPTION,
  parseCommandArgs,
  readChoiceOption,
  readFlag,
  readIntegerOption,
  readList,
  readString,
  wrapText,
} from '../../../cli/args.ts';
import { UsageError } from '../../../cli/exit-codes.ts';

const spec: CommandSpec = {
  name: 'try',
  summary: 'Tries things.',
  usage: ['<file> [options]', '--message <text>'],
  description: [
    'A paragraph long enough to be wrapped at the help width when it goes on and on and on and on.',
  ],
  options: {
    'log-group': { type: 'string', value: 'name', description: 'A group.' },
    include: { type: 'string', multiple: true, description: 'Patterns.' },
    build: { type: 'boolean', default: true, description: 'Build first.' },
    ...JSON_OPTION,
    ...AWS_OPTIONS,
    ...HELP_OPTION,
  },
  positionals: { min: 1, max: 2 },
  examples: ['sagewatch try a.log'],
};

describe('parseCommandArgs', () => {
  it('parses strings, repeated options, booleans and their defaults', () => {
    const parsed = parseCommandArgs(spec, [
      'a.log',
      '--log-group',
      '/g',
      '--include',
      'x',
      '--include=y',
      '--json',
    ]);
    expect(parsed.positionals).toEqual(['a.log']);
    expect(parsed.help).toBe(false);
    expect(readString(parsed.values, 'log-group')).toBe('/g');
    expect(readList(parsed.values, 'include')).toEqual(['x', 'y']);
    expect(readFlag(parsed.values, 'json')).toBe(true);
    expect(readFlag(parsed.values, 'build')).toBe(true);
    expect(readString(parsed.values, 'region')).toBeUndefined();
    expect(readList(parsed.values, 'region')).toEqual([]);
  });

  it('accepts --no-<flag> for a boolean', () => {
    expect(readFlag(parseCommandArgs(spec, ['a', '--no-build']).values, 'build')).toBe(false);
  });

  it('refuses unknown options and missing values as usage errors that point at --help', () => {
    expect(() => parseCommandArgs(spec, ['a', '--bogus'])).toThrow(UsageError);
    expect(() => parseCommandArgs(spec, ['a', '--bogus'])).toThrow(/sagewatch try --help/);
    expect(() => parseCommandArgs(spec, ['a', '--log-group'])).toThrow(UsageError);
  });

  it('checks the number of positional arguments', () => {
    expect(() => parseCommandArgs(spec, [])).toThrow(/missing argument: sagewatch try <file>/);
    expect(() => parseCommandArgs(spec, ['a', 'b', 'c'])).toThrow(/unexpected argument 'c'/);
  });

  it('skips the positional checks when help is asked for', () => {
    expect(parseCommandArgs(spec, ['--help']).help).toBe(true);
    expect(parseCommandArgs(spec, ['-h', 'a', 'b', 'c']).help).toBe(true);
  });

  it('falls back to the first usage line when naming a missing argument', () => {
    const bare: CommandSpec = { ...spec, usage: [], positionals: { min: 1, max: 1 } };
    expect(() => parseCommandArgs(bare, [])).toThrow(/missing argument: sagewatch try /);
  });
});

describe('option readers', () => {
  const values = { n: '12', bad: '1x', big: '99', kind: 'host', other: 'nope' };

  it('reads whole numbers within bounds, or the fallback', () => {
    expect(readIntegerOption(values, 'n', 5, 1, 50)).toBe(12);
    expect(readIntegerOption(values, 'missing', 5, 1, 50)).toBe(5);
    expect(() => readIntegerOption(values, 'bad', 5, 1, 50)).toThrow(
      "--bad: expected a whole number, got '1x'",
    );
    expect(() => readIntegerOption(values, 'big', 5, 1, 50)).toThrow('--big: expected 1–50, got 99');
  });

  it('reads one of a set of choices, or the fallback', () => {
    const choices = ['resource', 'host'] as const;
    expect(readChoiceOption(values, 'kind', choices, 'resource')).toBe('host');
    expect(readChoiceOption(values, 'missing', choices, 'resource')).toBe('resource');
    expect(() => readChoiceOption(values, 'other', choices, 'resource')).toThrow(
      "--other: expected one of resource, host, got 'nope'",
    );
  });
});

describe('formatHelp', () => {
  const help = formatHelp(spec);

  it('shows usage lines, summary, wrapped description, options and examples', () => {
    const lines = help.split('\n');
    expect(lines[0]).toBe('Usage: sagewatch try <file> [options]');
    expect(lines[1]).toBe('       sagewatch try --message <text>');
    expect(help).toContain('Tries things.');
    expect(help).toContain('Examples:\n  sagewatch try a.log');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(100);
  });

  it('labels options with their short form, value, repeatability and negation', () => {
    expect(help).toMatch(/^ {6}--log-group <name> +A group\.$/m);
    expect(help).toMatch(/--include <value> +Patterns\. \(repeatable\)/);
    expect(help).toMatch(/--\[no-\]build +Build first\./);
    expect(help).toMatch(/-h, --help +Show this help\./);
  });

  it('leaves out examples and description when there are none', () => {
    const { description: _unused, ...withoutDescription } = spec;
    const bare = formatHelp({ ...withoutDescription, examples: [] });
    expect(bare).not.toContain('Examples:');
    expect(bare.split('\n')[3]).toBe('Tries things.');
  });
});

describe('wrapText', () => {
  it('wraps at spaces and keeps an overlong word whole', () => {
    expect(wrapText('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrapText('tiny enormousword x', 6)).toEqual(['tiny', 'enormousword', 'x']);
    expect(wrapText('   ', 10)).toEqual([]);
  });
});
