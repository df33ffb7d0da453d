import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Episode,
  evaluateEpisodes,
  formatEpisodeReport,
  parseEpisodes,
  runEpisode,
  toEpisodeFigures,
} from '../../../lib/processor/eval-episodes.ts';

const OOM = [
  'Traceback (most recent call last):',
  '  File "train.py", line 3, in <module>',
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
];

function episode(overrides: Partial<Episode> = {}): Episode {
  return {
    id: 'e',
    kind: 'failure',
    logGroup: '/aws/sagemaker/TrainingJobs',
    logStream: 'job/algo-1-1764148442',
    lines: OOM,
    expected: [{ category: 'cuda_oom', headline: 'CUDA out of memory.  Tried' }],
    ...overrides,
  };
}

describe('parseEpisodes', () => {
  it('reads rows and reports the malformed ones', () => {
    const good = {
      id: 'a',
      source_url: 'https://example.com',
      kind: 'benign',
      log_group: 'g',
      log_stream: 's',
      lines: ['x'],
      expected: [],
      note: null,
    };
    const text = [
      JSON.stringify(good),
      '',
      'not json',
      JSON.stringify({ ...good, kind: 'other' }),
      JSON.stringify({ ...good, log_group: 1 }),
      JSON.stringify({ ...good, lines: [1] }),
      JSON.stringify({ ...good, expected: [{ category: 'nope', headline: 'x' }] }),
    ].join('\n');
    const { episodes, problems } = parseEpisodes(text);
    expect(episodes).toEqual([
      { id: 'a', kind: 'benign', logGroup: 'g', logStream: 's', lines: ['x'], expected: [] },
    ]);
    expect(problems.map((p) => [p.lineNumber, p.problem])).toEqual([
      [3, 'not JSON'],
      [4, 'id or kind'],
      [5, 'log group or stream'],
      [6, 'lines'],
      [7, 'expected'],
    ]);
  });
});

describe('runEpisode', () => {
  it('judges a failure by count, category and headline (whitespace collapsed)', async () => {
    const result = await runEpisode(episode());
    expect(result).toMatchObject({ exact: true, category: true, headline: true, quiet: false });
    expect(result.incidents).toHaveLength(1);
  });

  it('misses what does not match', async () => {
    const result = await runEpisode(
      episode({
        expected: [
          { category: 'cuda_oom', headline: 'nothing like it' },
          { category: 'nccl', headline: 'CUDA out of memory' },
        ],
      }),
    );
    expect(result).toMatchObject({ exact: false, category: false, headline: false });
  });

  it('a benign block is quiet when it gives no incident', async () => {
    const quiet = await runEpisode(episode({ kind: 'benign', lines: ['loss=0.5'], expected: [] }));
    expect(quiet.quiet).toBe(true);
  });
});

describe('evaluateEpisodes and formatEpisodeReport', () => {
  it('counts the measures and lists misses only when asked', async () => {
    const report = await evaluateEpisodes([
      episode(),
      episode({ id: 'wrong', expected: [{ category: 'nccl', headline: 'x' }] }),
      episode({ id: 'loud', kind: 'benign', expected: [] }),
      episode({ id: 'calm', kind: 'benign', lines: ['ok'], expected: [] }),
    ]);
    expect(toEpisodeFigures(report)).toEqual({
      failures: 2,
      benign: 2,
      exact: 1,
      category: 1,
      headline: 1,
      benignQuiet: 1,
    });
    const withMisses = formatEpisodeReport('t', report, true);
    expect(withMisses).toContain('✗ wrong (exact, category, headline)');
    expect(withMisses).toContain('✗ loud (quiet)');
    expect(withMisses).not.toContain('✗ calm');
    expect(formatEpisodeReport('t', report, false)).not.toContain('✗');
    expect(formatEpisodeReport('t', await evaluateEpisodes([]), false)).toContain('n/a');
  });
});

/**
 * The quality gate on the real episode corpus (test/fixtures/corpus/): the develop figures at the
 * level reached, the hold-out at its last measured level, so any regression fails. Only aggregate
 * figures of the hold-out are asserted. Before any grouping change: develop 23 / 43 / 37 / 11,
 * hold-out 9 / 20 / 26 / 8 (exact, category, headline, quiet benign blocks). After the grouping
 * changes: develop 36 / 44 / 45 / 11, hold-out 12 / 19 / 25 / 8; with the line classifier's general
 * tier and context on top (the line words now start incidents grouping alone did not): develop
 * 30 / 45 / 44 / 9, hold-out 13 / 20 / 26 / 7. With the general tier's failure words folding into
 * the failure another line heads, context-given categories leaving a structure's category alone,
 * and two benign startup messages (the toolkit's SSH wait, a NCCL network plugin falling back):
 * develop 39 / 47 / 45 / 11, hold-out 13 / 21 / 25 / 7.
 */
const GATES = {
  develop: { failures: 52, benign: 12, exact: 39, category: 47, headline: 45, benignQuiet: 11 },
  holdout: { failures: 33, benign: 11, exact: 13, category: 21, headline: 25, benignQuiet: 7 },
} as const;

describe.each(Object.entries(GATES))('episodes.%s.jsonl through the pipeline', (part, gate) => {
  it('meets its figures', async () => {
    const url = new URL(`../../fixtures/corpus/episodes.${part}.jsonl`, import.meta.url);
    const { episodes, problems } = parseEpisodes(readFileSync(url, 'utf8'));
    expect(problems).toEqual([]);
    const figures = toEpisodeFigures(await evaluateEpisodes(episodes));
    expect(figures.failures).toBe(gate.failures);
    expect(figures.benign).toBe(gate.benign);
    for (const measure of ['exact', 'category', 'headline', 'benignQuiet'] as const) {
      expect(figures[measure], measure).toBeGreaterThanOrEqual(gate[measure]);
    }
  });
});
