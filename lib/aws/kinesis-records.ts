/**
 * Reads records of one shard of the delivery stream back (GetShardIterator AT_SEQUENCE_NUMBER, then
 * GetRecords), for `sagewatch replay` of a batch the processor gave up on. The records are there
 * only while the stream retains them (deploy parameter `deliveryStreamRetentionHours`).
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  type KinesisClientConfig,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { isPastRange, type ShardRange } from '../processor/stream-pointer.ts';

/** One record as read from the stream. */
export interface StreamRecord {
  sequenceNumber: string;
  partitionKey: string;
  /** The record's bytes: for a subscription filter, the gzip'd CloudWatch Logs payload. */
  data: Uint8Array;
  approximateArrivalMs?: number;
}

/** GetRecords returns at most 10,000 records per call. */
const MAX_RECORDS_PER_CALL = 10_000;

/**
 * A Kinesis client with the SDK's adaptive retries (GetRecords allows 5 calls a second per shard),
 * over HTTP/1.1: the client's default HTTP/2 handler is only needed for SubscribeToShard, which is
 * not used, and HTTP/1.1 is what every endpoint (and local emulators) speaks.
 */
export function createKinesisClient(config: KinesisClientConfig = {}): KinesisClient {
  return new KinesisClient({
    retryMode: 'adaptive',
    maxAttempts: 8,
    requestHandler: new NodeHttpHandler(),
    ...config,
  });
}

/**
 * The records of `range`, in sequence order. Stops at the range's end, at the end of what the shard
 * holds now (an empty read with nothing behind), or when the shard is closed. `maxRecords` bounds a
 * range without an end.
 */
export async function readShardRange(
  client: KinesisClient,
  range: ShardRange,
  options: { maxRecords?: number; onPage?: (records: number) => void } = {},
): Promise<StreamRecord[]> {
  const maxRecords = options.maxRecords ?? 1_000_000;
  const { ShardIterator } = await client.send(
    new GetShardIteratorCommand({
      StreamARN: range.streamArn,
      ShardId: range.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: range.fromSequence,
    }),
  );
  const records: StreamRecord[] = [];
  let iterator = ShardIterator;
  while (iterator !== undefined && records.length < maxRecords) {
    const page = await client.send(
      new GetRecordsCommand({
        ShardIterator: iterator,
        StreamARN: range.streamArn,
        Limit: Math.min(MAX_RECORDS_PER_CALL, maxRecords - records.length),
      }),
    );
    for (const record of page.Records ?? []) {
      const sequenceNumber = record.SequenceNumber ?? '';
      if (isPastRange(sequenceNumber, range)) return records;
      records.push({
        sequenceNumber,
        partitionKey: record.PartitionKey ?? '',
        data: record.Data ?? new Uint8Array(),
        ...(record.ApproximateArrivalTimestamp === undefined
          ? {}
          : { approximateArrivalMs: record.ApproximateArrivalTimestamp.getTime() }),
      });
    }
    options.onPage?.(records.length);
    // Nothing more to read now: the range's end is not yet written, or the range had no end.
    if ((page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0) break;
    iterator = page.NextShardIterator;
  }
  return records;
}
