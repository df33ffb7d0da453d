import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeDelivery, toKinesisEvent, toSubscriptionEvent } from '../helpers/deliveries.ts';
import { expandEmf } from '../helpers/emf-expand.ts';
import { captureOutput, fakeContext } from '../helpers/lambda-harness.ts';

/*
 * The process-logs handler with the delivery stream's event shape (`delivery=kinesis`), without
 * AWS: no topic (incidents are logged at warn) and no table (the in-memory store).
 */

const NOW = Date.UTC(2026, 2, 2, 10, 30, 30);
const MINUTE = Date.UTC(2026, 2, 2, 10, 29, 0);
const GROUP = '/aws/sagemaker/TrainingJobs';
const LINES = ["{'loss': 0.5, 'epoch': 1.0}", 'step 10 done', "{'loss': 0.4, 'epoch': 1.1}"];

let output: ReturnType<typeof captureOutput>;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

async function loadHandler() {
  vi.resetModules();
  const env = {
    AWS_REGION: 'us-east-1',
    METRICS_NAMESPACE: 'SageMaker/Logs',
    METRICS_DETAIL: 'host',
    ALERTS_TOPIC_ARN: '',
    SUPPRESSION_TABLE: '',
    METRIC_DEFINITIONS: '',
    ALERT_CONTEXT: 'false',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const { handler } = await import('../../functions/process-logs.ts');
  return (event: unknown) => handler(event, fakeContext());
}

const emfOf = (lines: Record<string, unknown>[]) =>
  lines.filter(
    (line) =>
      '_aws' in line &&
      (line._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics[0]?.Namespace ===
        'SageMaker/Logs' &&
      !('service' in line),
  );

/** The values written for `metric` under exactly (resource, Host=…/`host`), as CloudWatch reads them. */
function hostValue(documents: Record<string, unknown>[], metric: string, host: string): number[][] {
  const found: number[][] = [];
  for (const [key, values] of expandEmf(documents.map((document) => JSON.stringify(document)))) {
    const [, name, , dimensions] = JSON.parse(key) as [string, string, string, [string, string][]];
    const hostDimension = dimensions.find(([dimension]) => dimension === 'Host');
    if (name === metric && dimensions.length === 2 && hostDimension?.[1].endsWith(`/${host}`))
      found.push(values);
  }
  return found;
}

describe('process-logs with a Kinesis batch', () => {
  it('answers with no failures and writes one merged set of documents for many deliveries', async () => {
    const invoke = await loadHandler();
    const deliveries = Array.from({ length: 12 }, (_, i) =>
      makeDelivery(GROUP, `job-1/algo-${(i % 2) + 1}-1772445600`, LINES, MINUTE + i * 3000),
    );
    const response = await invoke(toKinesisEvent(deliveries));
    expect(response).toEqual({ batchItemFailures: [] });
    const documents = emfOf(output.lines());
    // One minute, two hosts: the 12 deliveries' 36 events in a handful of documents, not 12 sets.
    expect(documents.length).toBeLessThanOrEqual(4);
    expect(hostValue(documents, 'LogEvents', 'algo-1')).toEqual([[18]]);
    expect(hostValue(documents, 'LogEvents', 'algo-2')).toEqual([[18]]);
    expect(hostValue(documents, 'loss', 'algo-1')[0]).toHaveLength(12);
  });

  it('skips an undecodable record, counts it in UndecodableRecords and logs where it is', async () => {
    const invoke = await loadHandler();
    const event = toKinesisEvent([
      { raw: 'bm90IGd6aXA=' },
      makeDelivery(GROUP, 'job-1/algo-1-1772445600', LINES, MINUTE),
    ]);
    const response = await invoke(event);
    expect(response).toEqual({ batchItemFailures: [] });
    const lines = output.lines();
    const own = lines.find((line) => 'UndecodableRecords' in line);
    expect(own?.UndecodableRecords).toBe(1);
    const logged = lines.find((line) => line.message === 'undecodable record skipped');
    expect(logged).toMatchObject({
      level: 'ERROR',
      step: 'gzip',
      shardId: 'shardId-000000000000',
      sequenceNumber: event.Records[0]?.kinesis.sequenceNumber,
    });
    expect(hostValue(emfOf(lines), 'LogEvents', 'algo-1')).toEqual([[3]]);
  });

  it('still handles a direct delivery in the same container', async () => {
    const invoke = await loadHandler();
    await invoke(toKinesisEvent([makeDelivery(GROUP, 'job-1/algo-1-1772445600', LINES, MINUTE)]));
    const response = await invoke(
      toSubscriptionEvent(makeDelivery(GROUP, 'job-1/algo-2-1772445600', LINES, MINUTE)),
    );
    expect(response).toBeUndefined();
    expect(hostValue(emfOf(output.lines()), 'LogEvents', 'algo-2')).toEqual([[3]]);
  });
});
