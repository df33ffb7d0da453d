import { formatEmail, type Incident, toSnsMessage } from '../incidents/index.ts';
import type { AlertToSend } from './alerting.ts';

/**
 * The SNS message attribute that tells the two renderings of an alert apart, for filter policies.
 *
 * Why two plain messages per alert instead of one `MessageStructure=json` message with a text and
 * a JSON variant: SNS does not deliver message attributes with `MessageStructure=json`, and
 * subscription filter policies work on attributes. Two plain messages keep every filter working
 * (severity, resourceType, category, resourceName, format: five keys, SNS's limit) while email
 * readers get plain text and automation gets the JSON incident. A subscriber filters on
 * `format` (`text` for email, `json` for SQS, Lambda, HTTPS); one that does not gets both.
 */
export const FORMAT_ATTRIBUTE = 'format';

/** The renderings of an alert. */
export const AlertFormats = ['json', 'text'] as const;

/** One rendering of an alert, as published, with the alert it renders. */
export interface AlertMessage<I extends Incident> {
  /** `<index>-json` or `<index>-text`: unique within one call, readable in a failure's log line. */
  id: string;
  message: string;
  subject: string;
  attributes: Record<string, string>;
  /** The alert this message renders: a refused message is traced back to it by identity. */
  alert: AlertToSend<I>;
}

/**
 * Both renderings of each alert. Each stays under SNS's 256 KiB: the JSON incident's context and
 * event ids are cut as needed, the email body is bounded by the formatter.
 */
export function toAlertMessages<I extends Incident>(alerts: readonly AlertToSend<I>[]): AlertMessage<I>[] {
  const messages: AlertMessage<I>[] = [];
  alerts.forEach((alert, i) => {
    const { incident, suppressedBefore } = alert;
    const json = toSnsMessage(incident, { suppressedBefore });
    const email = formatEmail({ ...incident, suppressedBefore });
    messages.push(
      {
        id: `${i}-json`,
        message: json.message,
        subject: json.subject,
        attributes: { ...json.messageAttributes, [FORMAT_ATTRIBUTE]: 'json' },
        alert,
      },
      {
        id: `${i}-text`,
        message: email.body,
        subject: email.subject,
        attributes: { ...json.messageAttributes, [FORMAT_ATTRIBUTE]: 'text' },
        alert,
      },
    );
  });
  return messages;
}
