import { describe, expect, it } from 'vitest';
import { detectLogFileFormat, parseLogFile } from '../../../cli/log-files.ts';
import { toSubscriptionEvent } from '../../helpers/deliveries.ts';

const GROUP = '/aws/sagemaker/TrainingJobs';
const STREAM = 'my-job/algo-1-1764148443';
const T = Date.UTC(2023, 10, 7, 11, 49, 54, 665);

describe('detectLogFileFormat', () => {
  it('tells JSON, tail output and CSV with a header apart', () => {
    expect(detectLogFileFormat('\n{"timestamp":1,"message":"x"}')).toBe('jsonl');
    expect(detectLogFileFormat('[{"timestamp":1}]')).toBe('jsonl');
    expect(detectLogFileFormat(`2023-11-07T11:49:54.665000+00:00 ${STREAM} hello`)).toBe('tail');
    expect(detectLogFileFormat('2023-11-07T11:49:54 hello')).toBe('tail');
    expect(detectLogFileFormat('\uFEFFtimestamp,message,logStreamName\n1,x,y')).toBe('csv');
    expect(detectLogFileFormat('@timestamp,@message,@logStream,@log\n')).toBe('csv');
  });

  it('gives up on anything else, and on an empty text', () => {
    expect(detectLogFileFormat('just a log line')).toBeUndefined();
    expect(detectLogFileFormat('a,b,c')).toBeUndefined();
    expect(detectLogFileFormat('  \n\n')).toBeUndefined();
  });
});

describe('parseLogFile: JSON lines', () => {
  it('reads log events in the API, CLI and Logs Insights key forms', () => {
    const text = [
      JSON.stringify({
        logGroupName: GROUP,
        logStreamName: STREAM,
        timestamp: T,
        message: 'a',
        eventId: 'e1',
      }),
      JSON.stringify({
        logGroup: GROUP,
        logStream: STREAM,
        timestamp: '2023-11-07T11:49:54.665Z',
        message: 'b',
        id: 'e2',
      }),
      JSON.stringify({
        '@log': `123456789012:${GROUP}`,
        '@logStream': STREAM,
        '@timestamp': '2023-11-07 11:49:54.665',
        '@message': 'c',
      }),
      JSON.stringify({ timestamp: T / 1000, message: 'd' }),
    ].join('\r\n');
    const parsed = parseLogFile(text, 'jsonl');
    expect(parsed.problems).toEqual([]);
    expect(parsed.format).toBe('jsonl');
    expect(parsed.events).toEqual([
      { logGroup: GROUP, logStream: STREAM, timestamp: T, message: 'a', id: 'e1' },
      { logGroup: GROUP, logStream: STREAM, timestamp: T, message: 'b', id: 'e2' },
      { logGroup: GROUP, logStream: STREAM, timestamp: T, message: 'c' },
      { timestamp: T, message: 'd' },
    ]);
  });

  it('reports unreadable lines by number and keeps the rest', () => {
    const text = [
      '{"timestamp": 1700000000000, "message": "ok"}',
      'not json',
      '',
      '{"timestamp": 1700000000000}',
      '{"message": "no time"}',
      '{"timestamp": "last week", "message": "x"}',
      '{"timestamp": -5, "message": "x"}',
      '42',
      '{"timestamp": 1700000000000, "message": "ok", "eventId": "", "logStreamName": 7}',
    ].join('\n');
    const parsed = parseLogFile(text, 'jsonl');
    expect(parsed.events).toEqual([
      { timestamp: 1700000000000, message: 'ok' },
      { timestamp: 1700000000000, message: 'ok' },
    ]);
    expect(parsed.problems).toEqual([
      { line: 2, problem: 'not valid JSON' },
      { line: 4, problem: 'no string "message"' },
      { line: 5, problem: 'no usable "timestamp" (epoch milliseconds or ISO 8601)' },
      { line: 6, problem: 'no usable "timestamp" (epoch milliseconds or ISO 8601)' },
      { line: 7, problem: 'no usable "timestamp" (epoch milliseconds or ISO 8601)' },
      { line: 8, problem: 'not a JSON object' },
    ]);
  });

  it('reads the pretty-printed output of aws logs filter-log-events', () => {
    const output = {
      events: [
        { logStreamName: STREAM, timestamp: T, message: 'one', ingestionTime: T + 5, eventId: '1' },
        { logStreamName: STREAM, timestamp: T + 1, message: 'two', ingestionTime: T + 5, eventId: '2' },
        'junk',
        { logStreamName: STREAM, message: 'no time' },
      ],
      searchedLogStreams: [],
    };
    const parsed = parseLogFile(JSON.stringify(output, null, 4), 'jsonl');
    expect(parsed.events.map((event) => [event.message, event.logStream, event.id])).toEqual([
      ['one', STREAM, '1'],
      ['two', STREAM, '2'],
    ]);
    expect(parsed.problems).toEqual([
      { line: 1, problem: 'events[2]: not a JSON object' },
      { line: 1, problem: 'events[3]: no usable "timestamp" (epoch milliseconds or ISO 8601)' },
    ]);
  });

  it('reads a JSON array of events, numbering problems by item', () => {
    const parsed = parseLogFile(`\uFEFF[{"timestamp": ${T}, "message": "x"}, 3]`, 'jsonl');
    expect(parsed.events).toEqual([{ timestamp: T, message: 'x' }]);
    expect(parsed.problems).toEqual([{ line: 2, problem: 'not a JSON object' }]);
  });

  it('reads subscription payloads (dead-letter queue) and decoded deliveries', () => {
    const delivery = {
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: GROUP,
      logStream: STREAM,
      subscriptionFilters: ['sagewatch'],
      logEvents: [{ id: '36000000000000000000000000', timestamp: T, message: 'boom' }],
    };
    const text = [
      JSON.stringify(toSubscriptionEvent(delivery)),
      JSON.stringify({ awslogs: { data: 'not base64!' } }),
      JSON.stringify(delivery),
      JSON.stringify({ logGroup: GROUP, logEvents: [] }),
      JSON.stringify({ logGroup: GROUP, logStream: STREAM, logEvents: [{ timestamp: T }, 5] }),
    ].join('\n');
    const parsed = parseLogFile(text, 'jsonl');
    const expected = {
      logGroup: GROUP,
      logStream: STREAM,
      timestamp: T,
      message: 'boom',
      id: '36000000000000000000000000',
    };
    expect(parsed.events).toEqual([expected, expected]);
    expect(parsed.problems.map((problem) => problem.line)).toEqual([2, 4, 5, 5]);
    expect(parsed.problems[0]?.problem).toMatch(/cannot decode/);
    expect(parsed.problems[1]?.problem).toBe('a delivery needs string "logGroup" and "logStream"');
    expect(parsed.problems[2]?.problem).toBe('logEvents[0]: no string "message"');
    expect(parsed.problems[3]?.problem).toBe('logEvents[1]: not a JSON object');
  });
});

