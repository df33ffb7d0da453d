import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  EndpointAlarmKinds,
  readEndpointAlarmConfig,
} from '../../../lib/endpoint-alarms/config.ts';
import { ConfigError } from '../../../lib/errors.ts';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:sagewatch-dev-alerts';

function variableOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error.variable;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readEndpointAlarmConfig', () => {
  it('applies the documented defaults', () => {
    expect(readEndpointAlarmConfig({ STAGE: 'dev' })).toEqual({
      stage: 'dev',
      alarmNamePrefix: 'sagewatch-dev',
      alarms: [...EndpointAlarmKinds],
      modelLatencyP99Ms: DEFAULT_THRESHOLDS.modelLatencyP99Ms,
      http5xxThreshold: DEFAULT_THRESHOLDS.http5xx,
      errorEventsThreshold: DEFAULT_THRESHOLDS.errorEvents,
      metricsNamespace: 'SageMaker/Logs',
    });
  });

  it('reads every variable; duplicates in ENDPOINT_ALARMS collapse', () => {
    const config = readEndpointAlarmConfig({
      STAGE: 'prod-eu',
      ALERTS_TOPIC_ARN: TOPIC,
      ENDPOINT_ALARMS: 'ModelLatency, ErrorEvents, ModelLatency',
      ALARM_MODEL_LATENCY_P99_MS: '750.5',
      ALARM_5XX_THRESHOLD: '1',
      ALARM_ERROR_EVENTS_THRESHOLD: '25',
      METRICS_NAMESPACE: 'Team/SageMaker',
    });
    expect(config).toEqual({
      stage: 'prod-eu',
      alarmNamePrefix: 'sagewatch-prod-eu',
      alarms: ['ModelLatency', 'ErrorEvents'],
      alertsTopicArn: TOPIC,
      modelLatencyP99Ms: 750.5,
      http5xxThreshold: 1,
      errorEventsThreshold: 25,
      metricsNamespace: 'Team/SageMaker',
    });
  });

  it('turns every alarm off with an empty ENDPOINT_ALARMS', () => {
    expect(readEndpointAlarmConfig({ STAGE: 'dev', ENDPOINT_ALARMS: '' }).alarms).toEqual([]);
  });

  it.each([
    [{}, 'STAGE'],
    [{ STAGE: 'dev/x' }, 'STAGE'],
    [{ STAGE: 'x'.repeat(33) }, 'STAGE'],
    [{ STAGE: 'dev', ALERTS_TOPIC_ARN: 'arn:aws:sqs:us-east-1:123456789012:q' }, 'ALERTS_TOPIC_ARN'],
    [{ STAGE: 'dev', ENDPOINT_ALARMS: 'CPUUtilization' }, 'ENDPOINT_ALARMS'],
    [{ STAGE: 'dev', ALARM_MODEL_LATENCY_P99_MS: '0' }, 'ALARM_MODEL_LATENCY_P99_MS'],
    [{ STAGE: 'dev', ALARM_5XX_THRESHOLD: '2.5' }, 'ALARM_5XX_THRESHOLD'],
    [{ STAGE: 'dev', ALARM_ERROR_EVENTS_THRESHOLD: '-1' }, 'ALARM_ERROR_EVENTS_THRESHOLD'],
    [{ STAGE: 'dev', METRICS_NAMESPACE: 'AWS/Mine' }, 'METRICS_NAMESPACE'],
  ])('names the variable of a bad value (%#)', (env, variable) => {
    expect(variableOf(() => readEndpointAlarmConfig(env))).toBe(variable);
  });
});
