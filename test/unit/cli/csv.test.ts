import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../cli/csv.ts';

describe('parseCsv', () => {
  it('reads plain records with their line numbers', () => {
    expect(parseCsv('a,b,c\n1,2,3\n')).toEqual({
      records: [
        { fields: ['a', 'b', 'c'], line: 1 },
        { fields: ['1', '2', '3'], line: 2 },
      ],
      unterminated: false,
    });
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const text = 'ts,msg\r\n1,"say ""hi"", then\nTraceback (most recent call last):\r\n  x"\r\n2,plain';
    const { records } = parseCsv(text);
    expect(records).toEqual([
      { fields: ['ts', 'msg'], line: 1 },
      { fields: ['1', 'say "hi", then\nTraceback (most recent call last):\r\n  x'], line: 2 },
      { fields: ['2', 'plain'], line: 5 },
    ]);
  });

  it('skips blank lines and a byte order mark, keeps empty fields', () => {
    expect(parseCsv('\uFEFFa,b\n\n,\n').records).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['', ''], line: 3 },
    ]);
  });

  it('keeps a record that is one empty quoted field, and a last record without a line break', () => {
    expect(parseCsv('""\nx').records).toEqual([
      { fields: [''], line: 1 },
      { fields: ['x'], line: 2 },
    ]);
  });

  it('keeps a quote inside an unquoted field as a character', () => {
    expect(parseCsv('a"b,"c"d').records[0]?.fields).toEqual(['a"b', 'cd']);
  });

  it('reports a quoted field left open at the end', () => {
    const result = parseCsv('1,"never closed\nmore');
    expect(result.unterminated).toBe(true);
    expect(result.records).toEqual([{ fields: ['1', 'never closed\nmore'], line: 1 }]);
  });

  it('reads nothing from an empty text', () => {
    expect(parseCsv('')).toEqual({ records: [], unterminated: false });
  });
});
