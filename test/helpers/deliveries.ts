import { encodeSubscriptionPayload } from '../../lib/processor/decode.ts';
import type { LogsDelivery } from '../../lib/types.ts';

/**
 * Builds a decoded delivery for one stream from messages, one second apart from `startMs`. By
 * default they start at the beginning of the previous minute, so that up to 60 messages share one
 * minute (one EMF document) whatever the second the test runs at.
 */
export function makeDelivery(
  logGroup: string,
  logStream: string,
  messages: readonly string[],
  startMs = Math.floor(Date.now() / 60_000) * 60_000 - 60_000,
): LogsDelivery {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup,
    logStream,
    subscriptionFilters: ['sagewatch'],
    logEvents: messages.map((message, i) => ({
      id: `${37000000000000000000000000000000000000000000000000000000n + BigInt(startMs + i)}`,
      timestamp: startMs + i * 1000,
      message,
    })),
  };
}

/** Encodes anything the way CloudWatch Logs delivers it: JSON → gzip → base64 in `awslogs.data`. */
export const toSubscriptionEvent = encodeSubscriptionPayload;
