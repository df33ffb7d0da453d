import { describe, expect, it } from 'vitest';
import { describeError, MAX_ERROR_TEXT_LENGTH } from '../../../lib/control-plane/report.ts';

describe('describeError', () => {
  it('renders errors, strings and anything else, bounded', () => {
    const error = new Error('denied');
    error.name = 'AccessDeniedException';
    expect(describeError(error)).toBe('AccessDeniedException: denied');
    expect(describeError('plain')).toBe('plain');
    expect(describeError(42)).toBe('unknown error');
    const long = describeError(new Error('x'.repeat(1000)));
    expect(long).toHaveLength(MAX_ERROR_TEXT_LENGTH);
    expect(long.endsWith('…')).toBe(true);
  });
});
