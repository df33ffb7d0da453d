import { describe, expect, it } from 'vitest';
import {
  SLACK_MAX_BLOCKS,
  SLACK_SECTION_TEXT_MAX_CHARS,
  type SlackBlock,
} from '../../../lib/incidents/format-slack.ts';
import { toSnsMessage } from '../../../lib/incidents/to-sns-message.ts';
import {
  InvalidMessageError,
  MAX_REPORTED_ISSUES,
  parseSnsMessage,
  readSnsRecords,
} from '../../../lib/slack/parse-sns-message.ts';
import { toSlackMessage } from '../../../lib/slack/to-slack-message.ts';
import { sampleAlarm, sampleIncident } from '../../helpers/slack-fixtures.ts';

const SECRET = 'AKIAIOSFODNN7EXAMPLE';

function errorOf(run: () => unknown): InvalidMessageError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidMessageError) return error;
    throw error;
  }
  throw new Error('expected an InvalidMessageError');
}

/** Every section text of a message (the code block, the field texts). */
function sectionTexts(blocks: readonly SlackBlock[]): string[] {
  return blocks.flatMap((block) =>
    block.type === 'section' ? [block.text?.text ?? '', ...(block.fields ?? []).map((f) => f.text)] : [],
  );
}

describe('parseSnsMessage: incidents', () => {
  it('reads a JSON incident (the raw message shape)', () => {
    const incident = sampleIncident();
    expect(parseSnsMessage(JSON.stringify(incident), 'm-1')).toEqual({ kind: 'incident', incident });
  });

  it('reads the incident sagewatch publishes (toSnsMessage)', () => {
    const incident = sampleIncident();
    expect(parseSnsMessage(toSnsMessage(incident).message)).toEqual({ kind: 'incident', incident });
  });

  // Another publisher on the topic may send a per-protocol document without MessageStructure.
  it('reads the whole variant document when it was published without MessageStructure', () => {
    const incident = sampleIncident();
    const variants = { default: JSON.stringify(incident), email: 'plain text' };
    const notification = parseSnsMessage(JSON.stringify(variants));
    expect(notification).toEqual({ kind: 'incident', incident });
  });

  it('leaves absent optional fields absent and ignores unknown keys', () => {
    const { consoleUrl, ...required } = sampleIncident();
    expect(consoleUrl).toBeDefined();
    const notification = parseSnsMessage(JSON.stringify({ ...required, addedInAFutureMinor: true }));
    expect(notification.kind).toBe('incident');
    const incident = notification.kind === 'incident' ? notification.incident : undefined;
    expect(incident).toEqual(required);
    expect(Object.keys(incident ?? {})).not.toContain('consoleUrl');
    expect(Object.keys(incident ?? {})).not.toContain('addedInAFutureMinor');
  });

  it('says a message that is not JSON is not JSON, without quoting it', () => {
    const text = `Traceback ... aws_access_key_id=${SECRET} (not json)`;
    const error = errorOf(() => parseSnsMessage(text, 'm-2'));
    expect(error.message).toBe(`SNS message m-2: is not JSON (${text.length} characters)`);
    expect(error.message).not.toContain(SECRET);
    expect(error.name).toBe('InvalidMessageError');
  });

  it('names the message id as unknown when none is given', () => {
    expect(errorOf(() => parseSnsMessage('{')).message).toMatch(/^SNS message unknown: is not JSON/);
  });

  it('says a default variant that is not JSON is not JSON', () => {
    const error = errorOf(() => parseSnsMessage(JSON.stringify({ default: 'plain text', email: 'x' })));
    expect(error.message).toContain('has a `default` variant that is not JSON');
  });

  it.each([
    ['null', 'null'],
    ['[1, 2]', 'array'],
    ['42', 'number'],
    ['"an incident"', 'string'],
  ])('says JSON %s is not an object (%s)', (text, type) => {
    expect(errorOf(() => parseSnsMessage(text)).message).toContain(`is JSON but not an object (${type})`);
  });

  it('refuses another schema version and says which one it reads', () => {
    const error = errorOf(() => parseSnsMessage(JSON.stringify({ ...sampleIncident(), schemaVersion: 2 })));
    expect(error.message).toContain('incident schemaVersion 2 is not supported');
    expect(error.message).toContain('reads version 1');
  });

  it.each([
    ['1', 'a string'],
    [null, 'a null'],
  ])('names the type of a schemaVersion that is not a number (%s)', (version, said) => {
    const error = errorOf(() =>
      parseSnsMessage(JSON.stringify({ ...sampleIncident(), schemaVersion: version })),
    );
    expect(error.message).toContain(`incident schemaVersion ${said} is not supported`);
  });

  it('lists missing fields by name', () => {
    const { fingerprint, logStream, ...rest } = sampleIncident();
    const error = errorOf(() => parseSnsMessage(JSON.stringify(rest), 'm-3'));
    expect(fingerprint && logStream).toBeTruthy();
    expect(error.message).toBe('SNS message m-3: is not a valid incident: missing fingerprint, logStream');
  });

  it('names malformed fields and the expected type, never their values', () => {
    const bad = { ...sampleIncident({ headline: `token ${SECRET}` }), severity: 'fatal', count: `${SECRET}` };
    const error = errorOf(() => parseSnsMessage(JSON.stringify(bad)));
    expect(error.message).toMatch(/severity: Invalid option: expected one of "critical"\|"error"\|"warning"/);
    expect(error.message).toMatch(/count: Invalid input: expected number, received string/);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('fatal');
  });

  it('names a malformed nested field with its path', () => {
    const bad = { ...sampleIncident(), context: ['line', 7] };
    expect(errorOf(() => parseSnsMessage(JSON.stringify(bad))).message).toContain(
      'context.1: Invalid input: expected string, received number',
    );
  });

  it('names a few problems and counts the rest', () => {
    const bad = {
      schemaVersion: 1,
      severity: 'x',
      category: 'x',
      resourceType: 'x',
      count: 'x',
      firstSeenMs: 'x',
      lastSeenMs: 'x',
      truncated: 'x',
    };
    const error = errorOf(() => parseSnsMessage(JSON.stringify(bad)));
    const problems = error.message
      .slice(error.message.indexOf(': is not a valid incident: ') + 27)
      .split('; ');
    expect(problems).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(problems[0]).toMatch(
      /^missing fingerprint, title, headline, logGroup, logStream, eventIds, context$/,
    );
    expect(problems.at(-1)).toMatch(/^and \d+ more problem\(s\)$/);
  });

  it('keeps every section within Slack limits for a huge context (formatSlack)', () => {
    const context = Array.from({ length: 5_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 700)} <&> \`\`\``);
    const huge = sampleIncident({ context, title: 'T'.repeat(5_000), headline: 'H'.repeat(10_000) });
    const notification = parseSnsMessage(JSON.stringify(huge));
    const message = toSlackMessage(notification, 'warning');
    expect(message).toBeDefined();
    const blocks = message?.blocks ?? [];
    expect(blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    for (const text of sectionTexts(blocks))
      expect(text.length).toBeLessThanOrEqual(SLACK_SECTION_TEXT_MAX_CHARS);
    const code = sectionTexts(blocks).find((text) => text.startsWith('```'));
    expect(code).toContain('line 4999');
  });
});

