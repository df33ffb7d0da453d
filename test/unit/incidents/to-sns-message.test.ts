import { describe, expect, it } from 'vitest';
import { parseIncident } from '../../../lib/incidents/parse-incident.ts';
import {
  SNS_MAX_MESSAGE_BYTES,
  snsMessageBytes,
  toMessageAttributes,
  toSnsMessage,
} from '../../../lib/incidents/to-sns-message.ts';
import { makeIncident } from './build.ts';

describe('toSnsMessage, per-protocol shape (default)', () => {
  it('gives email readers text and everyone else the JSON incident, with filter attributes', () => {
    const incident = makeIncident();
    const message = toSnsMessage(incident);
    expect(message.messageStructure).toBe('json');
    expect(message.subject).toBe('[sagewatch][critical] cuda_oom in TrainingJob my-job (algo-3)');
    expect(message.messageAttributes).toEqual({
      severity: 'critical',
      resourceType: 'TrainingJob',
      category: 'cuda_oom',
      resourceName: 'my-job',
    });
    const variants = JSON.parse(message.message);
    expect(Object.keys(variants)).toEqual(['default', 'email']);
    expect(parseIncident(variants.default)).toEqual({ ok: true, incident });
    expect(variants.email.startsWith('CUDA out of memory in training job my-job (algo-3)\n')).toBe(true);
  });

  it('carries the number of suppressed occurrences alerting passes in', () => {
    const variants = JSON.parse(toSnsMessage(makeIncident(), { suppressedBefore: 5 }).message);
    expect(JSON.parse(variants.default).suppressedBefore).toBe(5);
    expect(variants.email).toContain('Suppressed:  5 earlier occurrence(s)');
  });

  it('adds a Chatbot notification for https subscribers when asked', () => {
    const variants = JSON.parse(toSnsMessage(makeIncident(), { https: 'chatbot' }).message);
    expect(JSON.parse(variants.https)).toMatchObject({ version: '1.0', source: 'custom' });
  });

  // CPU-bound (5,000 context lines, 20,000 event ids, shrunk step by step): seconds on a loaded
  // shared machine, past vitest's 5-second default.
  it('stays within 256 KiB with a huge context, keeping title, headline and the last line', {
    timeout: 60_000,
  }, () => {
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
    const parsed = parseIncident(JSON.parse(message.message).default);
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
    const message = toSnsMessage(incident, { maxBytes: 3_500 });
    expect(snsMessageBytes(message)).toBeLessThanOrEqual(3_500);
    const parsed = parseIncident(JSON.parse(message.message).default);
    expect(parsed).toMatchObject({
      ok: true,
      incident: { context: [], eventIds: ['x'], eventIdsOmitted: 4 },
    });
  });

  it('cuts every text as a last resort for an incident with a huge headline', () => {
    const incident = makeIncident({ headline: 'h'.repeat(400_000), container: 'c' });
    const message = toSnsMessage(incident);
    expect(snsMessageBytes(message)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    const parsed = parseIncident(JSON.parse(message.message).default);
    expect(parsed.ok && parsed.incident.headline.length).toBe(1_024);
  });
});

describe('toSnsMessage, raw shape', () => {
  it('publishes the JSON incident itself with the same attributes', () => {
    const incident = makeIncident();
    const message = toSnsMessage(incident, { shape: 'raw' });
    expect(message).not.toHaveProperty('messageStructure');
    expect(parseIncident(message.message)).toEqual({ ok: true, incident });
    expect(message.messageAttributes.severity).toBe('critical');
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
