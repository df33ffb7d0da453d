import { describe, expect, it } from 'vitest';
import { fitCell, formatCount, renderTable } from '../../../cli/table.ts';

describe('formatCount', () => {
  it('groups thousands whatever the locale, keeping fractions', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(12345.678)).toBe('12,345.678');
  });
});

describe('fitCell', () => {
  it('cuts long text with an ellipsis and flattens line breaks', () => {
    expect(fitCell('short', 10)).toBe('short');
    expect(fitCell('abcdefghij', 5)).toBe('abcd…');
    expect(fitCell('abc', 1)).toBe('a');
    expect(fitCell('one\n  two\r\nthree', 40)).toBe('one two three');
  });
});

describe('renderTable', () => {
  it('aligns columns, numbers right, and cuts cells at their column width', () => {
    const lines = renderTable(
      [{ header: 'Name', maxWidth: 6 }, { header: 'Count', align: 'right' }, { header: 'Note' }],
      [
        ['alpha', '5', ''],
        ['a very long name', '1,234'],
      ],
    );
    expect(lines).toEqual(['Name    Count  Note', '──────  ─────  ────', 'alpha       5', 'a ver…  1,234']);
  });

  it('renders only the header for no rows', () => {
    expect(renderTable([{ header: 'A' }], [])).toEqual(['A', '─']);
  });
});
