import { describe, expect, it } from 'vitest';
import { readList, readNumber, readOptional, readRequired, tryRead } from '../../lib/env.ts';
import { ConfigError } from '../../lib/errors.ts';

describe('readOptional', () => {
  it('returns the trimmed value', () => {
    expect(readOptional({ A: '  x ' }, 'A')).toBe('x');
  });

  it('treats absent and blank alike', () => {
    expect(readOptional({}, 'A')).toBeUndefined();
    expect(readOptional({ A: '   ' }, 'A')).toBeUndefined();
  });
});

describe('readRequired', () => {
  it('returns a present value', () => {
    expect(readRequired({ A: 'x' }, 'A')).toBe('x');
  });

  it('throws a ConfigError naming the variable when absent', () => {
    expect(() => readRequired({}, 'PROCESSOR_FUNCTION_ARN')).toThrow(ConfigError);
    expect(() => readRequired({}, 'PROCESSOR_FUNCTION_ARN')).toThrow(/^PROCESSOR_FUNCTION_ARN: is required$/);
  });
});

describe('readNumber', () => {
  const bounds = { fallback: 7, min: 1, max: 10 };

  it('falls back when absent', () => {
    expect(readNumber({}, 'N', bounds)).toBe(7);
  });

  it('parses a number in range, fractions allowed unless integer is asked', () => {
    expect(readNumber({ N: '2.5' }, 'N', bounds)).toBe(2.5);
    expect(readNumber({ N: '3' }, 'N', { ...bounds, integer: true })).toBe(3);
  });

  it('refuses text, fractions for integers, and values out of range', () => {
    expect(() => readNumber({ N: 'ten' }, 'N', bounds)).toThrow(/N: 'ten' is not a number/);
    expect(() => readNumber({ N: '2.5' }, 'N', { ...bounds, integer: true })).toThrow(/not a whole number/);
    expect(() => readNumber({ N: '0' }, 'N', bounds)).toThrow(/outside 1..10/);
    expect(() => readNumber({ N: '11' }, 'N', bounds)).toThrow(/outside 1..10/);
  });
});

describe('readList', () => {
  it('splits on commas, trims, and drops blanks', () => {
    expect(readList({ L: ' a, b ,,c ' }, 'L')).toEqual(['a', 'b', 'c']);
  });

  it('tells "not set" from "set to empty"', () => {
    expect(readList({}, 'L')).toBeUndefined();
    expect(readList({ L: '' }, 'L')).toEqual([]);
  });
});

describe('tryRead', () => {
  it('keeps the value of a read that works', () => {
    expect(tryRead(() => 42)).toEqual({ ok: true, value: 42 });
  });

  it('keeps the error of a read that throws, wrapping non-errors', () => {
    const failed = tryRead(() => readRequired({}, 'STAGE'));
    expect(failed).toMatchObject({
      ok: false,
      error: { name: 'ConfigError', message: 'STAGE: is required' },
    });
    expect(
      tryRead(() => {
        throw 'plain';
      }),
    ).toMatchObject({ ok: false, error: { message: 'plain' } });
  });
});
