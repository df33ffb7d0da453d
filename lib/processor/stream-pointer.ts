/**
 * What the delivery stream's on-failure destination receives when a batch keeps failing: not the
 * records, a pointer to them (shard and sequence numbers). `sagewatch replay` reads them back from
 * the stream while it retains them (24 hours by default, deploy parameter
 * `deliveryStreamRetentionHours`; docs/deploy.md).
 *
 * @module
 */

/** A range of records of one shard: from `fromSequence` to `toSequence` (both included). */
export interface ShardRange {
  streamArn: string;
  shardId: string;
  fromSequence: string;
  /** Absent: to the end of what the shard holds now. */
  toSequence?: string;
  /** When the first and last records reached the stream (ISO 8601), when known. */
  firstArrival?: string;
  lastArrival?: string;
  /** How many records the failed batch held, when known. */
  batchSize?: number;
}

/** Kinesis sequence numbers: decimal digits, up to 128 of them. */
const SEQUENCE_NUMBER = /^\d{1,128}$/;
const SHARD_ID = /^[A-Za-z0-9_.-]{1,128}$/;
const STREAM_ARN = /^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[A-Za-z0-9_.-]{1,128}$/;

/** Why a pointer cannot be read. */
export class PointerError extends Error {
  override readonly name = 'PointerError';
}

/** Checks a range's fields; the range itself when they are usable. */
export function checkShardRange(range: ShardRange): ShardRange {
  if (!STREAM_ARN.test(range.streamArn))
    throw new PointerError(`'${range.streamArn}' is not a Kinesis data stream ARN`);
  if (!SHARD_ID.test(range.shardId)) throw new PointerError(`'${range.shardId}' is not a shard id`);
  if (!SEQUENCE_NUMBER.test(range.fromSequence))
    throw new PointerError(`'${range.fromSequence}' is not a sequence number`);
  if (range.toSequence !== undefined) {
    if (!SEQUENCE_NUMBER.test(range.toSequence))
      throw new PointerError(`'${range.toSequence}' is not a sequence number`);
    if (BigInt(range.toSequence) < BigInt(range.fromSequence))
      throw new PointerError('the last sequence number is before the first');
  }
  return range;
}

/**
 * Reads the message Lambda sends to a stream event source mapping's on-failure destination: its
 * `KinesisBatchInfo` (shardId, startSequenceNumber, endSequenceNumber, streamArn, arrival times,
 * batchSize). Also accepts the `KinesisBatchInfo` object alone.
 *
 * @throws {PointerError} when the text is not such a message.
 */
export function parseFailurePointer(text: string): ShardRange {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PointerError('the pointer is not JSON');
  }
  const root = (json ?? {}) as { KinesisBatchInfo?: unknown };
  const info = (root.KinesisBatchInfo ?? root) as Record<string, unknown>;
  const text_ = (name: string) => (typeof info[name] === 'string' ? (info[name] as string) : undefined);
  const streamArn = text_('streamArn');
  const shardId = text_('shardId');
  const fromSequence = text_('startSequenceNumber');
  if (streamArn === undefined || shardId === undefined || fromSequence === undefined) {
    throw new PointerError(
      'not an on-failure record of a Kinesis event source mapping: KinesisBatchInfo needs streamArn, shardId and startSequenceNumber',
    );
  }
  const toSequence = text_('endSequenceNumber');
  const firstArrival = text_('approximateArrivalOfFirstRecord');
  const lastArrival = text_('approximateArrivalOfLastRecord');
  return checkShardRange({
    streamArn,
    shardId,
    fromSequence,
    ...(toSequence === undefined ? {} : { toSequence }),
    ...(firstArrival === undefined ? {} : { firstArrival }),
    ...(lastArrival === undefined ? {} : { lastArrival }),
    ...(typeof info.batchSize === 'number' ? { batchSize: info.batchSize } : {}),
  });
}

/** Whether `sequenceNumber` is past the end of `range`. */
export function isPastRange(sequenceNumber: string, range: Pick<ShardRange, 'toSequence'>): boolean {
  return range.toSequence !== undefined && BigInt(sequenceNumber) > BigInt(range.toSequence);
}
