import { describe, expect, it } from 'vitest';
import {
  checkTargets,
  DEFAULT_TARGETS,
  evaluateClassifier,
  formatReport,
  type LabelledLine,
  parseLabelledLines,
  splitLabelledLines,
  valuesMatch,
} from '../../../lib/classify/eval.ts';
import type { Classification } from '../../../lib/types.ts';

function labelled(overrides: Partial<LabelledLine> & Pick<LabelledLine, 'text'>): LabelledLine {
  return {
    severity: 'info',
    category: 'none',
    metrics: null,
    httpStatus: null,
    latencyMs: null,
    note: null,
    ...overrides,
  };
}

/** A classifier that answers from a table, info/none otherwise. */
function fakeClassifier(answers: Record<string, Classification>) {
  return (message: string): Classification => answers[message] ?? { severity: 'info', category: 'none' };
}

describe('parseLabelledLines', () => {
  it('reads records, defaulting optional fields to null, and skips blank lines', () => {
    // Prepare
    const jsonl = [
      '{"text":"a","severity":"error","category":"cuda_oom","metrics":{"loss":null},"http_status":500,"latency_ms":3,"note":"n"}',
      '',
      '{"text":"b","severity":"info","category":"none"}',
    ].join('\n');

    // Act
    const { lines, problems } = parseLabelledLines(jsonl);

    // Assess
    expect(problems).toEqual([]);
    expect(lines).toEqual([
      {
        text: 'a',
        severity: 'error',
        category: 'cuda_oom',
        metrics: { loss: null },
        httpStatus: 500,
        latencyMs: 3,
        note: 'n',
      },
      labelled({ text: 'b' }),
    ]);
  });

  it('reports lines that are not JSON or do not fit the schema, by line number', () => {
    const { lines, problems } = parseLabelledLines(
      '{oops\n{"text":"x","severity":"fatal","category":"none"}',
    );
    expect(lines).toEqual([]);
    expect(problems).toEqual([
      { lineNumber: 1, problem: 'not valid JSON' },
      { lineNumber: 2, problem: expect.stringMatching(/^severity: /) },
    ]);
  });
});

describe('valuesMatch', () => {
  it('compares within a relative tolerance and treats a null label as NaN', () => {
    expect(valuesMatch(0.1, 0.1 + 1e-9)).toBe(true);
    expect(valuesMatch(0.1, 0.11)).toBe(false);
    expect(valuesMatch(0, 0)).toBe(true);
    expect(valuesMatch(null, Number.NaN)).toBe(true);
    expect(valuesMatch(null, 1)).toBe(false);
    expect(valuesMatch(1, undefined)).toBe(false);
  });
});

describe('evaluateClassifier', () => {
  const lines = [
    labelled({ text: 'oom', severity: 'error', category: 'cuda_oom' }),
    labelled({ text: 'missed', severity: 'error', category: 'nccl' }),
    labelled({ text: 'benign', severity: 'info', category: 'none' }),
    labelled({ text: 'alarm', severity: 'info', category: 'none' }),
    labelled({ text: 'warn', severity: 'warning', category: 'none' }),
    labelled({ text: 'metrics', metrics: { loss: 0.5, acc: null } }),
    labelled({ text: 'http', httpStatus: 200, latencyMs: 20 }),
  ];
  const classify = fakeClassifier({
    oom: { severity: 'error', category: 'cuda_oom' },
    alarm: { severity: 'error', category: 'python_exception' },
    warn: { severity: 'warning', category: 'none' },
    metrics: { severity: 'info', category: 'none', metrics: { loss: 0.5, acc: Number.NaN } },
    http: { severity: 'info', category: 'none', http: { status: 200, latencyMs: 21 } },
  });

  it('scores each measure over the lines it applies to', () => {
    // Act
    const report = evaluateClassifier(lines, classify);

    // Assess
    expect(report.lines).toBe(7);
    expect(report.measures.errorRecall).toEqual({ hits: 1, total: 2, rate: 0.5 });
    expect(report.measures.errorPrecision).toEqual({ hits: 1, total: 2, rate: 0.5 });
    expect(report.measures.falseAlarmRate).toEqual({ hits: 1, total: 4, rate: 0.25 });
    expect(report.measures.warningRecall).toEqual({ hits: 1, total: 1, rate: 1 });
    expect(report.measures.warningPrecision).toEqual({ hits: 1, total: 1, rate: 1 });
    expect(report.measures.categoryAccuracy).toEqual({ hits: 1, total: 2, rate: 0.5 });
    expect(report.measures.overallCategoryAccuracy).toEqual({ hits: 5, total: 7, rate: 5 / 7 });
    expect(report.measures.metricAccuracy).toEqual({ hits: 1, total: 1, rate: 1 });
    expect(report.measures.httpStatusAccuracy).toEqual({ hits: 1, total: 1, rate: 1 });
    expect(report.measures.latencyAccuracy).toEqual({ hits: 0, total: 1, rate: 0 });
  });

  it('lists each miss with what was wrong', () => {
    const report = evaluateClassifier(lines, classify);
    expect(report.misses.map((miss) => [miss.line.text, miss.kinds])).toEqual([
      ['missed', ['severity', 'category']],
      ['alarm', ['severity', 'category']],
      ['http', ['latency']],
    ]);
  });

  it('counts missing metrics and statuses as misses', () => {
    const report = evaluateClassifier(
      [labelled({ text: 'm', metrics: { loss: 1 } }), labelled({ text: 'h', httpStatus: 404 })],
      fakeClassifier({}),
    );
    expect(report.measures.metricAccuracy.rate).toBe(0);
    expect(report.measures.httpStatusAccuracy.rate).toBe(0);
    expect(report.misses.map((miss) => miss.kinds)).toEqual([['metrics'], ['http_status']]);
  });

  it('reports no rate where no line applies', () => {
    expect(evaluateClassifier([], classify).measures.errorRecall).toEqual({ hits: 0, total: 0, rate: null });
  });
});

