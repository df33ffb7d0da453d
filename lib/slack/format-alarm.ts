import * as z from 'zod';
import { toConsoleOrigin } from '../console-link.ts';
import { formatTime } from '../incidents/describe.ts';
import { truncateText } from '../incidents/fit-lines.ts';
import {
  escapeMrkdwn,
  SLACK_FALLBACK_TEXT_MAX_CHARS,
  SLACK_FIELD_MAX_CHARS,
  SLACK_HEADER_MAX_CHARS,
  SLACK_SECTION_TEXT_MAX_CHARS,
  type SlackBlock,
  type SlackMessage,
  type SlackText,
} from '../incidents/format-slack.ts';
import { scrubSecrets } from '../text/scrub-secrets.ts';

/**
 * sagewatch's own CloudWatch alarms notify the alerts topic too (on ALARM and again on OK), and the
 * Slack subscription lets them through, so on-call sees them next to the incidents. This reads the
 * notification CloudWatch publishes and turns it into a short Block Kit message.
 */

const optionalText = z.string().nullish();

/** The fields of a CloudWatch alarm's SNS notification that the message shows. Others are ignored. */
export const AlarmNotificationSchema = z.object({
  AlarmName: z.string().min(1),
  AlarmDescription: optionalText,
  AWSAccountId: optionalText,
  NewStateValue: z.string().min(1),
  OldStateValue: optionalText,
  NewStateReason: optionalText,
  /** `2026-03-02T10:15:00.000+0000`. */
  StateChangeTime: optionalText,
  /** The Region's long name, `US East (N. Virginia)`. */
  Region: optionalText,
  AlarmArn: optionalText,
  Trigger: z.object({ Namespace: optionalText, MetricName: optionalText }).nullish(),
});

/** A CloudWatch alarm notification, as far as {@link AlarmNotificationSchema} reads it. */
export type AlarmNotification = z.infer<typeof AlarmNotificationSchema>;

const STATE_EMOJI: Readonly<Record<string, string>> = {
  ALARM: ':rotating_light:',
  OK: ':white_check_mark:',
  INSUFFICIENT_DATA: ':grey_question:',
};

const ALARM_ARN = /^arn:(aws[a-z-]*):cloudwatch:([a-z]{2,4}(?:-[a-z]+)+-\d{1,2}):\d{12}:alarm:/;

/**
 * The CloudWatch console page of the alarm, when its ARN says where it lives; an unknown partition
 * gets no button.
 */
export function toAlarmConsoleUrl(alarm: AlarmNotification): string | undefined {
  const match = ALARM_ARN.exec(alarm.AlarmArn ?? '');
  const partition = match?.[1];
  const region = match?.[2];
  const origin =
    partition === undefined || region === undefined ? undefined : toConsoleOrigin(partition, region);
  if (origin === undefined) return undefined;
  return `${origin}/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarm.AlarmName)}`;
}

function mrkdwn(text: string, max: number): SlackText & { type: 'mrkdwn' } {
  return { type: 'mrkdwn', text: truncateText(text, max) };
}

function clean(text: string | null | undefined): string {
  return escapeMrkdwn(scrubSecrets(text ?? ''));
}

/**
 * The Block Kit message for a CloudWatch alarm notification: a header with the new state and the
 * alarm's name, its description and reason, fields (state change, time, metric, Region, account)
 * and a button to the alarm in the console. Every text is scrubbed and cut to Slack's limits.
 */
export function formatAlarmSlack(alarm: AlarmNotification): SlackMessage {
  const state = alarm.NewStateValue;
  const name = scrubSecrets(alarm.AlarmName);
  const changedMs = Date.parse(alarm.StateChangeTime ?? '');
  const metric = [alarm.Trigger?.Namespace, alarm.Trigger?.MetricName].filter(Boolean).join(' / ');
  const fields: [string, string][] = [
    ['State', clean(alarm.OldStateValue ? `${alarm.OldStateValue} → ${state}` : state)],
    ['Changed', Number.isNaN(changedMs) ? clean(alarm.StateChangeTime) : formatTime(changedMs)],
    ['Metric', clean(metric)],
    ['Region', clean(alarm.Region)],
    ['Account', clean(alarm.AWSAccountId)],
  ];
  const details = [alarm.AlarmDescription, alarm.NewStateReason].filter(Boolean).map(clean).join('\n\n');
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncateText(`${STATE_EMOJI[state] ?? ':bell:'} ${state}: ${name}`, SLACK_HEADER_MAX_CHARS),
        emoji: true,
      },
    },
    {
      type: 'section',
      fields: fields
        .filter(([, value]) => value !== '')
        .map(([label, value]) => mrkdwn(`*${label}*\n${value}`, SLACK_FIELD_MAX_CHARS)),
    },
  ];
  if (details !== '') {
    blocks.push({ type: 'section', text: mrkdwn(details, SLACK_SECTION_TEXT_MAX_CHARS) });
  }
  const url = toAlarmConsoleUrl(alarm);
  if (url !== undefined) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open alarm', emoji: false },
          url,
          action_id: 'open-alarm',
        },
      ],
    });
  }
  const text = truncateText(escapeMrkdwn(`[${state}] ${name}`), SLACK_FALLBACK_TEXT_MAX_CHARS);
  return { text, blocks };
}
