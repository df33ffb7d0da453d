import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/errors.ts';
import { ALLOWED_RETENTION_DAYS, readSubscriptionConfig } from '../../../lib/subscriptions/config.ts';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:sagewatch-dev-process-logs';

function errorOf(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readSubscriptionConfig', () => {
  it('applies the documented defaults', () => {
    const config = readSubscriptionConfig({ PROCESSOR_FUNCTION_ARN: ARN });
    expect(config).toMatchObject({
      destinationArn: ARN,
      processorLogGroup: '/aws/lambda/sagewatch-dev-process-logs',
      filterName: 'sagewatch',
      filterPattern: '',
      metricsNamespace: 'SageMaker/Logs',
    });
    expect(config.include.map((p) => p.source)).toEqual(['/aws/sagemaker/*']);
    expect(config.exclude).toEqual([]);
    expect(config).not.toHaveProperty('retentionDays');
    expect(config).not.toHaveProperty('ownLogGroupPrefix');
  });

  it('reads every variable', () => {
    const config = readSubscriptionConfig({
      PROCESSOR_FUNCTION_ARN: `${ARN}:live`,
      SUBSCRIPTION_FILTER_NAME: 'sagewatch-prod',
      SUBSCRIPTION_FILTER_PATTERN: ' -DEBUG ',
      INCLUDE_PATTERNS: '/aws/sagemaker/Endpoints/*, /aws/sagemaker/TrainingJobs',
      EXCLUDE_PATTERNS: 're:/Endpoints/sm-epc-',
      OWN_LOG_GROUP_PREFIX: '/aws/lambda/sagewatch-prod-',
      SET_RETENTION_DAYS: '30',
      METRICS_NAMESPACE: 'Team/SageMaker',
    });
    expect(config).toMatchObject({
      processorLogGroup: '/aws/lambda/sagewatch-dev-process-logs',
      filterName: 'sagewatch-prod',
      filterPattern: '-DEBUG',
      ownLogGroupPrefix: '/aws/lambda/sagewatch-prod-',
      retentionDays: 30,
      metricsNamespace: 'Team/SageMaker',
    });
    expect(config.include.map((p) => p.source)).toEqual([
      '/aws/sagemaker/Endpoints/*',
      '/aws/sagemaker/TrainingJobs',
    ]);
    expect(config.exclude.map((p) => p.source)).toEqual(['re:/Endpoints/sm-epc-']);
  });

  it('treats SET_RETENTION_DAYS=0 as off and accepts every CloudWatch value', () => {
    expect(
      readSubscriptionConfig({ PROCESSOR_FUNCTION_ARN: ARN, SET_RETENTION_DAYS: '0' }),
    ).not.toHaveProperty('retentionDays');
    for (const days of ALLOWED_RETENTION_DAYS) {
      expect(
        readSubscriptionConfig({ PROCESSOR_FUNCTION_ARN: ARN, SET_RETENTION_DAYS: String(days) })
          .retentionDays,
      ).toBe(days);
    }
  });

  it.each([
    [{}, 'PROCESSOR_FUNCTION_ARN', /is required/],
    [
      { PROCESSOR_FUNCTION_ARN: 'arn:aws:sns:us-east-1:123456789012:topic' },
      'PROCESSOR_FUNCTION_ARN',
      /not a Lambda/,
    ],
    [{ PROCESSOR_FUNCTION_ARN: ARN, SUBSCRIPTION_FILTER_NAME: 'a:b' }, 'SUBSCRIPTION_FILTER_NAME', /":"/],
    [
      { PROCESSOR_FUNCTION_ARN: ARN, SUBSCRIPTION_FILTER_PATTERN: 'x'.repeat(1025) },
      'SUBSCRIPTION_FILTER_PATTERN',
      /1024/,
    ],
    [{ PROCESSOR_FUNCTION_ARN: ARN, INCLUDE_PATTERNS: 're:([' }, 'INCLUDE_PATTERNS', /pattern 're:\(\['/],
    [
      { PROCESSOR_FUNCTION_ARN: ARN, EXCLUDE_PATTERNS: 're:' },
      'EXCLUDE_PATTERNS',
      /empty regular expression/,
    ],
    [
      { PROCESSOR_FUNCTION_ARN: ARN, OWN_LOG_GROUP_PREFIX: '/aws/lambda/x y' },
      'OWN_LOG_GROUP_PREFIX',
      /prefix/,
    ],
    [
      { PROCESSOR_FUNCTION_ARN: ARN, SET_RETENTION_DAYS: '10' },
      'SET_RETENTION_DAYS',
      /not a CloudWatch Logs retention/,
    ],
    [{ PROCESSOR_FUNCTION_ARN: ARN, SET_RETENTION_DAYS: 'forever' }, 'SET_RETENTION_DAYS', /not a number/],
    [{ PROCESSOR_FUNCTION_ARN: ARN, METRICS_NAMESPACE: 'AWS/SageMaker' }, 'METRICS_NAMESPACE', /AWS\//],
  ])('refuses a bad value and names the variable (%#)', (env, variable, message) => {
    const error = errorOf(() => readSubscriptionConfig(env));
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
  });
});

describe('readSubscriptionConfig with a delivery stream (delivery=kinesis)', () => {
  const STREAM = 'arn:aws:kinesis:us-east-1:123456789012:stream/sagewatch-dev-logs';
  const ROLE = 'arn:aws:iam::123456789012:role/sagewatch-dev-logs-writer';

  it('delivers to the stream with the role, and still knows the processor as ours', () => {
    const config = readSubscriptionConfig({
      PROCESSOR_FUNCTION_ARN: ARN,
      DELIVERY_STREAM_ARN: STREAM,
      DELIVERY_ROLE_ARN: ROLE,
    });
    expect(config).toMatchObject({
      destinationArn: STREAM,
      roleArn: ROLE,
      ownDestinationArns: [STREAM, ARN],
      processorLogGroup: '/aws/lambda/sagewatch-dev-process-logs',
    });
  });

  it('delivers to the processor without a stream (empty variables are unset)', () => {
    const config = readSubscriptionConfig({
      PROCESSOR_FUNCTION_ARN: ARN,
      DELIVERY_STREAM_ARN: '',
      DELIVERY_ROLE_ARN: '',
    });
    expect(config.destinationArn).toBe(ARN);
    expect(config).not.toHaveProperty('roleArn');
    expect(config.ownDestinationArns).toEqual([ARN]);
  });

  it.each([
    [{ DELIVERY_STREAM_ARN: 'arn:aws:sqs:us-east-1:123456789012:queue' }, 'DELIVERY_STREAM_ARN'],
    [{ DELIVERY_STREAM_ARN: STREAM }, 'DELIVERY_ROLE_ARN'],
    [{ DELIVERY_ROLE_ARN: ROLE }, 'DELIVERY_ROLE_ARN'],
    [{ DELIVERY_STREAM_ARN: STREAM, DELIVERY_ROLE_ARN: 'role/x' }, 'DELIVERY_ROLE_ARN'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => readSubscriptionConfig({ PROCESSOR_FUNCTION_ARN: ARN, ...env })).toThrow(variable);
  });
});
