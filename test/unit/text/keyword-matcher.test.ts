import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createKeywordMatcher,
  type LabelledKeyword,
  parseKeyword,
} from '../../../lib/text/keyword-matcher.ts';

/** The labels a matcher must mark, computed the obvious way: one case-insensitive regex per keyword. */
function expectedLabels(keywords: readonly LabelledKeyword[], text: string): number[] {
  const labels = new Set<number>();
  for (const { keyword, label } of keywords) {
    const { text: word, wordEnd } = parseKeyword(keyword);
    const source = word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') + (wordEnd ? '\\b' : '');
    if (new RegExp(source, 'i').test(text)) labels.add(label);
  }
  return [...labels].sort((a, b) => a - b);
}

function markedLabels(keywords: readonly LabelledKeyword[], text: string, size = 8): number[] {
  const marks = new Uint8Array(size);
  const any = createKeywordMatcher(keywords).mark(text, marks);
  const labels = [...marks.keys()].filter((label) => marks[label] === 1);
  expect(any).toBe(labels.length > 0);
  return labels;
}

describe('createKeywordMatcher', () => {
  it('marks the label of every keyword that occurs, whatever the case', () => {
    const keywords = [
      { keyword: 'cuda', label: 0 },
      { keyword: 'out of memory', label: 1 },
      { keyword: 'nccl', label: 2 },
    ];
    expect(markedLabels(keywords, 'RuntimeError: CUDA out of MEMORY')).toEqual([0, 1]);
    expect(markedLabels(keywords, 'epoch 3 loss=0.5')).toEqual([]);
  });

  it('finds keywords that overlap or end inside one another', () => {
    const keywords = [
      { keyword: 'he', label: 0 },
      { keyword: 'she', label: 1 },
      { keyword: 'hers', label: 2 },
      { keyword: 'his', label: 3 },
    ];
    expect(markedLabels(keywords, 'ushers')).toEqual([0, 1, 2]);
    expect(markedLabels(keywords, 'hishe')).toEqual([0, 1, 3]);
    expect(markedLabels(keywords, 'hhis')).toEqual([3]);
  });

  it('lets several keywords share a label and one keyword carry several labels', () => {
    const keywords = [
      { keyword: 'timeout', label: 4 },
      { keyword: 'timed out', label: 4 },
      { keyword: 'timeout', label: 5 },
    ];
    expect(markedLabels(keywords, 'Read timed out')).toEqual([4]);
    expect(markedLabels(keywords, 'ReadTimeout')).toEqual([4, 5]);
  });

  it('asks for a word boundary after a keyword ending in \\b', () => {
    const keywords = [
      { keyword: 'nan\\b', label: 0 },
      { keyword: 'inf\\b', label: 1 },
    ];
    expect(markedLabels(keywords, "{'loss': nan, 'x': 1}")).toEqual([0]);
    expect(markedLabels(keywords, 'INFO nanoseconds: 3')).toEqual([]);
    expect(markedLabels(keywords, 'loss: -inf')).toEqual([1]);
    expect(markedLabels(keywords, 'loss=NaN_x loss=inf_')).toEqual([]);
    expect(markedLabels(keywords, 'loss=NaN\u00e9')).toEqual([0]);
  });

  it('matches ASCII letters only: no non-ASCII look-alike stands for a letter', () => {
    const keywords = [{ keyword: 'kill', label: 0 }];
    // KELVIN SIGN and the dotless i fold to ASCII letters in Unicode, but not in a regex without `u`.
    expect(markedLabels(keywords, '\u212aill')).toEqual([]);
    expect(markedLabels(keywords, 'k\u0131ll')).toEqual([]);
    expect(markedLabels(keywords, '\u00e9KILL')).toEqual([0]);
  });

  it('keeps marks already set and reports only what it found', () => {
    const marks = new Uint8Array([0, 1]);
    const matcher = createKeywordMatcher([{ keyword: 'oom', label: 0 }]);
    expect(matcher.mark('no match here', marks)).toBe(false);
    expect([...marks]).toEqual([0, 1]);
    expect(matcher.mark('OOMKilled', marks)).toBe(true);
    expect([...marks]).toEqual([1, 1]);
  });

  it('matches nothing without keywords', () => {
    expect(markedLabels([], 'anything at all')).toEqual([]);
  });

  it.each([[''], ['\\b'], ['Upper'], ['caf\u00e9'], ['tab\there'], ['-\\b']])(
    'rejects the keyword %j',
    (keyword) => {
      expect(() => createKeywordMatcher([{ keyword, label: 0 }])).toThrow(/keyword must/);
    },
  );

  it('marks exactly what one regex per keyword finds (random keywords and texts)', () => {
    const alphabet = ['a', 'b', 'A', 'B', 'ab', ' ', '_', '1', '(', '\u00e9', '\u212a', 'k'];
    const word = fc.array(fc.constantFrom('a', 'b', 'k', ' ', '(', '1'), { minLength: 1, maxLength: 4 });
    const keyword = fc
      .tuple(word, fc.boolean())
      .map(([chars, wordEnd]) => chars.join('') + (wordEnd && /\w$/.test(chars.join('')) ? '\\b' : ''));
    const keywords = fc.array(fc.record({ keyword, label: fc.integer({ min: 0, max: 7 }) }), {
      maxLength: 12,
    });
    const text = fc.oneof(
      fc.array(fc.constantFrom(...alphabet), { maxLength: 30 }).map((parts) => parts.join('')),
      fc.string({ unit: 'binary', maxLength: 30 }),
    );
    fc.assert(
      fc.property(keywords, text, (list, input) => {
        expect(markedLabels(list, input)).toEqual(expectedLabels(list, input));
      }),
      { numRuns: 3000 },
    );
  });
});
