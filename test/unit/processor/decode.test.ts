import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DecodeError, decodeLogsData, decodeSubscriptionPayload } from '../../../lib/processor/decode.ts';
import { makeDelivery, toSubscriptionEvent } from '../../helpers/deliveries.ts';

function stepOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DecodeError);
    return (error as DecodeError).step;
  }
  return undefined;
}

describe('decodeSubscriptionPayload', () => {
  const delivery = makeDelivery('/aws/sagemaker/TrainingJobs', 'job/algo-1-1700000000', ['hello', 'world']);

  it('decodes a DATA_MESSAGE and keeps logGroup and logStream', () => {
    const decoded = decodeSubscriptionPayload(toSubscriptionEvent(delivery));
    expect(decoded).toEqual(delivery);
  });

  it('accepts a CONTROL_MESSAGE with no events', () => {
    const control = { ...delivery, messageType: 'CONTROL_MESSAGE', logEvents: [] };
    expect(decodeSubscriptionPayload(toSubscriptionEvent(control)).messageType).toBe('CONTROL_MESSAGE');
  });

  it('accepts a DATA_MESSAGE with no events (nothing to do, nothing to lose)', () => {
    expect(decodeSubscriptionPayload(toSubscriptionEvent({ ...delivery, logEvents: [] })).logEvents).toEqual(
      [],
    );
  });

  it('reads an integer event id as its decimal text, and refuses a fractional one', () => {
    const numbered = {
      ...delivery,
      logEvents: delivery.logEvents.map((event, i) => ({ ...event, id: 7 + i })),
    };
    expect(decodeSubscriptionPayload(toSubscriptionEvent(numbered)).logEvents.map((e) => e.id)).toEqual([
      '7',
      '8',
    ]);
    const fractional = { ...delivery, logEvents: [{ ...delivery.logEvents[0], id: 1.5 }] };
    expect(stepOf(() => decodeSubscriptionPayload(toSubscriptionEvent(fractional)))).toBe('schema');
  });

  it('decodes the same payload from a Kinesis record (decodeLogsData)', () => {
    const data = toSubscriptionEvent(delivery).awslogs.data;
    expect(decodeLogsData(data)).toEqual(delivery);
    expect(() => decodeLogsData('%%%')).toThrow('kinesis.data is not base64');
  });

  it('drops unknown keys such as policyLevel', () => {
    const decoded = decodeSubscriptionPayload(
      toSubscriptionEvent({ ...delivery, policyLevel: 'ACCOUNT_LEVEL_POLICY' }),
    );
    expect(decoded).not.toHaveProperty('policyLevel');
  });

  it.each([
    ['no awslogs', {}, 'event'],
    ['null event', null, 'event'],
    ['non-string data', { awslogs: { data: 42 } }, 'event'],
    ['empty data', { awslogs: { data: '' } }, 'base64'],
    ['not base64', { awslogs: { data: 'this is not base64!' } }, 'base64'],
    [
      'base64 of plain text',
      { awslogs: { data: Buffer.from('plain text, no gzip').toString('base64') } },
      'gzip',
    ],
    ['gzip of non-JSON', { awslogs: { data: gzipSync('{not json').toString('base64') } }, 'json'],
    ['JSON of the wrong shape', toSubscriptionEvent({ hello: 'world' }), 'schema'],
    ['unknown messageType', toSubscriptionEvent({ ...delivery, messageType: 'OTHER' }), 'schema'],
    [
      'event without a timestamp',
      toSubscriptionEvent({ ...delivery, logEvents: [{ id: '1', message: 'x' }] }),
      'schema',
    ],
  ])('rejects %s at the right step', (_, event, step) => {
    expect(stepOf(() => decodeSubscriptionPayload(event))).toBe(step);
  });

  it.each([
    ['QQ==', 'gzip'],
    ['QUI=', 'gzip'],
    ['QUJD', 'gzip'],
    ['QU=I', 'base64'],
    ['Q===', 'base64'],
    ['QUJ', 'base64'],
    ['QUJD\n', 'base64'],
  ])('tells base64 %j apart: fails at %s', (data, step) => {
    expect(stepOf(() => decodeSubscriptionPayload({ awslogs: { data } }))).toBe(step);
  });

  it('names the root when the JSON is not an object at all', () => {
    expect(() => decodeSubscriptionPayload(toSubscriptionEvent(42))).toThrow(/step 'schema': \(root\)/);
  });

  it('names the step in the message', () => {
    expect(() => decodeSubscriptionPayload({ awslogs: { data: '***' } })).toThrow(/step 'base64'/);
  });

  it('stops at the decompressed size cap (gzip bomb)', () => {
    const bomb = { awslogs: { data: gzipSync(Buffer.alloc(2 * 1024 * 1024)).toString('base64') } };
    expect(bomb.awslogs.data.length).toBeLessThan(10_000);
    expect(stepOf(() => decodeSubscriptionPayload(bomb, 1024 * 1024))).toBe('size-cap');
  });

  it('replaces invalid UTF-8 instead of failing, and rejects a raw NUL as bad JSON', () => {
    const withBytes = (bytes: number[]) => {
      const [head, tail] = JSON.stringify({
        ...delivery,
        logEvents: [{ id: '1', timestamp: 1, message: 'A@@B' }],
      }).split('@@');
      return {
        awslogs: {
          data: gzipSync(
            Buffer.concat([Buffer.from(head ?? ''), Buffer.from(bytes), Buffer.from(tail ?? '')]),
          ).toString('base64'),
        },
      };
    };
    expect(decodeSubscriptionPayload(withBytes([0xff, 0xfe])).logEvents[0]?.message).toBe('A\uFFFD\uFFFDB');
    expect(stepOf(() => decodeSubscriptionPayload(withBytes([0x00])))).toBe('json');
  });
});