describe('checkTargets', () => {
  it('checks minimum and maximum bounds, and passes measures with no applicable line', () => {
    // Prepare
    const report = evaluateClassifier(
      [labelled({ text: 'oom', severity: 'error', category: 'cuda_oom' }), labelled({ text: 'benign' })],
      fakeClassifier({
        oom: { severity: 'error', category: 'cuda_oom' },
        benign: { severity: 'error', category: 'none' },
      }),
    );

    // Act
    const results = checkTargets(report);

    // Assess
    expect(results).toHaveLength(DEFAULT_TARGETS.length);
    expect(results.find((result) => result.measure === 'errorRecall')).toMatchObject({ rate: 1, met: true });
    expect(results.find((result) => result.measure === 'falseAlarmRate')).toMatchObject({
      rate: 1,
      met: false,
    });
    expect(results.find((result) => result.measure === 'metricAccuracy')).toMatchObject({
      rate: null,
      met: true,
    });
  });
});

describe('splitLabelledLines', () => {
  it('splits deterministically, about a third held out, every line in exactly one part', () => {
    // Prepare
    const lines = Array.from({ length: 300 }, (_, index) => labelled({ text: `line ${index}` }));

    // Act
    const first = splitLabelledLines(lines);
    const second = splitLabelledLines([...lines].reverse());

    // Assess
    expect(first.dev.length + first.heldOut.length).toBe(300);
    expect(first.heldOut.length).toBeGreaterThan(70);
    expect(first.heldOut.length).toBeLessThan(130);
    expect(new Set(second.heldOut.map((line) => line.text))).toEqual(
      new Set(first.heldOut.map((line) => line.text)),
    );
  });
});

describe('formatReport', () => {
  const lines = [
    labelled({ text: `long ${'x'.repeat(200)}\nsecond line`, severity: 'error', category: 'nccl' }),
    labelled({ text: 'metrics', metrics: { loss: 1 } }),
    labelled({ text: 'http', httpStatus: 200 }),
  ];
  const classify = fakeClassifier({
    metrics: { severity: 'info', category: 'none', metrics: { loss: Number.NaN } },
  });

  it('prints the measures, the targets and the misses', () => {
    // Prepare
    const report = evaluateClassifier(lines, classify);

    // Act
    const text = formatReport('Title', report, checkTargets(report));

    // Assess
    expect(text).toContain('Title: 3 labelled lines');
    expect(text).toMatch(/error recall .* 0\.0%\s+\(0\/1\)\s+target >= 95%\s+MISSED/);
    expect(text).toMatch(/warning recall .* n\/a/);
    expect(text).toContain('Misses (3):');
    expect(text).toContain('expected error/nccl, got info/none (default)');
    expect(text).toContain('...');
    expect(text).not.toContain('second line\n');
    expect(text).toContain('metrics expected {"loss":1}, got {"loss":"NaN"}');
    expect(text).toContain('http expected 200/null ms, got undefined/undefined ms');
  });

  it('lists at most the requested number of misses and counts the rest', () => {
    const report = evaluateClassifier(lines, classify);
    const text = formatReport('T', report, [], { maxMisses: 1 });
    expect(text).toContain('... and 2 more');
    expect(text).not.toContain('target');
    expect(
      formatReport(
        'T',
        evaluateClassifier([labelled({ text: 'm', metrics: { a: 1 } })], fakeClassifier({})),
        [],
      ),
    ).toContain('metrics expected {"a":1}, got -');
  });
});
