import { formatSlack, type SlackMessage } from '../incidents/format-slack.ts';
import { isAtLeast } from '../incidents/severity.ts';
import type { IncidentSeverity } from '../incidents/types.ts';
import { formatAlarmSlack } from './format-alarm.ts';
import { withMuteCommand } from './mute-hint.ts';
import type { SnsNotification } from './parse-sns-message.ts';

/**
 * The Slack message for a notification, or `undefined` for an incident less severe than
 * `minSeverity`. Alarm notifications are always posted: they are sagewatch's own health.
 */
export function toSlackMessage(
  notification: SnsNotification,
  minSeverity: IncidentSeverity,
  /** The command that mutes an incident, when the operator's rules can hold mutes. */
  muteCommand?: (fingerprint: string) => string,
): SlackMessage | undefined {
  if (notification.kind === 'alarm') return formatAlarmSlack(notification.alarm);
  const { incident } = notification;
  if (!isAtLeast(incident.severity, minSeverity)) return undefined;
  const message = formatSlack(incident);
  return muteCommand ? withMuteCommand(message, muteCommand(incident.fingerprint)) : message;
}

/** A few keys that identify a notification in a log line (no message text, nothing secret). */
export function describeNotification(notification: SnsNotification): Record<string, string | number> {
  if (notification.kind === 'alarm') {
    return {
      kind: 'alarm',
      alarmName: notification.alarm.AlarmName,
      state: notification.alarm.NewStateValue,
    };
  }
  const { fingerprint, severity, category, resourceType, count } = notification.incident;
  return { kind: 'incident', fingerprint, severity, category, resourceType, count };
}
