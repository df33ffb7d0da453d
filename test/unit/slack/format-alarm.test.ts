import { describe, expect, it } from 'vitest';
import {
  SLACK_HEADER_MAX_CHARS,
  SLACK_SECTION_TEXT_MAX_CHARS,
  type SlackBlock,
} from '../../../lib/incidents/format-slack.ts';
import {
  type AlarmNotification,
  AlarmNotificationSchema,
  formatAlarmSlack,
  toAlarmConsoleUrl,
} from '../../../lib/slack/format-alarm.ts';
import { sampleAlarm } from '../../helpers/slack-fixtures.ts';

function alarm(overrides: Record<string, unknown> = {}): AlarmNotification {
  return AlarmNotificationSchema.parse(sampleAlarm(overrides));
}

function block<T extends SlackBlock['type']>(blocks: readonly SlackBlock[], type: T, index = 0) {
  return blocks.filter((b): b is Extract<SlackBlock, { type: T }> => b.type === type)[index];
}

describe('formatAlarmSlack', () => {
  it('shows state, name, description, reason, fields and a console button', () => {
    const message = formatAlarmSlack(alarm());
    expect(message.text).toBe('[ALARM] sagewatch-prod-self-notify-slack-errors');
    expect(block(message.blocks, 'header')?.text.text).toBe(
      ':rotating_light: ALARM: sagewatch-prod-self-notify-slack-errors',
    );
    expect(block(message.blocks, 'section', 0)?.fields?.map((f) => f.text)).toEqual([
      '*State*\nOK → ALARM',
      '*Changed*\n2026-03-02T10:15:00.000Z',
      '*Metric*\nAWS/Lambda / Errors',
      '*Region*\nUS East (N. Virginia)',
      '*Account*\n123456789012',
    ]);
    expect(block(message.blocks, 'section', 1)?.text?.text).toBe(
      'notify-slack failed to post to Slack.\n\nThreshold Crossed: 1 datapoint [2.0 (02/03/26 10:14:00)] was greater than or equal to the threshold (1.0).',
    );
    expect(block(message.blocks, 'actions')?.elements[0]?.url).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/sagewatch-prod-self-notify-slack-errors',
    );
  });

  it.each([
    ['OK', ':white_check_mark:'],
    ['INSUFFICIENT_DATA', ':grey_question:'],
    ['SOMETHING_NEW', ':bell:'],
  ])('marks state %s with %s', (state, emoji) => {
    const header = block(formatAlarmSlack(alarm({ NewStateValue: state })).blocks, 'header');
    expect(header?.text.text).toBe(`${emoji} ${state}: sagewatch-prod-self-notify-slack-errors`);
  });

  it('leaves out empty fields, the details section and the button when the notification lacks them', () => {
    const bare = AlarmNotificationSchema.parse({
      AlarmName: 'a',
      NewStateValue: 'ALARM',
      AlarmDescription: null,
    });
    const message = formatAlarmSlack(bare);
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section']);
    expect(block(message.blocks, 'section')?.fields?.map((f) => f.text)).toEqual(['*State*\nALARM']);
  });

  it('shows a change time it cannot read as it is', () => {
    const fields = block(formatAlarmSlack(alarm({ StateChangeTime: 'yesterday' })).blocks, 'section')?.fields;
    expect(fields?.[1]?.text).toBe('*Changed*\nyesterday');
  });

  it('escapes mrkdwn, scrubs secrets and keeps Slack limits', () => {
    const message = formatAlarmSlack(
      alarm({
        AlarmName: `<!channel> ${'n'.repeat(300)}`,
        AlarmDescription: 'see https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX',
        NewStateReason: 'r'.repeat(10_000),
      }),
    );
    const header = block(message.blocks, 'header')?.text.text ?? '';
    expect(header.length).toBeLessThanOrEqual(SLACK_HEADER_MAX_CHARS);
    const details = block(message.blocks, 'section', 1)?.text?.text ?? '';
    expect(details.length).toBeLessThanOrEqual(SLACK_SECTION_TEXT_MAX_CHARS);
    expect(details).toContain('[REDACTED:slack-webhook-url]');
    expect(details).not.toContain('hooks.slack.com/services');
    expect(message.text).toContain('&lt;!channel&gt;');
  });
});

describe('toAlarmConsoleUrl', () => {
  it.each([
    [
      'arn:aws-cn:cloudwatch:cn-north-1:123456789012:alarm:a b',
      'https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1#alarmsV2:alarm/a%20b',
    ],
    [
      'arn:aws-us-gov:cloudwatch:us-gov-west-1:123456789012:alarm:a',
      'https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#alarmsV2:alarm/a',
    ],
  ])('links %s to its partition console', (arn, url) => {
    const name = arn.slice(arn.lastIndexOf(':') + 1);
    expect(toAlarmConsoleUrl(alarm({ AlarmArn: arn, AlarmName: name }))).toBe(url);
  });

  it.each([
    ['an unknown partition', 'arn:aws-eusc:cloudwatch:eusc-de-east-1:123456789012:alarm:a'],
    ['a Region that is not one', 'arn:aws:cloudwatch:evil.example.com:123456789012:alarm:a'],
    ['no ARN', undefined],
  ])('gives no link for %s', (_, arn) => {
    expect(toAlarmConsoleUrl(alarm({ AlarmArn: arn }))).toBeUndefined();
  });
});