describe('parseLogFile: console CSV export', () => {
  it('reads quoted multi-line messages by header name, in any column order', () => {
    const text = [
      'logStreamName,timestamp,message',
      `${STREAM},${T},"Traceback (most recent call last):`,
      '  File ""train.py"", line 1, in <module>',
      'ValueError: bad, very bad"',
      `${STREAM},2023-11-07 11:49:55.000,plain line`,
    ].join('\n');
    const parsed = parseLogFile(text, 'csv');
    expect(parsed.problems).toEqual([]);
    expect(parsed.events).toEqual([
      {
        logStream: STREAM,
        timestamp: T,
        message:
          'Traceback (most recent call last):\n  File "train.py", line 1, in <module>\nValueError: bad, very bad',
      },
      { logStream: STREAM, timestamp: Date.UTC(2023, 10, 7, 11, 49, 55), message: 'plain line' },
    ]);
  });

  it('reads Logs Insights exports (@log carries the account)', () => {
    const text = `@timestamp,@message,@logStream,@log,extra\n2023-11-07 11:49:54.665,hi,${STREAM},123456789012:${GROUP},x\n`;
    expect(parseLogFile(text, 'csv').events).toEqual([
      { timestamp: T, message: 'hi', logStream: STREAM, logGroup: GROUP },
    ]);
  });

  it('assumes timestamp,message,logStreamName without a header', () => {
    expect(parseLogFile(`${T},hello,${STREAM}`, 'csv').events).toEqual([
      { timestamp: T, message: 'hello', logStream: STREAM },
    ]);
  });

  it('reports rows it cannot read and an unclosed quote', () => {
    const parsed = parseLogFile(`timestamp,message\nsoon,x\n${T},"open`, 'csv');
    expect(parsed.events).toEqual([{ timestamp: T, message: 'open' }]);
    expect(parsed.problems).toEqual([
      { line: 2, problem: 'no usable "timestamp" (epoch milliseconds or ISO 8601)' },
      { line: 3, problem: 'a quoted field is not closed before the end' },
    ]);
  });

  it('reports an unclosed quote in a file of one record', () => {
    expect(parseLogFile('"', 'csv').problems).toContainEqual({
      line: 1,
      problem: 'a quoted field is not closed before the end',
    });
  });
});

describe('parseLogFile: aws logs tail output', () => {
  it('reads the detailed format, joining continuation lines to the message', () => {
    const text = [
      `2023-11-07T11:49:54.665000+00:00 ${STREAM} Traceback (most recent call last):`,
      '  File "train.py", line 1, in <module>',
      '',
      'ValueError: bad',
      `2023-11-07T12:49:54.665000+01:00 ${STREAM}`,
      `2023-11-07T11:49:56.000000Z ${STREAM} last`,
      '',
    ].join('\n');
    const parsed = parseLogFile(text, 'tail');
    expect(parsed.problems).toEqual([]);
    expect(parsed.events).toEqual([
      {
        timestamp: T,
        logStream: STREAM,
        message:
          'Traceback (most recent call last):\n  File "train.py", line 1, in <module>\n\nValueError: bad',
      },
      { timestamp: T, logStream: STREAM, message: '' },
      { timestamp: Date.UTC(2023, 10, 7, 11, 49, 56), logStream: STREAM, message: 'last' },
    ]);
  });

  it('reads the short format, which names no stream', () => {
    expect(parseLogFile('2023-11-07T11:49:54 hello world\r\n', 'tail').events).toEqual([
      { timestamp: Date.UTC(2023, 10, 7, 11, 49, 54), message: 'hello world' },
    ]);
  });

  it('reports text before the first timestamp, and impossible timestamps continue the message', () => {
    const parsed = parseLogFile('stray\n\n2023-11-07T11:49:54 a\n2023-02-30T11:49:54 b', 'tail');
    expect(parsed.problems).toEqual([{ line: 1, problem: 'no leading timestamp' }]);
    expect(parsed.events).toEqual([
      { timestamp: Date.UTC(2023, 10, 7, 11, 49, 54), message: 'a\n2023-02-30T11:49:54 b' },
    ]);
  });
});
