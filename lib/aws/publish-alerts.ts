import type { SNSClient } from '@aws-sdk/client-sns';
import type { Incident } from '../incidents/index.ts';
import { toAlertMessages } from '../processor/alert-messages.ts';
import type { AlertToSend, PublishAlerts } from '../processor/alerting.ts';
import { type FailedMessage, publishMessages } from './sns.ts';

/**
 * Publishes alerts to the alerts topic the way the processor does (both renderings of each alert,
 * lib/processor/alert-messages.ts) and returns the alerts SNS refused, for `deliverAlerts`: an
 * alert failed when either of its renderings did. Used by the process-logs handler and by
 * `sagewatch replay --publish`.
 */
export function createSnsAlertPublisher<I extends Incident>(
  client: SNSClient,
  topicArn: string,
  onFailure: (failure: FailedMessage) => void = () => {},
  /** Extra message attributes per incident (the operator's routes), added to both renderings. */
  attributesFor?: (incident: I) => Readonly<Record<string, string>>,
): PublishAlerts<I> {
  return async (alerts: readonly AlertToSend<I>[]) => {
    const messages = toAlertMessages(alerts);
    if (attributesFor) {
      for (const message of messages) {
        message.attributes = { ...attributesFor(message.alert.incident), ...message.attributes };
      }
    }
    const refused = await publishMessages(client, topicArn, messages);
    for (const { failure } of refused) onFailure(failure);
    return [...new Set(refused.map(({ message }) => message.alert))];
  };
}
