import { describe, expect, it } from 'vitest';
import {
  MAX_ALARM_NAME_LENGTH,
  parseAlarmName,
  toAlarmName,
  toEndpointAlarmPrefix,
  toEndpointAlarms,
  toStageAlarmPrefix,
} from '../../../lib/endpoint-alarms/alarms.ts';
import { readEndpointAlarmConfig } from '../../../lib/endpoint-alarms/config.ts';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:sagewatch-dev-alerts';
const config = readEndpointAlarmConfig({
  STAGE: 'dev',
  ALERTS_TOPIC_ARN: TOPIC,
  ALARM_MODEL_LATENCY_P99_MS: '1500',
});

describe('alarm names', () => {
  it('are sagewatch-<stage>/<endpoint>/<variant>/<alarm>', () => {
    expect(toAlarmName(config, 'churn-xgb-prod', 'AllTraffic', 'ModelLatency')).toBe(
      'sagewatch-dev/churn-xgb-prod/AllTraffic/ModelLatency',
    );
    expect(toStageAlarmPrefix(config)).toBe('sagewatch-dev/');
  });

  it("give each endpoint a prefix that does not match a longer endpoint's alarms", () => {
    const prefix = toEndpointAlarmPrefix(config, 'my-ep');
    expect(toAlarmName(config, 'my-ep', 'AllTraffic', 'ErrorEvents').startsWith(prefix)).toBe(true);
    expect(toAlarmName(config, 'my-ep-2', 'AllTraffic', 'ErrorEvents').startsWith(prefix)).toBe(false);
  });

  it('parse back into their parts, and refuse names that are not ours', () => {
    expect(parseAlarmName(config, 'sagewatch-dev/ep/AllTraffic/ErrorEvents')).toEqual({
      endpointName: 'ep',
      variantName: 'AllTraffic',
      kind: 'ErrorEvents',
    });
    expect(parseAlarmName(config, 'sagewatch-prod/ep/AllTraffic/ErrorEvents')).toBeUndefined();
    expect(parseAlarmName(config, 'sagewatch-dev/ep/AllTraffic')).toBeUndefined();
    expect(parseAlarmName(config, 'sagewatch-dev/ep//ErrorEvents')).toBeUndefined();
    expect(parseAlarmName(config, 'sagewatch-dev/ep/a/b/c')).toBeUndefined();
  });
});

describe('toEndpointAlarms', () => {
  const { alarms, tooLong } = toEndpointAlarms(config, 'churn-xgb-prod', [
    'AllTraffic',
    'Canary',
    'AllTraffic',
  ]);
  const byName = new Map(alarms.map((alarm) => [alarm.AlarmName, alarm]));

  it('builds the configured set for each distinct variant', () => {
    expect(tooLong).toEqual([]);
    expect(alarms).toHaveLength(8);
    expect([...byName.keys()]).toContain('sagewatch-dev/churn-xgb-prod/Canary/ContainerHttp5XX');
  });

  it("alarms on SageMaker's ModelLatency p99 in microseconds", () => {
    expect(byName.get('sagewatch-dev/churn-xgb-prod/AllTraffic/ModelLatency')).toMatchObject({
      Namespace: 'AWS/SageMaker',
      MetricName: 'ModelLatency',
      ExtendedStatistic: 'p99',
      Threshold: 1_500_000,
      ComparisonOperator: 'GreaterThanThreshold',
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Dimensions: [
        { Name: 'EndpointName', Value: 'churn-xgb-prod' },
        { Name: 'VariantName', Value: 'AllTraffic' },
      ],
    });
    expect(byName.get('sagewatch-dev/churn-xgb-prod/AllTraffic/ModelLatency')).not.toHaveProperty(
      'Statistic',
    );
  });

  it("alarms on SageMaker's 5XX count and sagewatch's own metrics in the configured namespace", () => {
    expect(byName.get('sagewatch-dev/churn-xgb-prod/AllTraffic/Invocation5XXErrors')).toMatchObject({
      Namespace: 'AWS/SageMaker',
      Statistic: 'Sum',
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(byName.get('sagewatch-dev/churn-xgb-prod/AllTraffic/ContainerHttp5XX')).toMatchObject({
      Namespace: 'SageMaker/Logs',
      MetricName: 'ContainerHttp5XX',
      Threshold: 5,
    });
    expect(byName.get('sagewatch-dev/churn-xgb-prod/AllTraffic/ErrorEvents')).toMatchObject({
      Namespace: 'SageMaker/Logs',
      MetricName: 'ErrorEvents',
      Threshold: 10,
    });
  });

  it('wires every alarm to the alerts topic (alarm and recovery), tags it, and treats no data as fine', () => {
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([TOPIC]);
      expect(alarm.OKActions).toEqual([TOPIC]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
      expect(alarm.AlarmDescription.length).toBeLessThanOrEqual(1024);
      expect(alarm.AlarmDescription).toContain('churn-xgb-prod');
      expect(alarm.Tags).toContainEqual({ Key: 'managed-by', Value: 'sagewatch' });
      expect(alarm.Tags).toContainEqual({ Key: 'sagewatch:stage', Value: 'dev' });
      expect(alarm.Tags).toContainEqual({ Key: 'sagewatch:endpoint', Value: 'churn-xgb-prod' });
    }
    expect(byName.get('sagewatch-dev/churn-xgb-prod/AllTraffic/ModelLatency')?.AlarmDescription).toContain(
      '1500000 microseconds',
    );
  });

  it('creates alarms without actions when no topic is configured, and none when the set is empty', () => {
    const quiet = readEndpointAlarmConfig({ STAGE: 'dev', ENDPOINT_ALARMS: 'ErrorEvents' });
    const built = toEndpointAlarms(quiet, 'ep', ['AllTraffic']).alarms;
    expect(built).toHaveLength(1);
    expect(built[0]?.AlarmActions).toEqual([]);
    const none = readEndpointAlarmConfig({ STAGE: 'dev', ENDPOINT_ALARMS: '' });
    expect(toEndpointAlarms(none, 'ep', ['AllTraffic']).alarms).toEqual([]);
  });

  it(`returns names over ${MAX_ALARM_NAME_LENGTH} characters instead of truncating them`, () => {
    // 'sagewatch-dev/' + 160 + '/' + 62 + '/' = 238 characters before the alarm part.
    const [endpoint, variant] = ['e'.repeat(160), 'v'.repeat(62)];
    const result = toEndpointAlarms(config, endpoint, [variant]);
    expect(result.alarms.map((a) => a.MetricName)).toEqual([
      'ModelLatency',
      'ContainerHttp5XX',
      'ErrorEvents',
    ]);
    expect(result.alarms.every((a) => a.AlarmName.length <= MAX_ALARM_NAME_LENGTH)).toBe(true);
    expect(result.tooLong).toEqual([toAlarmName(config, endpoint, variant, 'Invocation5XXErrors')]);
  });
});
