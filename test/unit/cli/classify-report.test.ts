import { describe, expect, it } from 'vitest';
import {
  type ClassifyRecord,
  explainRule,
  keepRecord,
  renderClassifyReport,
  toClassifyRecord,
} from '../../../cli/classify-report.ts';
import { createClassifier, LEVEL_RULE_IDS, RULES } from '../../../lib/classify/index.ts';

const OOM = 'RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB';
const ACCESS = '10.0.0.1 - - [26/Nov/2026:09:30:00 +0000] "POST /invocations HTTP/1.1" 503 12 "-" "AHC/2.0"';

const classify = createClassifier({
  metricDefinitions: [{ name: 'val:f1', regex: 'F1 score is ([0-9.]+)' }],
});
const names = new Set(['val:f1']);
const record = (line: number, message: string): ClassifyRecord =>
  toClassifyRecord(line, message, classify(message), names);

describe('explainRule', () => {
  it('names the rule and its pattern', () => {
    const rule = RULES.find((r) => r.id === 'cuda-oom');
    expect(explainRule('cuda-oom')).toBe(`rule cuda-oom matched /${rule?.pattern.source}/`);
  });

  it('explains the log-level fallbacks, no rule, and an unknown id', () => {
    expect(explainRule(LEVEL_RULE_IDS.error)).toMatch(/ERROR level, which alone makes a warning/);
    expect(explainRule(LEVEL_RULE_IDS.warning)).toMatch(/WARNING level/);
    expect(explainRule(undefined)).toBe('no rule matched and the line has no error or warning level');
    expect(explainRule('retired-rule')).toBe('rule retired-rule');
  });
});

describe('toClassifyRecord', () => {
  it('records severity, category, rule and why', () => {
    expect(record(1, OOM)).toEqual({
      line: 1,
      message: OOM,
      severity: 'error',
      category: 'cuda_oom',
      ruleId: 'cuda-oom',
      reason: explainRule('cuda-oom'),
    });
  });

  it("marks metrics found by the operator's definitions", () => {
    const found = record(2, 'epoch 3 loss=0.5, F1 score is 0.91');
    expect(found.metrics).toMatchObject({ 'val:f1': 0.91 });
    expect(found.definitionMetrics).toEqual(['val:f1']);
    const builtIn = record(3, 'epoch 3 loss=0.5');
    expect(builtIn.metrics).toMatchObject({ loss: 0.5 });
    expect(builtIn.definitionMetrics).toBeUndefined();
  });

  it('records the HTTP request a line reports', () => {
    expect(record(4, ACCESS).http).toEqual({ status: 503 });
  });
});

describe('keepRecord', () => {
  const records = [
    record(1, OOM),
    record(2, 'WARNING: low disk'),
    record(3, 'loss=0.5'),
    record(4, ACCESS),
    record(5, 'hi'),
  ];
  const kept = (filter: Parameters<typeof keepRecord>[1]) =>
    records.filter((r) => keepRecord(r, filter)).map((r) => r.line);

  it('filters by severity, metrics or HTTP', () => {
    expect(kept('all')).toEqual([1, 2, 3, 4, 5]);
    expect(kept('errors')).toEqual([1, 4]);
    expect(kept('warnings')).toEqual([2]);
    expect(kept('problems')).toEqual([1, 2, 4]);
    expect(kept('metrics')).toEqual([3]);
    expect(kept('http')).toEqual([4]);
  });
});

describe('renderClassifyReport', () => {
  it('renders a row per line, the rules that decided, the marker legend and counts', () => {
    const records = [
      record(1, OOM),
      record(2, 'the F1 score is 0.9'),
      record(3, ACCESS),
      record(4, '2026-01-01 ERROR odd'),
    ];
    const lines = renderClassifyReport(records, 6, 120);
    const text = lines.join('\n');
    expect(lines[0]).toMatch(/^# +Severity +Category +Rule +Found +Message$/);
    expect(text).toMatch(/^1 +error +cuda_oom +cuda-oom +RuntimeError: CUDA out of memory/m);
    expect(text).toMatch(/^2 +info +none +- +val:f1\*=0\.9 +the F1 score is 0\.9$/m);
    expect(text).toMatch(/^3 +error +invocation_error +\S+ +HTTP 503 +10\.0\.0\.1/m);
    expect(text).toContain(`  cuda-oom: ${explainRule('cuda-oom')}`);
    expect(text).toContain(`  level-error: ${explainRule('level-error')}`);
    expect(text).toContain('* found by a metric definition (--metric-definitions)');
    expect(lines.at(-1)).toBe(
      '4 of 6 lines shown: 2 errors, 1 warnings, 1 with metrics, 1 HTTP requests (cuda_oom 1, invocation_error 1)',
    );
    expect(Math.max(...lines.slice(0, 6).map((line) => line.length))).toBeLessThanOrEqual(120);
  });

  it('shows latency, and leaves out the why and legend sections when empty', () => {
    const lines = renderClassifyReport(
      [
        toClassifyRecord(
          1,
          'GET 200',
          { severity: 'info', category: 'none', http: { status: 200, latencyMs: 12 } },
          names,
        ),
      ],
      1,
      80,
    );
    const text = lines.join('\n');
    expect(text).toContain('HTTP 200 12ms');
    expect(text).not.toContain('Why:');
    expect(text).not.toContain('found by a metric definition');
    expect(lines.at(-1)).toBe('1 of 1 lines shown: 0 errors, 0 warnings, 0 with metrics, 1 HTTP requests');
  });

  it('keeps a readable message column on a narrow terminal', () => {
    const lines = renderClassifyReport([record(1, OOM)], 1, 10);
    expect(lines[2]).toContain('RuntimeError: CUDA …');
  });
});
