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

/** One record of a Lambda Kinesis event: `data` as a subscription filter writes it, base64 by Lambda. */
export interface KinesisTestRecord {
  eventSource: 'aws:kinesis';
  eventID: string;
  eventSourceARN: string;
  kinesis: {
    data: string;
    sequenceNumber: string;
    partitionKey: string;
    approximateArrivalTimestamp: number;
  };
}

export const TEST_STREAM_ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/sagewatch-test-logs';

/**
 * A Lambda Kinesis event whose records are `payloads` (deliveries, encoded as CloudWatch Logs
 * writes them to a stream; or raw base64 strings, to test undecodable records), sequence numbers
 * ascending from `firstSequence`, all from one shard.
 */
export function toKinesisEvent(
  payloads: ReadonlyArray<LogsDelivery | { raw: string }>,
  firstSequence = 49_600_000_000_000_000_000_000_000_000_000_000_000_000_000_000n,
  shardId = 'shardId-000000000000',
): { Records: KinesisTestRecord[] } {
  return {
    Records: payloads.map((payload, index) => {
      const sequenceNumber = String(firstSequence + BigInt(index));
      return {
        eventSource: 'aws:kinesis',
        eventID: `${shardId}:${sequenceNumber}`,
        eventSourceARN: TEST_STREAM_ARN,
        kinesis: {
          data: 'raw' in payload ? payload.raw : encodeSubscriptionPayload(payload).awslogs.data,
          sequenceNumber,
          partitionKey: 'raw' in payload ? 'raw' : payload.logStream,
          approximateArrivalTimestamp: 1_772_445_600 + index / 1000,
        },
      };
    }),
  };
}
