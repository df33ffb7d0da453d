import { describe, expect, it } from 'vitest';
import { parseIncident } from '../../../lib/incidents/parse-incident.ts';
import {
  SNS_MAX_MESSAGE_BYTES,
  snsMessageBytes,
  toMessageAttributes,
  toSnsMessage,
} from '../../../lib/incidents/to-sns-message.ts';
import { makeIncident } from './build.ts';

/**
 * A limit that only the last shrinking step meets: the incident of that test with no context and
 * one event id, and a little room (a step that keeps 1 KiB of context does not fit).
 */
const MAX_BYTES_WITHOUT_CONTEXT = 1_500;

describe('toSnsMessage', () => {
  it('publishes the JSON incident itself, with the email subject and filter attributes', () => {
    const incident = makeIncident();
    const message = toSnsMessage(incident);
    expect(message.subject).toBe('[sagewatch][critical] cuda_oom in TrainingJob my-job (algo-3)');
    expect(message.messageAttributes).toEqual({
      severity: 'critical',
      resourceType: 'TrainingJob',
      category: 'cuda_oom',
      resourceName: 'my-job',
    });
    expect(message).not.toHaveProperty('messageStructure');
    expect(parseIncident(message.message)).toEqual({ ok: true, incident });
  });

  it('carries the number of suppressed occurrences alerting passes in', () => {
    expect(JSON.parse(toSnsMessage(makeIncident(), { suppressedBefore: 5 }).message).suppressedBefore).toBe(
      5,
    );
  });

  it('stays within 256 KiB with a huge context, keeping title, headline and the last line', () => {
    const context = [
      ...Array.from({ length: 5_000 }, (_, i) => `frame ${i} ${'x'.repeat(300)}`),
      'FinalError: end',
    ];
    const eventIds = Array.from(
      { length: 20_000 },
      (_, i) => `3742165478123456789012345678901234567890123456${i}`,
    );
    const incident = makeIncident({ context, eventIds });
    const message = toSnsMessage(incident);
    expect(snsMessageBytes(message)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    const parsed = parseIncident(message.message);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.incident.title).toBe(incident.title);
    expect(parsed.incident.headline).toBe(incident.headline);
    expect(parsed.incident.context.at(-1)).toBe('FinalError: end');
    expect(parsed.incident.eventIds.length + (parsed.incident.eventIdsOmitted ?? 0)).toBe(20_000);
  });

  it('shrinks step by step to a small limit, down to no context and one event id', () => {
    const incident = makeIncident({
      context: ['a'.repeat(2_000)],
      eventIds: ['x', 'y', 'z'],
      eventIdsOmitted: 2,
    });
    const message = toSnsMessage(incident, { maxBytes: MAX_BYTES_WITHOUT_CONTEXT });
    expect(snsMessageBytes(message)).toBeLessThanOrEqual(MAX_BYTES_WITHOUT_CONTEXT);
    const parsed = parseIncident(message.message);
    expect(parsed).toMatchObject({
      ok: true,
      incident: { context: [], eventIds: ['x'], eventIdsOmitted: 4 },
    });
  });

  it('cuts every text as a last resort for an incident with a huge headline', () => {
    const incident = makeIncident({ headline: 'h'.repeat(400_000), container: 'c' });
    const message = toSnsMessage(incident);
    expect(snsMessageBytes(message)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    const parsed = parseIncident(message.message);
    expect(parsed.ok && parsed.incident.headline.length).toBe(1_024);
  });
});

describe('toMessageAttributes', () => {
  it('leaves resourceName out when there is none and cuts a long one', () => {
    const { resourceName: _, ...unnamed } = makeIncident();
    expect(toMessageAttributes(unnamed)).not.toHaveProperty('resourceName');
    expect(toMessageAttributes(makeIncident({ resourceName: 'n'.repeat(1_000) })).resourceName).toHaveLength(
      256,
    );
  });

  it('counts what SNS counts', () => {
    expect(snsMessageBytes({ subject: 'ab', message: 'é', messageAttributes: { k: 'v' } })).toBe(
      2 + 2 + 1 + 1 + 6,
    );
  });
});
