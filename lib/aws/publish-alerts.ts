import type { SNSClient } from '@aws-sdk/client-sns';
import type { Incident } from '../incidents/index.ts';
import { toAlertMessages } from '../processor/alert-messages.ts';
import type { AlertToSend, PublishAlerts } from '../processor/alerting.ts';
import { type FailedMessage, publishMessages } from './sns.ts';

/**
 * Publishes alerts to the alerts topic the way the processor does (both renderings of each alert,
 * lib/alert-messages.ts) and returns the indexes of the alerts SNS refused, for `deliverAlerts`.
 * Used by the process-logs handler and by `sagewatch replay --publish`.
 */
export function createSnsAlertPublisher<I extends Incident>(
  client: SNSClient,
  topicArn: string,
  onFailure: (failure: FailedMessage) => void = () => {},
): PublishAlerts<I> {
  return async (alerts: readonly AlertToSend<I>[]) => {
    const failed = await publishMessages(client, topicArn, toAlertMessages(alerts));
    for (const failure of failed) onFailure(failure);
    // Entry ids are `<alert index>-<rendering>`: an alert failed when either rendering did.
    return [...new Set(failed.map((failure) => Number.parseInt(failure.id, 10)))];
  };
}
