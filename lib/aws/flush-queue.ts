import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FlushRequest, ScheduleFlush } from '../processor/held-tails.ts';

/** SQS accepts a delay of 0 to 900 seconds. */
const MAX_DELAY_SECONDS = 900;

/**
 * Schedules the flush of a held traceback (lib/processor/held-tails.ts) as an SQS message with
 * `DelaySeconds`: the queue triggers process-logs when the delay is over, which sends the held
 * part if no delivery completed it meanwhile.
 */
export function createSqsFlushScheduler(client: SQSClient, queueUrl: string): ScheduleFlush {
  return async (request: FlushRequest, delaySeconds: number) => {
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(request),
        DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(delaySeconds))),
      }),
    );
  };
}
