import { describe, expect, it } from 'vitest';
import { group } from '../../../lib/classify/regex.ts';

describe('group', () => {
  it('returns a matched group, and an empty string for a group that took no part', () => {
    // Prepare
    const match = /(a)(b)?/.exec('a') as RegExpExecArray;

    // Act & Assess
    expect(group(match, 1)).toBe('a');
    expect(group(match, 2)).toBe('');
  });
});
