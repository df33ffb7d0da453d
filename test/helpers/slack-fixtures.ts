import type { Incident } from '../../lib/incidents/types.ts';

/** A CUDA OOM incident of a training job, as process-logs publishes it (schemaVersion 1). */
export function sampleIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    schemaVersion: 1,
    fingerprint: '3f2a9c4d1e8b7a60',
    severity: 'critical',
    category: 'cuda_oom',
    title: 'CUDA out of memory in training job llama-ft-2026-03-02 (algo-2)',
    headline:
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 72.00 MiB (GPU 0; 14.76 GiB total capacity)',
    resourceType: 'TrainingJob',
    resourceName: 'llama-ft-2026-03-02',
    host: 'llama-ft-2026-03-02/algo-2',
    instance: 'algo-2',
    logGroup: '/aws/sagemaker/TrainingJobs',
    logStream: 'llama-ft-2026-03-02/algo-2-1772445600',
    region: 'us-east-1',
    accountId: '123456789012',
    count: 3,
    firstSeenMs: 1_772_445_900_000,
    lastSeenMs: 1_772_445_960_000,
    eventIds: ['38000000000000000000000001', '38000000000000000000000002'],
    context: [
      'Traceback (most recent call last):',
      '  File "/opt/ml/code/train.py", line 88, in <module>',
      '    loss.backward()',
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 72.00 MiB (GPU 0; 14.76 GiB total capacity)',
    ],
    truncated: false,
    consoleUrl:
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Fsagemaker$252FTrainingJobs',
    ...overrides,
  };
}

/** A CloudWatch alarm notification as CloudWatch publishes it to SNS. */
export function sampleAlarm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    AlarmName: 'sagewatch-prod-self-notify-slack-errors',
    AlarmDescription: 'notify-slack failed to post to Slack.',
    AWSAccountId: '123456789012',
    AlarmConfigurationUpdatedTimestamp: '2026-03-01T08:00:00.000+0000',
    NewStateValue: 'ALARM',
    NewStateReason:
      'Threshold Crossed: 1 datapoint [2.0 (02/03/26 10:14:00)] was greater than or equal to the threshold (1.0).',
    StateChangeTime: '2026-03-02T10:15:00.000+0000',
    Region: 'US East (N. Virginia)',
    AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:sagewatch-prod-self-notify-slack-errors',
    OldStateValue: 'OK',
    OKActions: [],
    AlarmActions: ['arn:aws:sns:us-east-1:123456789012:sagewatch-prod-alerts'],
    InsufficientDataActions: [],
    Trigger: {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      StatisticType: 'Statistic',
      Statistic: 'SUM',
      Unit: null,
      Dimensions: [{ value: 'sagewatch-prod-notify-slack', name: 'FunctionName' }],
      Period: 60,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1.0,
      TreatMissingData: 'notBreaching',
    },
    ...overrides,
  };
}
