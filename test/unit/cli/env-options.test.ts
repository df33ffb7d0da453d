import { describe, expect, it } from 'vitest';
import { overlayOptions, readWithOptions } from '../../../lib/cli/env-options.ts';
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
  it('returns what the reader returns', () => {
    expect(readWithOptions(mapping, () => 7)).toBe(7);
  });

  it('names the option beside the variable in a configuration error', () => {
    const read = () =>
      readWithOptions(mapping, () => {
        throw new ConfigError('METRICS_NAMESPACE', 'bad');
      });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow('--namespace / METRICS_NAMESPACE: bad');
  });

  it('keeps errors about variables without an option, and other errors, as they are', () => {
    const unmapped = new ConfigError('AWS_REGION', 'bad');
    expect(() =>
      readWithOptions(mapping, () => {
        throw unmapped;
      }),
    ).toThrow(unmapped);
    const odd = new ConfigError('METRICS_NAMESPACE', 'x');
    odd.message = 'reworded';
    expect(() =>
      readWithOptions(mapping, () => {
        throw odd;
      }),
    ).toThrow('--namespace / METRICS_NAMESPACE: reworded');
    expect(() =>
      readWithOptions(mapping, () => {
        throw new TypeError('other');
      }),
    ).toThrow(TypeError);
  });
});
