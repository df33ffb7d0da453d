/**
 * A Kinesis batch writes the metrics of all its deliveries merged per (dimension set, minute): the
 * merged documents must read in CloudWatch as the documents of the same deliveries processed one by
 * one (the direct path). Counters (units Count and Bytes: LogEvents, ErrorEvents, Incidents, ...)
 * have the same Sum per series and minute, now one value instead of one per delivery (SampleCount
 * of a counter counts documents, not events, on either path); sampled metrics (request latency,
 * training metrics) have the same multiset of values, so the same percentiles. And fewer documents.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DetectedIncident } from '../../../lib/incidents/index.ts';
import { type MetricBucket, mergeBuckets } from '../../../lib/metrics/aggregate.ts';
import { MetricsDetails } from '../../../lib/metrics/dimensions.ts';
import { createDeliveryProcessor } from '../../../lib/processor/delivery-processor.ts';
import { MetricBatch } from '../../../lib/processor/kinesis-batch.ts';
import { createMemorySuppressionStore } from '../../../lib/processor/suppression.ts';
import type { LogsDelivery } from '../../../lib/types.ts';
import { makeDelivery } from '../../../scripts/bench-payloads.ts';
import { expandEmf } from '../../helpers/emf-expand.ts';

const root = resolve(import.meta.dirname, '../../..');
const NOW = Date.UTC(2026, 10, 26, 10, 0, 0);
const START = NOW - 10 * 60_000;

interface Sample {
  logGroup: string;
  logStream: string;
  events: Array<{ offsetSeconds: number; message: string }>;
}

/** The demo's deliveries (many streams, hosts, resources), stamped as the demo stamps them. */
function demoDeliveries(): LogsDelivery[] {
  const samples = JSON.parse(readFileSync(resolve(root, 'samples/deliveries.json'), 'utf8')) as Sample[];
  let sequence = 0;
  return samples.map((sample) => ({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: sample.logGroup,
    logStream: sample.logStream,
    subscriptionFilters: ['sagewatch'],
    logEvents: sample.events.map((event) => ({
      id: String(38_000_000_000_000n + BigInt(sequence++)),
      timestamp: START + event.offsetSeconds * 1000,
      message: event.message,
    })),
  }));
}

/** The same host's stream, split into small deliveries, as a busy stream is delivered. */
function splitDeliveries(count: number, perDelivery: number): LogsDelivery[] {
  return Array.from({ length: count }, (_, variant) =>
    makeDelivery(perDelivery, variant + 1, 'typical', START),
  );
}

