import { describe, expect, it } from 'vitest';
import { readArn, readChoice, readInteger, readOptional } from '../../../lib/env.ts';
import { ConfigError } from '../../../lib/errors.ts';
import { readProcessorConfig } from '../../../lib/processor/config.ts';

describe('readProcessorConfig', () => {
  it('applies the documented defaults', () => {
    expect(readProcessorConfig({})).toEqual({
      namespace: 'SageMaker/Logs',
      detail: 'host',
      valueCounts: true,
      suppressionWindowMs: 15 * 60_000,
      region: 'us-east-1',
      alertContext: true,
      alertContextBudgetMs: 2000,
    });
  });

  it('reads every variable', () => {
    expect(
      readProcessorConfig({
        METRICS_NAMESPACE: 'Team/ML',
        METRICS_DETAIL: 'container',
        EMF_VALUE_COUNTS: 'false',
        ALERTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:sagewatch-alerts',
        SUPPRESSION_TABLE: 'sagewatch-prod-suppression',
        SUPPRESSION_WINDOW_MINUTES: '30',
        FLUSH_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/sagewatch-prod-flush',
        METRIC_DEFINITIONS: '[{"Name":"f1","Regex":"f1=([0-9.]+)"}]',
        AWS_REGION: 'eu-west-1',
        ALERT_CONTEXT: 'false',
        ALERT_CONTEXT_BUDGET_MS: '500',
      }),
    ).toEqual({
      namespace: 'Team/ML',
      detail: 'container',
      valueCounts: false,
      alertsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:sagewatch-alerts',
      suppressionTable: 'sagewatch-prod-suppression',
      suppressionWindowMs: 30 * 60_000,
      flushQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/sagewatch-prod-flush',
      metricDefinitionsJson: '[{"Name":"f1","Regex":"f1=([0-9.]+)"}]',
      region: 'eu-west-1',
      alertContext: false,
      alertContextBudgetMs: 500,
    });
  });

  it.each([
    [{ METRICS_NAMESPACE: 'AWS/SageMaker' }, 'METRICS_NAMESPACE'],
    [{ METRICS_DETAIL: 'instance' }, 'METRICS_DETAIL'],
    [{ FLUSH_QUEUE_URL: 'sagewatch-flush' }, 'FLUSH_QUEUE_URL'],
    [{ ALERTS_TOPIC_ARN: 'my-topic' }, 'ALERTS_TOPIC_ARN'],
    [{ ALERTS_TOPIC_ARN: 'arn:aws:sqs:us-east-1:123456789012:q' }, 'ALERTS_TOPIC_ARN'],
    [{ SUPPRESSION_TABLE: 'a b' }, 'SUPPRESSION_TABLE'],
    [{ SUPPRESSION_WINDOW_MINUTES: '0' }, 'SUPPRESSION_WINDOW_MINUTES'],
    [{ SUPPRESSION_WINDOW_MINUTES: '1.5' }, 'SUPPRESSION_WINDOW_MINUTES'],
    [{ SUPPRESSION_WINDOW_MINUTES: 'ten' }, 'SUPPRESSION_WINDOW_MINUTES'],
    [{ ALERT_CONTEXT: 'yes' }, 'ALERT_CONTEXT'],
    [{ EMF_VALUE_COUNTS: 'no' }, 'EMF_VALUE_COUNTS'],
    [{ ALERT_CONTEXT_BUDGET_MS: '50' }, 'ALERT_CONTEXT_BUDGET_MS'],
    [{ ALERT_CONTEXT_BUDGET_MS: '60000' }, 'ALERT_CONTEXT_BUDGET_MS'],
  ])('rejects %o naming %s', (env, variable) => {
    let thrown: unknown;
    try {
      readProcessorConfig(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(variable);
    expect((thrown as Error).message.startsWith(`${variable}: `)).toBe(true);
  });
});

describe('readers', () => {
  it('treat blank values as absent', () => {
    expect(readOptional({ X: '   ' }, 'X')).toBeUndefined();
    expect(readInteger({ X: '' }, 'X', 7, 0, 10)).toBe(7);
    expect(readChoice({}, 'X', ['a', 'b'], 'b')).toBe('b');
    expect(readArn({}, 'X', 'sns')).toBeUndefined();
  });
  it('accept other partitions in ARNs', () => {
    expect(readArn({ X: 'arn:aws-cn:sns:cn-north-1:123456789012:t' }, 'X', 'sns')).toBe(
      'arn:aws-cn:sns:cn-north-1:123456789012:t',
    );
  });
  it('accept negative integers inside the range', () => {
    expect(readInteger({ X: '-3' }, 'X', 0, -5, 5)).toBe(-3);
  });
});
