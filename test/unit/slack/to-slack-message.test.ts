import { describe, expect, it } from 'vitest';
import { formatSlack } from '../../../lib/incidents/format-slack.ts';
import { AlarmNotificationSchema, formatAlarmSlack } from '../../../lib/slack/format-alarm.ts';
import { describeNotification, toSlackMessage } from '../../../lib/slack/to-slack-message.ts';
import { sampleAlarm, sampleIncident } from '../../helpers/slack-fixtures.ts';

const alarm = AlarmNotificationSchema.parse(sampleAlarm());

describe('toSlackMessage', () => {
  it('formats an incident at or above the minimum severity', () => {
    const incident = sampleIncident({ severity: 'error' });
    expect(toSlackMessage({ kind: 'incident', incident }, 'error')).toEqual(formatSlack(incident));
    expect(toSlackMessage({ kind: 'incident', incident }, 'warning')).toEqual(formatSlack(incident));
  });

  it('drops an incident below the minimum severity', () => {
    const incident = sampleIncident({ severity: 'warning' });
    expect(toSlackMessage({ kind: 'incident', incident }, 'error')).toBeUndefined();
  });

  it('always formats an alarm', () => {
    expect(toSlackMessage({ kind: 'alarm', alarm }, 'critical')).toEqual(formatAlarmSlack(alarm));
  });
});

describe('describeNotification', () => {
  it('identifies an incident without its texts', () => {
    expect(describeNotification({ kind: 'incident', incident: sampleIncident() })).toEqual({
      kind: 'incident',
      fingerprint: '3f2a9c4d1e8b7a60',
      severity: 'critical',
      category: 'cuda_oom',
      resourceType: 'TrainingJob',
      count: 3,
    });
  });

  it('identifies an alarm by name and state', () => {
    expect(describeNotification({ kind: 'alarm', alarm })).toEqual({
      kind: 'alarm',
      alarmName: 'sagewatch-prod-self-notify-slack-errors',
      state: 'ALARM',
    });
  });
});
