import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DetectedIncident } from '../../../lib/incidents/index.ts';
import type { AlertToSend } from '../../../lib/processor/alerting.ts';
import type { ClassificationBudget } from '../../../lib/processor/classification-budget.ts';
import { createDeliveryProcessor } from '../../../lib/processor/delivery-processor.ts';
import {
  isKinesisEvent,
  type KinesisRecord,
  processKinesisBatch,
  shardOf,
} from '../../../lib/processor/kinesis-batch.ts';
import { createMemorySuppressionStore } from '../../../lib/processor/suppression.ts';
import type { LogsDelivery } from '../../../lib/types.ts';
import { makeDelivery, toKinesisEvent } from '../../helpers/deliveries.ts';
import { expandEmf } from '../../helpers/emf-expand.ts';

const NOW = Date.UTC(2026, 10, 26, 10, 0, 30);
const MINUTE = Date.UTC(2026, 10, 26, 9, 59, 0);
const GROUP = '/aws/sagemaker/TrainingJobs';
const OOM = [
  'Traceback (most recent call last):',
  '  File "train.py", line 3, in <module>',
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
];

/** A host's delivery; `n` distinguishes its events from every other delivery's. */
function hostDelivery(host: number, n: number, messages: readonly string[] = ["{'loss': 0.5}", 'step done']) {
  return makeDelivery(GROUP, `job-1/algo-${host}-1764148442`, messages, MINUTE + n * messages.length * 1000);
}

/** A real pipeline with an in-memory store, and a publisher that can be made to fail. */
function setup(valueCounts?: boolean) {
  const store = createMemorySuppressionStore();
  const sent: DetectedIncident[] = [];
  const state = { failPublish: false };
  const emf: string[] = [];
  const errors: Array<[string, Record<string, unknown>]> = [];
  const warnings: Array<[string, Record<string, unknown>]> = [];
  const processDelivery = createDeliveryProcessor(
    {
      namespace: 'SageMaker/Logs',
      detail: 'host',
      suppressionWindowMs: 15 * 60_000,
      region: 'us-east-1',
      metricDefinitions: [],
    },
    {
      store,
      publish: async (alerts: readonly AlertToSend<DetectedIncident>[]) => {
        if (state.failPublish) throw new Error('SNS unavailable');
        for (const { incident } of alerts) sent.push(incident);
        return [];
      },
      writeEmf: () => {
        throw new Error('a batch never writes per delivery');
      },
    },
  );
  const run = (records: readonly KinesisRecord[], deliveryOptions: { budget?: ClassificationBudget } = {}) =>
    processKinesisBatch(records, {
      processDelivery,
      namespace: 'SageMaker/Logs',
      ...(valueCounts === undefined ? {} : { valueCounts }),
      writeEmf: (document) => emf.push(document),
      log: {
        warn: (message, attributes) => warnings.push([message, attributes]),
        error: (message, attributes) => errors.push([message, attributes]),
      },
      now: () => NOW,
      deliveryOptions,
    });
  return { run, sent, state, emf, errors, warnings };
}

/** The total of a counter across the documents, over every series that has `dimension`. */
function total(documents: readonly string[], metric: string, dimension = 'Host'): number {
  let sum = 0;
  for (const [key, values] of expandEmf(documents)) {
    const [, name, , dimensions] = JSON.parse(key) as [string, string, string, [string, string][]];
    if (name === metric && dimensions.length === 2 && dimensions.some(([d]) => d === dimension))
      sum += values.reduce((a, b) => a + b, 0);
  }
  return sum;
}

describe('isKinesisEvent and shardOf', () => {
  it('tells a Kinesis batch from the other shapes', () => {
    const event = toKinesisEvent([hostDelivery(1, 0)]);
    expect(isKinesisEvent(event)).toBe(true);
    expect(isKinesisEvent({ Records: [] })).toBe(false);
    expect(isKinesisEvent({ Records: [{ eventSource: 'aws:sqs', body: '{}' }] })).toBe(false);
    expect(isKinesisEvent({ Records: [{ eventSource: 'aws:kinesis', kinesis: { data: 1 } }] })).toBe(false);
    expect(isKinesisEvent({ Records: [null] })).toBe(false);
    expect(isKinesisEvent({ awslogs: { data: 'x' } })).toBe(false);
    expect(isKinesisEvent(null)).toBe(false);
  });

  it('reads the shard from the eventID', () => {
    const [record] = toKinesisEvent([hostDelivery(1, 0)], 5n, 'shardId-000000000007').Records;
    expect(shardOf(record as KinesisRecord)).toBe('shardId-000000000007');
    expect(shardOf({ kinesis: { data: '', sequenceNumber: '1' } })).toBeUndefined();
    expect(shardOf({ eventID: 'no-colon', kinesis: { data: '', sequenceNumber: '1' } })).toBeUndefined();
  });
});

