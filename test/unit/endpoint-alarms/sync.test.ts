import { describe, expect, it } from 'vitest';
import { type AlarmDefinition, toEndpointAlarms } from '../../../lib/endpoint-alarms/alarms.ts';
import { readEndpointAlarmConfig } from '../../../lib/endpoint-alarms/config.ts';
import {
  type ExistingAlarm,
  planAlarmSync,
  planOrphanAlarms,
  toAlarmIntent,
} from '../../../lib/endpoint-alarms/sync.ts';

const config = readEndpointAlarmConfig({
  STAGE: 'dev',
  ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:t',
});
const desired = toEndpointAlarms(config, 'ep', ['AllTraffic']).alarms;

/** What DescribeAlarms returns for an alarm put from `definition`: no tags, extra state fields. */
function described(definition: AlarmDefinition): ExistingAlarm & { StateValue: string } {
  const { Tags: _tags, ...rest } = definition;
  return { ...rest, Dimensions: [...rest.Dimensions].reverse(), StateValue: 'OK' };
}

describe('planAlarmSync', () => {
  it('creates every alarm for a fresh endpoint', () => {
    const plan = planAlarmSync(desired, []);
    expect(plan.create).toEqual(desired);
    expect(plan).toMatchObject({ update: [], unchanged: [], delete: [] });
  });

  it('changes nothing when the alarms match (dimension order and tags do not matter)', () => {
    const plan = planAlarmSync(desired, desired.map(described));
    expect(plan.unchanged).toEqual(desired.map((d) => d.AlarmName));
    expect(plan).toMatchObject({ create: [], update: [], delete: [] });
  });

  it('treats an absent DatapointsToAlarm as equal to EvaluationPeriods, as CloudWatch does', () => {
    const single = desired.filter((d) => d.MetricName === 'ErrorEvents');
    const { DatapointsToAlarm: _d, ...withoutDatapoints } = described(single[0] as AlarmDefinition);
    expect(planAlarmSync(single, [withoutDatapoints]).unchanged).toHaveLength(1);
  });

  it('updates an alarm whose threshold or actions drifted', () => {
    const existing = desired.map(described);
    const [first, second] = existing;
    if (first === undefined || second === undefined) throw new Error('fixture');
    first.Threshold = 999;
    second.AlarmActions = [];
    const plan = planAlarmSync(desired, existing);
    expect(plan.update.map((d) => d.AlarmName)).toEqual([first.AlarmName, second.AlarmName]);
    expect(plan.unchanged).toHaveLength(desired.length - 2);
  });

  it('updates an alarm described with fields missing rather than crashing', () => {
    const plan = planAlarmSync(desired.slice(0, 2), [
      { AlarmName: desired[0]?.AlarmName, Dimensions: [{}] },
      { AlarmName: desired[1]?.AlarmName },
    ]);
    expect(plan.update).toHaveLength(2);
  });

  it('deletes alarms under the endpoint prefix that are no longer wanted; ignores nameless entries', () => {
    const plan = planAlarmSync(desired.slice(0, 1), [...desired.map(described), {}]);
    expect(plan.delete).toEqual(desired.slice(1).map((d) => d.AlarmName));
  });

  it('deletes everything when nothing is desired (endpoint gone, or alarm set emptied)', () => {
    expect(planAlarmSync([], desired.map(described)).delete).toHaveLength(desired.length);
  });
});

describe('planOrphanAlarms', () => {
  it('groups alarms of vanished endpoints by endpoint, leaving live and foreign names alone', () => {
    const names = [
      'sagewatch-dev/live/AllTraffic/ErrorEvents',
      'sagewatch-dev/gone/AllTraffic/ErrorEvents',
      'sagewatch-dev/gone/Canary/ErrorEvents',
      'sagewatch-dev/other-gone/AllTraffic/ModelLatency',
      'sagewatch-dev/not-a-sagewatch-name',
    ];
    expect(planOrphanAlarms(config, names, new Set(['live']))).toEqual([
      { endpointName: 'gone', alarmNames: names.slice(1, 3) },
      { endpointName: 'other-gone', alarmNames: [names[3]] },
    ]);
  });
});

describe('toAlarmIntent', () => {
  it.each([
    ['inservice', 'ensure'],
    ['updating', 'ensure'],
    ['systemupdating', 'ensure'],
    ['rollingback', 'ensure'],
    ['updaterollbackfailed', 'ensure'],
    ['deleting', 'remove'],
    ['deleted', 'remove'],
    [undefined, 'remove'],
    ['creating', 'keep'],
    ['failed', 'keep'],
    ['outofservice', 'keep'],
    ['somethingnew', 'keep'],
  ])('%s → %s', (status, intent) => {
    expect(toAlarmIntent(status)).toBe(intent);
  });
});