describe('parseSnsMessage: other messages on the topic', () => {
  it('reads a CloudWatch alarm notification', () => {
    const notification = parseSnsMessage(JSON.stringify(sampleAlarm()));
    expect(notification.kind).toBe('alarm');
    expect(notification.kind === 'alarm' && notification.alarm.NewStateValue).toBe('ALARM');
  });

  it('says what an alarm notification lacks', () => {
    const { NewStateValue, ...rest } = sampleAlarm();
    const error = errorOf(() => parseSnsMessage(JSON.stringify(rest), 'm-4'));
    expect(NewStateValue).toBe('ALARM');
    expect(error.message).toBe(
      'SNS message m-4: is not a valid CloudWatch alarm notification: missing NewStateValue',
    );
  });

  it('names the top-level keys of JSON it does not know', () => {
    const error = errorOf(() =>
      parseSnsMessage(JSON.stringify({ version: '0', 'detail-type': 'x', detail: {} })),
    );
    expect(error.message).toContain('neither a sagewatch incident (no schemaVersion) nor a CloudWatch alarm');
    expect(error.message).toMatch(/keys: version, detail-type, detail$/);
  });

  it('names at most ten keys, each cut short, and counts the rest', () => {
    const value = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`${'k'.repeat(60)}${i}`, i]));
    const error = errorOf(() => parseSnsMessage(JSON.stringify(value)));
    expect(error.message).toMatch(/ and 2 more$/);
    expect(error.message).not.toContain('k'.repeat(41));
  });

  it('says an empty object has no keys', () => {
    expect(errorOf(() => parseSnsMessage('{}')).message).toMatch(/keys: \(none\)$/);
  });
});

describe('readSnsRecords', () => {
  it('returns message id and message of each record', () => {
    const event = {
      Records: [
        { EventSource: 'aws:sns', Sns: { MessageId: 'a', Message: '{}', Subject: null } },
        { EventSource: 'aws:sns', Sns: { MessageId: 'b', Message: 'x' } },
      ],
    };
    expect(readSnsRecords(event)).toEqual([
      { messageId: 'a', message: '{}' },
      { messageId: 'b', message: 'x' },
    ]);
  });

  it('refuses an event that is not from SNS, naming what is missing', () => {
    const error = errorOf(() => readSnsRecords({ awslogs: { data: 'H4sI' } }));
    expect(error.message).toBe(
      'the event is not an SNS notification (expected Records[].Sns.Message): missing Records',
    );
  });

  it('names a record without a message by its path', () => {
    const error = errorOf(() => readSnsRecords({ Records: [{ Sns: { MessageId: 'a' } }] }));
    expect(error.message).toContain('missing Records.0.Sns.Message');
  });

  it('refuses an event without records', () => {
    expect(errorOf(() => readSnsRecords({ Records: [] })).message).toContain('Records: Too small');
  });

  it('refuses an event that is not an object', () => {
    expect(errorOf(() => readSnsRecords('hello')).message).toContain(
      '(root): Invalid input: expected object',
    );
  });
});
