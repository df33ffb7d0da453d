import { describe, expect, it } from 'vitest';
import {
  checkShardRange,
  isPastRange,
  PointerError,
  parseFailurePointer,
} from '../../../lib/processor/stream-pointer.ts';

const STREAM = 'arn:aws:kinesis:us-east-1:123456789012:stream/sagewatch-prod-logs';
const START = '49601189658422359378836298521827638475320189012309704722';
const END = '49601189658422359378836298522902373528957594348623495186';

/** The on-failure record Lambda writes for a stream event source mapping (as documented). */
const ON_FAILURE = {
  requestContext: {
    requestId: 'c9b8fa9f-5a7f-4e6f-9b5c-0b3f7c4b8d11',
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:sagewatch-prod-process-logs',
    condition: 'RetryAttemptsExhausted',
    approximateInvokeCount: 4,
  },
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  version: '1.0',
  timestamp: '2026-12-04T10:00:05.000Z',
  KinesisBatchInfo: {
    shardId: 'shardId-000000000001',
    startSequenceNumber: START,
    endSequenceNumber: END,
    approximateArrivalOfFirstRecord: '2026-12-04T09:58:04.835Z',
    approximateArrivalOfLastRecord: '2026-12-04T09:58:05.580Z',
    batchSize: 500,
    streamArn: STREAM,
  },
};

describe('parseFailurePointer', () => {
  it('reads the shard and sequence range of an on-failure record, not any data', () => {
    expect(parseFailurePointer(JSON.stringify(ON_FAILURE))).toEqual({
      streamArn: STREAM,
      shardId: 'shardId-000000000001',
      fromSequence: START,
      toSequence: END,
      firstArrival: '2026-12-04T09:58:04.835Z',
      lastArrival: '2026-12-04T09:58:05.580Z',
      batchSize: 500,
    });
  });

  it('accepts the KinesisBatchInfo object alone, without an end', () => {
    const { shardId, startSequenceNumber, streamArn } = ON_FAILURE.KinesisBatchInfo;
    expect(parseFailurePointer(JSON.stringify({ shardId, startSequenceNumber, streamArn }))).toEqual({
      streamArn,
      shardId,
      fromSequence: START,
    });
  });

  it.each([
    ['not json', 'not JSON'],
    ['null', 'KinesisBatchInfo needs'],
    [JSON.stringify({ KinesisBatchInfo: { shardId: 's', streamArn: STREAM } }), 'KinesisBatchInfo needs'],
    [
      JSON.stringify({ ...ON_FAILURE.KinesisBatchInfo, streamArn: 'arn:aws:sqs:us-east-1:1:q' }),
      'not a Kinesis',
    ],
  ])('refuses %s', (text, message) => {
    expect(() => parseFailurePointer(text)).toThrow(message);
    expect(() => parseFailurePointer(text)).toThrow(PointerError);
  });
});

describe('checkShardRange and isPastRange', () => {
  const range = { streamArn: STREAM, shardId: 'shardId-000000000000', fromSequence: '10', toSequence: '20' };

  it('refuses bad shards, sequence numbers and reversed ranges', () => {
    expect(checkShardRange(range)).toBe(range);
    expect(() => checkShardRange({ ...range, shardId: 'shard 0' })).toThrow('shard id');
    expect(() => checkShardRange({ ...range, fromSequence: 'x' })).toThrow("'x' is not a sequence number");
    expect(() => checkShardRange({ ...range, toSequence: '1e3' })).toThrow('not a sequence number');
    expect(() => checkShardRange({ ...range, toSequence: '9' })).toThrow('before the first');
  });

  it('compares sequence numbers as numbers, not text', () => {
    expect(isPastRange('21', range)).toBe(true);
    expect(isPastRange('20', range)).toBe(false);
    expect(isPastRange('9', { toSequence: '10' })).toBe(false);
    expect(isPastRange('100', { toSequence: '99' })).toBe(true);
    expect(isPastRange(END, {})).toBe(false);
  });
});
