import { describe, expect, it } from 'vitest';
import {
  CORPUS_TARGETS,
  checkTargets,
  evaluateClassifier,
  formatReport,
  parseLabelledLines,
  toResourceType,
} from '../../../lib/classify/eval.ts';
import type { Classification } from '../../../lib/types.ts';

describe('the corpus evaluation', () => {
  it('reads resource_type and turns it into a classification context', () => {
    const { lines } = parseLabelledLines(
      '{"text":"x","severity":"info","category":"none","resource_type":"endpoint"}\n{"text":"y","severity":"info","category":"none"}',
    );
    expect(lines[0]?.resourceType).toBe('endpoint');
    expect(lines[1]?.resourceType).toBeUndefined();
    expect(toResourceType('training job')).toBe('TrainingJob');
    expect(toResourceType('notebook lifecycle')).toBe('NotebookInstance');
    expect(toResourceType('hyperpod')).toBe('HyperPodCluster');
    expect(toResourceType('unknown')).toBeUndefined();
    expect(toResourceType(undefined)).toBeUndefined();
  });

  it('passes each line to the classifier with its row', () => {
    const { lines } = parseLabelledLines(
      '{"text":"boom","severity":"error","category":"invocation_error","resource_type":"endpoint"}',
    );
    const report = evaluateClassifier(
      lines,
      (_text, line): Classification =>
        line.resourceType === 'endpoint'
          ? { severity: 'error', category: 'invocation_error' }
          : { severity: 'info', category: 'none' },
    );
    expect(report.measures.categoryAccuracy.rate).toBe(1);
  });

  it('prints aggregate figures only, never a line, for a hold-out', () => {
    const { lines } = parseLabelledLines(
      '{"text":"a secret hold-out line","severity":"error","category":"nccl"}',
    );
    const report = evaluateClassifier(lines, () => ({ severity: 'info', category: 'none' }));
    const text = formatReport('holdout', report, checkTargets(report, CORPUS_TARGETS), {
      aggregateOnly: true,
    });
    expect(text).not.toContain('a secret hold-out line');
    expect(text).toContain('Misses: 1 (not listed');
    expect(checkTargets(report, CORPUS_TARGETS).find((result) => result.measure === 'errorRecall')?.met).toBe(
      false,
    );
  });
});