describe('processKinesisBatch', () => {
  it('processes every delivery and writes their metrics merged, once', async () => {
    const { run, emf } = setup();
    const deliveries = [hostDelivery(1, 0), hostDelivery(2, 0), hostDelivery(1, 1), hostDelivery(2, 1)];
    const outcome = await run(toKinesisEvent(deliveries).Records);
    expect(outcome.response).toEqual({ batchItemFailures: [] });
    expect(outcome.reports).toHaveLength(4);
    expect(outcome.emfDocuments).toBe(emf.length);
    expect(total(emf, 'LogEvents')).toBe(8);
    // Per host and minute, one value: the four deliveries' counts merged.
    const hostSeries = [...expandEmf(emf)].filter(
      ([key]) => key.includes('"LogEvents"') && key.includes('"Host"'),
    );
    expect(hostSeries.map(([, values]) => values)).toEqual([[4], [4]]);
  });

  it('writes the merged values that repeat once with their counts, unless value counts are off', async () => {
    // 25 deliveries of one host in one minute, each printing the same loss twice: 50 equal values.
    const deliveries = Array.from({ length: 25 }, (_, n) =>
      hostDelivery(1, n, ["{'loss': 0.5}", "{'loss': 0.5}"]),
    );
    const lossOf = (documents: readonly string[]) =>
      documents.map((document) => (JSON.parse(document) as Record<string, unknown>).loss).filter(Boolean);
    const on = setup();
    await on.run(toKinesisEvent(deliveries).Records);
    expect(lossOf(on.emf)).toEqual([{ Values: [0.5], Counts: [50], Max: 0.5, Min: 0.5, Count: 50, Sum: 25 }]);
    const off = setup(false);
    await off.run(toKinesisEvent(deliveries).Records);
    expect(lossOf(off.emf)).toEqual([Array(50).fill(0.5)]);
  });

  it('skips a record that can never be decoded, once, naming where it is, and goes on', async () => {
    const { run, emf, errors } = setup();
    const event = toKinesisEvent([
      hostDelivery(1, 0),
      { raw: 'not base64!' },
      { raw: gzipSync('{not json').toString('base64') },
      { raw: gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE' })).toString('base64') },
      hostDelivery(1, 1),
    ]);
    const outcome = await run(event.Records);
    expect(outcome.response.batchItemFailures).toEqual([]);
    expect(outcome.undecodable).toBe(3);
    expect(outcome.reports).toHaveLength(2);
    expect(total(emf, 'LogEvents')).toBe(4);
    expect(errors.map(([message, attributes]) => [message, attributes.step, attributes.shardId])).toEqual([
      ['undecodable record skipped', 'base64', 'shardId-000000000000'],
      ['undecodable record skipped', 'json', 'shardId-000000000000'],
      ['undecodable record skipped', 'schema', 'shardId-000000000000'],
    ]);
    expect(errors[0]?.[1].sequenceNumber).toBe(event.Records[1]?.kinesis.sequenceNumber);
    // The payload is never quoted.
    expect(JSON.stringify(errors)).not.toContain('not json');
  });

  it('acknowledges the control message CloudWatch Logs checks the stream with', async () => {
    const { run, emf } = setup();
    const control: LogsDelivery = { ...hostDelivery(1, 0), messageType: 'CONTROL_MESSAGE', logEvents: [] };
    const outcome = await run(toKinesisEvent([control]).Records);
    expect(outcome).toMatchObject({ controlMessages: 1, reports: [], response: { batchItemFailures: [] } });
    expect(emf).toEqual([]);
  });

  it('stops at the first failing record, reports only it, and counts nothing twice when Lambda retries from it', async () => {
    const { run, emf, sent, state } = setup();
    const deliveries = [
      hostDelivery(1, 0),
      hostDelivery(2, 0),
      hostDelivery(3, 0, OOM), // its alert cannot be published
      hostDelivery(1, 1),
      hostDelivery(2, 1, OOM),
    ];
    const event = toKinesisEvent(deliveries);
    state.failPublish = true;
    const first = await run(event.Records);
    const failing = event.Records[2]?.kinesis.sequenceNumber as string;
    expect(first.response.batchItemFailures).toEqual([{ itemIdentifier: failing }]);
    expect(first.retried).toBe(3);
    expect(first.reports).toHaveLength(2);
    // The records before the failure are done: their metrics are written.
    expect(total(emf, 'LogEvents')).toBe(4);

    // Lambda retries from the lowest reported sequence number onward.
    state.failPublish = false;
    const retry = await run(event.Records.slice(2));
    expect(retry.response.batchItemFailures).toEqual([]);
    expect(retry.reports.map((report) => report.duplicate)).toEqual([false, false, false]);
    // Every event counted exactly once across the two invocations; each failure alerted once.
    expect(total(emf, 'LogEvents')).toBe(2 + 2 + 3 + 2 + 3);
    expect(total(emf, 'ErrorEvents')).toBe(2);
    // The failing record's alert went out on the retry; algo-2's identical failure is suppressed.
    expect(sent.map((incident) => incident.logStream)).toEqual(['job-1/algo-3-1764148442']);
    expect(retry.reports[2]?.alerts.suppressed).toHaveLength(1);
  });

  it('leaves the rest of the batch to a retry once the classification budget is spent, after one delivery', async () => {
    const { run, emf, sent, warnings } = setup();
    const event = toKinesisEvent([hostDelivery(1, 0), hostDelivery(2, 0, OOM), hostDelivery(3, 0)]);
    // Spent before the batch starts: the first delivery still runs (counted, not classified).
    const spent: ClassificationBudget = { now: () => 5, deadlineMs: 5 };
    const first = await run(event.Records, { budget: spent });
    const second = event.Records[1]?.kinesis.sequenceNumber as string;
    expect(first.response.batchItemFailures).toEqual([{ itemIdentifier: second }]);
    expect(first.retried).toBe(2);
    expect(first.reports.map((report) => report.processed.stats.classificationSkipped)).toEqual([2]);
    expect(warnings.map(([message, where]) => [message, where.sequenceNumber])).toEqual([
      ['classification budget spent; retried from here', second],
    ]);
    expect(total(emf, 'LogEvents')).toBe(2);

    // The retry, with time to spare, classifies what the first invocation left: nothing is lost.
    const ample: ClassificationBudget = { now: () => 0, deadlineMs: 60_000 };
    const retry = await run(event.Records.slice(1), { budget: ample });
    expect(retry.response.batchItemFailures).toEqual([]);
    expect(retry.reports.map((report) => report.processed.stats.classificationSkipped)).toEqual([0, 0]);
    expect(total(emf, 'LogEvents')).toBe(2 + 3 + 2);
    expect(sent.map((incident) => incident.logStream)).toEqual(['job-1/algo-2-1764148442']);
  });

  it('counts a record written twice (at least once) and a whole batch delivered again only once', async () => {
    const { run, emf, sent } = setup();
    const oom = hostDelivery(1, 0, OOM);
    const loss = hostDelivery(2, 0);
    // The producer retried a put: the same delivery under two sequence numbers.
    const event = toKinesisEvent([oom, loss, oom]);
    const outcome = await run(event.Records);
    expect(outcome.reports.map((report) => report.duplicate)).toEqual([false, false, true]);
    expect(total(emf, 'LogEvents')).toBe(5);
    expect(sent).toHaveLength(1);

    // The invocation timed out after its work was done: Lambda delivers the same batch again.
    const documentsBefore = emf.length;
    const again = await run(event.Records);
    expect(again.reports.every((report) => report.duplicate)).toBe(true);
    expect(again.emfDocuments).toBe(0);
    expect(emf).toHaveLength(documentsBefore);
    expect(sent).toHaveLength(1);
  });
});
