import { describe, expect, it } from 'vitest';
import { overlayOptions, readWithOptions } from '../../../cli/env-options.ts';
import { UsageError } from '../../../cli/exit-codes.ts';
import { ConfigError } from '../../../lib/errors.ts';

const mapping = { namespace: 'METRICS_NAMESPACE', include: 'INCLUDE_PATTERNS', dry: 'DRY' };

describe('overlayOptions', () => {
  it('lays options over their variables, lists joined with commas, booleans and blanks ignored', () => {
    const env = overlayOptions(
      { METRICS_NAMESPACE: 'From/Env', INCLUDE_PATTERNS: 'x', OTHER: 'kept' },
      mapping,
      { namespace: 'From/Option', include: [], dry: true },
    );
    expect(env).toEqual({ METRICS_NAMESPACE: 'From/Option', INCLUDE_PATTERNS: 'x', OTHER: 'kept' });
    expect(overlayOptions({}, mapping, { include: ['/a/*', 're:^/b'] })).toEqual({
      INCLUDE_PATTERNS: '/a/*,re:^/b',
    });
  });
});

describe('readWithOptions', () => {
  const failing = (error: Error) => () => {
    throw error;
  };

  it('returns what the reader returns', () => {
    expect(readWithOptions(mapping, {}, () => 7)).toBe(7);
  });

  it('makes a value refused from an option a usage error naming the option', () => {
    const read = () =>
      readWithOptions(mapping, { namespace: 'AWS/X' }, failing(new ConfigError('METRICS_NAMESPACE', 'bad')));
    expect(read).toThrow(UsageError);
    expect(read).toThrow(/^--namespace: bad$/);
    const odd = new ConfigError('INCLUDE_PATTERNS', 'x');
    odd.message = 'reworded';
    expect(() => readWithOptions(mapping, { include: ['re:('] }, failing(odd))).toThrow(
      /^--include: reworded$/,
    );
  });

  it('keeps a value refused from the environment a configuration error, naming the option too', () => {
    const fromEnv = () =>
      readWithOptions(mapping, {}, failing(new ConfigError('METRICS_NAMESPACE', 'is required')));
    expect(fromEnv).toThrow(ConfigError);
    expect(fromEnv).toThrow(/^METRICS_NAMESPACE: is required \(or pass --namespace\)$/);
    expect(() => readWithOptions(mapping, { dry: true }, failing(new ConfigError('DRY', 'bad')))).toThrow(
      /^DRY: bad \(or pass --dry\)$/,
    );
    const unmapped = new ConfigError('AWS_REGION', 'bad');
    expect(() => readWithOptions(mapping, { namespace: 'x' }, failing(unmapped))).toThrow(unmapped);
  });

  it('lets other errors through', () => {
    expect(() => readWithOptions(mapping, {}, failing(new TypeError('other')))).toThrow(TypeError);
  });
});
