import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/errors.ts';
import { readProcessorConfig } from '../../../lib/processor/config.ts';

describe('readProcessorConfig: CLASSIFICATION_BUDGET_SECONDS', () => {
  it('is absent by default (the handler applies DEFAULT_CLASSIFICATION_BUDGET_CAP_MS)', () => {
    expect(readProcessorConfig({}).classificationBudgetCapMs).toBeUndefined();
    expect(
      readProcessorConfig({ CLASSIFICATION_BUDGET_SECONDS: ' ' }).classificationBudgetCapMs,
    ).toBeUndefined();
  });

  it('reads seconds into milliseconds', () => {
    expect(readProcessorConfig({ CLASSIFICATION_BUDGET_SECONDS: '12' }).classificationBudgetCapMs).toBe(
      12_000,
    );
  });

  it.each(['0', '901', 'soon', '1.5'])('refuses %s, naming the variable', (value) => {
    expect(() => readProcessorConfig({ CLASSIFICATION_BUDGET_SECONDS: value })).toThrow(ConfigError);
    expect(() => readProcessorConfig({ CLASSIFICATION_BUDGET_SECONDS: value })).toThrow(
      /CLASSIFICATION_BUDGET_SECONDS/,
    );
  });
});