/** Series → its Sum (counters) or its sorted values (sampled metrics), sorted by series. */
function readAsCloudWatch(documents: readonly string[]): Record<string, number | number[]> {
  const read: Record<string, number | number[]> = {};
  for (const [key, values] of [...expandEmf(documents)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const unit = (JSON.parse(key) as unknown[])[2];
    read[key] = unit === 'Count' || unit === 'Bytes' ? values.reduce((sum, value) => sum + value, 0) : values;
  }
  return read;
}

const publish = async (alerts: readonly { incident: DetectedIncident }[]) => {
  void alerts;
  return [];
};

function processorFor(detail: (typeof MetricsDetails)[number], writeEmf: (document: string) => void) {
  return createDeliveryProcessor(
    {
      namespace: 'SageMaker/Logs',
      detail,
      suppressionWindowMs: 15 * 60_000,
      region: 'us-east-1',
      metricDefinitions: [],
    },
    { store: createMemorySuppressionStore(), publish, writeEmf },
  );
}

/** The deliveries one by one (direct), and as one batch (merged). */
async function emitBoth(deliveries: readonly LogsDelivery[], detail: (typeof MetricsDetails)[number]) {
  const direct: string[] = [];
  const processOne = processorFor(detail, (document) => direct.push(document));
  for (const delivery of deliveries) await processOne(delivery, NOW);

  const written: string[] = [];
  const processInBatch = processorFor(detail, (document) => written.push(document));
  const batch = new MetricBatch();
  for (const delivery of deliveries) {
    await processInBatch(delivery, NOW, { collectMetrics: (buckets, from) => batch.add(buckets, from) });
  }
  return { direct, batched: batch.documents('SageMaker/Logs'), writtenByProcessor: written };
}

describe('merged batch metrics read the same in CloudWatch as one delivery at a time', () => {
  it.each(MetricsDetails)(
    'on the demo deliveries (many streams and resources) at %s detail',
    async (detail) => {
      const { direct, batched, writtenByProcessor } = await emitBoth(demoDeliveries(), detail);
      expect(writtenByProcessor).toEqual([]);
      expect(readAsCloudWatch(batched)).toEqual(readAsCloudWatch(direct));
      // One delivery per stream: merging has little to merge (the resource-level series of an
      // endpoint's two hosts become one); no claim on the number or size of documents here.
      // Many streams: no one LogStream to name.
      for (const document of batched) expect(JSON.parse(document)).not.toHaveProperty('LogStream');
    },
  );

  it.each(MetricsDetails)('on 50 deliveries of 20 events of one stream at %s detail', async (detail) => {
    const { direct, batched } = await emitBoth(splitDeliveries(50, 20), detail);
    expect(readAsCloudWatch(batched)).toEqual(readAsCloudWatch(direct));
    // Four minutes of log time: the direct path writes one set per delivery and minute.
    expect(batched.length).toBeLessThanOrEqual(direct.length / 10);
    for (const document of batched) expect(JSON.parse(document)).toHaveProperty('LogStream');
  });

  it('keeps the 100-value limit of EMF when merged samples pass it', async () => {
    // 50 deliveries × 20 events, about 1 in 3 an access log with a latency: over 100 values a minute.
    const { batched, direct } = await emitBoth(splitDeliveries(50, 20), 'host');
    for (const document of batched) {
      for (const value of Object.values(JSON.parse(document) as Record<string, unknown>)) {
        if (Array.isArray(value)) expect(value.length).toBeLessThanOrEqual(100);
      }
    }
    expect(readAsCloudWatch(batched)).toEqual(readAsCloudWatch(direct));
  });
});

describe('mergeBuckets', () => {
  const bucket = (host: string, minute: number, events: number, latencies: number[]): MetricBucket => ({
    dimensions: { TrainingJobName: 'job', Host: host },
    timestampMs: minute,
    sums: new Map([['LogEvents', { unit: 'Count', value: events }]]),
    samples: new Map([['ContainerRequestLatency', { unit: 'Milliseconds', values: latencies }]]),
  });

  it('adds sums and keeps samples per dimension set and minute, leaving its input unchanged', () => {
    const a = bucket('algo-1', 120_000, 3, [1, 2]);
    const b = bucket('algo-1', 120_000, 4, [3]);
    const c = bucket('algo-2', 120_000, 5, []);
    const d = bucket('algo-1', 60_000, 1, [9]);
    const merged = mergeBuckets([a, b, c, d]);
    expect(merged.map((m) => [m.timestampMs, m.dimensions.Host, m.sums.get('LogEvents')?.value])).toEqual([
      [60_000, 'algo-1', 1],
      [120_000, 'algo-1', 7],
      [120_000, 'algo-2', 5],
    ]);
    expect(merged[1]?.samples.get('ContainerRequestLatency')?.values).toEqual([1, 2, 3]);
    expect(a.sums.get('LogEvents')?.value).toBe(3);
    expect(a.samples.get('ContainerRequestLatency')?.values).toEqual([1, 2]);
  });

  it('merges a sum or a sample only one of the buckets has', () => {
    const a = bucket('algo-1', 0, 1, [1]);
    const b: MetricBucket = {
      ...bucket('algo-1', 0, 1, []),
      sums: new Map([['Incidents', { unit: 'Count', value: 2 }]]),
      samples: new Map([['loss', { unit: 'None', values: [0.5] }]]),
    };
    const [merged] = mergeBuckets([a, b]);
    expect(Object.fromEntries([...(merged?.sums ?? [])].map(([name, { value }]) => [name, value]))).toEqual({
      LogEvents: 1,
      Incidents: 2,
    });
    expect(merged?.samples.get('loss')?.values).toEqual([0.5]);
  });
});
