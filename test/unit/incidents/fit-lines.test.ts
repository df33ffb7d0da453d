import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitLines, omissionMarker, sizeOf, truncateText } from '../../../lib/incidents/fit-lines.ts';

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`);
const total = (lines: string[], measure: 'bytes' | 'chars' = 'chars') =>
  lines.reduce((sum, line) => sum + sizeOf(line, measure), Math.max(0, lines.length - 1));

describe('truncateText', () => {
  it('returns text that fits unchanged', () => {
    expect(truncateText('short', 5)).toBe('short');
  });

  it('cuts with an ellipsis within the limit', () => {
    expect(truncateText('abcdefghij', 5)).toBe('abcd…');
  });

  it('never splits a surrogate pair or a UTF-8 sequence', () => {
    expect(truncateText('ab😀cd', 4)).toBe('ab…');
    const cut = truncateText('ééééé', 7, 'bytes');
    expect(cut).toBe('éé…');
    expect(sizeOf(cut, 'bytes')).toBeLessThanOrEqual(7);
  });

  it('returns nothing when even the ellipsis does not fit', () => {
    expect(truncateText('abcdef', 0)).toBe('');
    expect(truncateText('abcdef', 2, 'bytes')).toBe('');
  });
});

describe('fitLines', () => {
  it('returns lines that fit unchanged', () => {
    expect(fitLines(numbered(3), { maxLines: 5, maxSize: 100, maxLineSize: 100 })).toEqual(numbered(3));
    expect(fitLines([], { maxLines: 5, maxSize: 100, maxLineSize: 100 })).toEqual([]);
  });

  it('keeps the head and the end, with a marker for what was left out', () => {
    const fitted = fitLines(numbered(100), { maxLines: 10, maxSize: 10_000, maxLineSize: 100, headLines: 2 });
    expect(fitted).toEqual(['line 0', 'line 1', omissionMarker(91), ...numbered(100).slice(-7)]);
  });

  it('takes lines out of the middle until the size fits, keeping the last line', () => {
    const lines = numbered(20).map((line) => `${line} ${'x'.repeat(40)}`);
    const fitted = fitLines(lines, { maxLines: 50, maxSize: 300, maxLineSize: 100, measure: 'bytes' });
    expect(total(fitted, 'bytes')).toBeLessThanOrEqual(300);
    expect(fitted[0]).toBe(lines[0]);
    expect(fitted.at(-1)).toBe(lines.at(-1));
    expect(fitted).toContain(omissionMarker(lines.length - fitted.length + 1));
  });

  it('cuts each line to the line limit first', () => {
    expect(fitLines(['x'.repeat(50)], { maxLines: 5, maxSize: 100, maxLineSize: 10 })).toEqual([
      `${'x'.repeat(9)}…`,
    ]);
  });

  it('cuts the first and last lines when they alone are too big', () => {
    const fitted = fitLines(['a'.repeat(100), 'b'.repeat(100), 'c'.repeat(100)], {
      maxLines: 50,
      maxSize: 80,
      maxLineSize: 1_000,
    });
    expect(fitted[0]?.startsWith('aaa')).toBe(true);
    expect(fitted[1]).toBe(omissionMarker(1));
    expect(fitted[2]?.startsWith('ccc')).toBe(true);
    expect(total(fitted)).toBeLessThanOrEqual(80);
    expect(fitLines(['a'.repeat(100)], { maxLines: 5, maxSize: 20, maxLineSize: 1_000 })).toEqual([
      `${'a'.repeat(19)}…`,
    ]);
  });

  it('keeps at least a head line, the marker and the last line', () => {
    expect(fitLines(numbered(10), { maxLines: 1, maxSize: 1_000, maxLineSize: 100 })).toEqual([
      'line 0',
      omissionMarker(8),
      'line 9',
    ]);
  });

  it('says line in the singular for one', () => {
    expect(omissionMarker(1)).toBe('… 1 line omitted …');
    expect(omissionMarker(2)).toBe('… 2 lines omitted …');
  });
});

/** The former line-by-line implementation (a full re-measure per line taken out), as a reference. */
function referenceFitLines(lines: readonly string[], limits: Parameters<typeof fitLines>[1]): string[] {
  const measure = limits.measure ?? 'chars';
  const maxLines = Math.max(3, limits.maxLines);
  const capped = lines.map((line) => truncateText(line, limits.maxLineSize, measure));
  if (capped.length <= maxLines && total(capped, measure) <= limits.maxSize) return capped;
  const headCount = Math.min(limits.headLines ?? 10, Math.floor((maxLines - 1) / 2));
  const head = capped.slice(0, Math.max(1, Math.min(headCount, capped.length - 1)));
  const tail = capped.slice(head.length).slice(-(maxLines - 1 - head.length));
  let omitted = capped.length - head.length - tail.length;
  const compose = () => (omitted > 0 ? [...head, omissionMarker(omitted), ...tail] : [...head, ...tail]);
  while (total(compose(), measure) > limits.maxSize) {
    if (head.length > 1) head.pop();
    else if (tail.length > 1) tail.shift();
    else break;
    omitted++;
  }
  const fitted = compose();
  if (total(fitted, measure) <= limits.maxSize) return fitted;
  const marker = omitted > 0 ? [omissionMarker(omitted)] : [];
  const content = [...head, ...tail];
  const share = Math.floor(
    (limits.maxSize - total(marker, measure) - (content.length + marker.length - 1)) / content.length,
  );
  const [first, ...rest] = content.map((line) => truncateText(line, share, measure));
  return [first as string, ...marker, ...rest];
}

describe('fitLines against the line-by-line reference', () => {
  it('gives the same lines for any block and limits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 40 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 70 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom<'bytes' | 'chars'>('bytes', 'chars'),
        fc.integer({ min: 0, max: 12 }),
        (lines, maxLines, maxSize, maxLineSize, measure, headLines) => {
          const limits = { maxLines, maxSize, maxLineSize, measure, headLines };
          expect(fitLines(lines, limits)).toEqual(referenceFitLines(lines, limits));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('fits a block of thousands of long lines by its size alone', () => {
    const lines = [...Array.from({ length: 5_000 }, (_, i) => `frame ${i} ${'x'.repeat(300)}`), 'End: last'];
    const fitted = fitLines(lines, {
      maxLines: lines.length,
      maxSize: 8_192,
      maxLineSize: 8_192,
      measure: 'bytes',
    });
    expect(total(fitted, 'bytes')).toBeLessThanOrEqual(8_192);
    expect(fitted.at(-1)).toBe('End: last');
    expect(fitted).toContain(omissionMarker(5_001 - fitted.length + 1));
  });
});
