import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkTargets, evaluateClassifier, parseLabelledLines } from '../../../lib/classify/eval.ts';
import { classifyMessage } from '../../../lib/classify/index.ts';

/**
 * The quality gate: the classifier on each labelled set of real SageMaker log lines meets every
 * target (error recall, false alarms, category accuracy, metric and HTTP extraction). The second
 * set was labelled before it was first measured (test/fixtures/README.md); it is a regression set now.
 */
describe.each(['sagemaker-log-lines.dev.jsonl', 'sagemaker-log-lines.holdout.jsonl'])(
  'classifier on %s',
  (file) => {
    const fixture = new URL(`../../fixtures/${file}`, import.meta.url);
    const { lines, problems } = parseLabelledLines(readFileSync(fixture, 'utf8'));
    const report = evaluateClassifier(lines, classifyMessage);

    it('reads every labelled line', () => {
      expect(problems).toEqual([]);
      expect(lines.length).toBeGreaterThan(100);
    });

    it.each(checkTargets(report).map((result) => [result.measure, result] as const))(
      'meets the %s target',
      (_name, result) => {
        expect(result.rate, `${result.measure} ${result.bound} ${result.value}`).not.toBeNull();
        expect(result.met, `${result.measure} is ${result.rate}`).toBe(true);
      },
    );
  },
);
