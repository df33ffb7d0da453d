import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCloudWatchEscapes, normalizeMessage } from '../../../lib/classify/normalize.ts';
import { normaliseLine } from '../../../lib/incidents/normalise-line.ts';
import {
  decodeEscapes,
  dropInnerRankTags,
  lastDrawing,
  matchRankPrefix,
} from '../../../lib/text/decode-line.ts';

describe('decodeEscapes', () => {
  it('decodes octal escapes of control characters only, and keeps tab, line feed and carriage return', () => {
    expect(decodeEscapes('a#011b#012c#015d')).toBe('a\tb\nc\rd');
    expect(decodeEscapes('issue #101 and #040 #999')).toBe('issue #101 and #040 #999');
  });

  it('removes ANSI sequences, lone ESC, backspace, BEL and DEL', () => {
    expect(decodeEscapes('#033[1;31mERROR#033[0m x#007#177\u0008\u001b')).toBe('ERROR x');
  });
});

describe('lastDrawing', () => {
  it('keeps the last drawing that is not blank and drops line feeds', () => {
    expect(lastDrawing(' 10%\r100%\r  ')).toBe('100%');
    expect(lastDrawing('a\nb')).toBe('ab');
    expect(lastDrawing('\r\r')).toBe('');
  });
});

describe('matchRankPrefix', () => {
  it('reads mpirun and torchrun tags, and nothing else', () => {
    expect(matchRankPrefix('[1,mpirank:0,algo-1]<stderr>:x')).toEqual({
      kind: 'mpi',
      rank: 'mpirank:0,algo-1',
      stream: 'stderr',
      length: 29,
    });
    expect(matchRankPrefix('[default3]: x')).toEqual({ kind: 'rank', rank: '3', length: 12 });
    expect(matchRankPrefix('[2024-01-01 10:00:00] x')).toBeUndefined();
    expect(matchRankPrefix('rank1]: x')).toBeUndefined();
  });

  it('drops mpirun tags written inside a line', () => {
    expect(dropInnerRankTags('RuntimeError[1,mpirank:14,algo-2]<stderr>:: CUDA')).toBe('RuntimeError: CUDA');
    expect(dropInnerRankTags('no tags ]<std here')).toBe('no tags ]<std here');
  });
});

/** Pieces log lines are made of, escapes and terminal sequences included. */
const piece = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    '#011',
    '#015',
    '#033',
    '#033[31m',
    '#033[0m',
    '#010',
    '#007',
    '#177',
    '#101',
    '\u001b[2K',
    '\t',
    '\r',
    '\u0007',
    'Traceback (most recent call last):',
    '  File "/opt/ml/code/train.py", line 3, in <module>',
    'ERROR ',
    '[1,mpirank:0,algo-1]<stderr>:',
    '[rank2]: ',
  ),
);
const rawLine = fc
  .array(piece, { maxLength: 8 })
  .map((parts) => parts.join('').replaceAll('\n', ' ').replaceAll('#012', ' '));
const rankTag = fc.oneof(
  fc
    .tuple(fc.nat(9999), fc.constantFrom('stdout', 'stderr'))
    .map(([rank, stream]) => `[1,${rank}]<${stream}>:`),
  fc
    .tuple(fc.nat(63), fc.integer({ min: 1, max: 16 }), fc.constantFrom('stdout', 'stderr'))
    .map(([rank, host, stream]) => `[1,mpirank:${rank},algo-${host}]<${stream}>:`),
  fc.tuple(fc.constantFrom('rank', 'default'), fc.nat(511)).map(([name, rank]) => `[${name}${rank}]: `),
);

describe('the classifier and incident grouping read a line the same way', () => {
  it('grouping shows the last drawing of what the classifier decodes', () => {
    fc.assert(
      fc.property(rawLine, (raw) => {
        const decoded = decodeCloudWatchEscapes(raw);
        // A line with carriage returns was redrawn; the classifier reads each drawing as a line.
        const shown = decoded.includes('\r')
          ? (decoded.split('\r').findLast((part) => part.trim() !== '') ?? '')
          : decoded;
        expect(normaliseLine(raw).display).toBe(shown);
      }),
    );
  });

  it('both take a rank tag off, and neither reads it as part of the line', () => {
    fc.assert(
      fc.property(rankTag, rawLine, (tag, body) => {
        // One drawing, and a body that does not itself start with a wrapper of either reader.
        fc.pre(!/[\r]/.test(decodeCloudWatchEscapes(body)) && !/^\s*\[/.test(decodeCloudWatchEscapes(body)));
        expect(normalizeMessage(tag + body)).toEqual(normalizeMessage(body));
        const grouped = normaliseLine(tag + body);
        expect(grouped.body).toBe(normaliseLine(body).body);
        expect(grouped.channel).toMatch(/^(?:mpi:[\w:,.-]+:std(?:out|err)|rank:\d+)/);
      }),
    );
  });
});
