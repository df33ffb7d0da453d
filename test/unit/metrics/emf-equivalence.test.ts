/**
 * The metrics read the same in CloudWatch as before documents carried several dimension sets and
 * values that repeat as histograms: on the demo's sample deliveries and the bench's payloads, at
 * every detail level, the current emitter's documents and the previous emitter's
 * (test/helpers/emf-before.ts, one document per dimension set, plain value arrays) expand to the
 * same (namespace, metric, unit, dimension set, minute) → values.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DetectedIncident } from '../../../lib/incidents/index.ts';
import { MetricsDetails } from '../../../lib/metrics/dimensions.ts';
import { createDeliveryProcessor } from '../../../lib/processor/delivery-processor.ts';
import { createMemorySuppressionStore } from '../../../lib/processor/suppression.ts';
import type { LogsDelivery } from '../../../lib/types.ts';
import { type Mix, makeDelivery } from '../../../scripts/bench-payloads.ts';
import { toEmfDocumentsBefore } from '../../helpers/emf-before.ts';
import { expandEmfSorted } from '../../helpers/emf-expand.ts';

const root = resolve(import.meta.dirname, '../../..');
const NOW = Date.UTC(2026, 10, 26, 10, 0, 0);
const START = NOW - 10 * 60_000;

interface Sample {
  logGroup: string;
  logStream: string;
  events: Array<{ offsetSeconds: number; message: string }>;
}

/** The demo's deliveries (samples/deliveries.json), stamped as the demo stamps them. */
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

/** Runs deliveries through the processor; returns its documents and the previous emitter's. */
async function emitBoth(deliveries: readonly LogsDelivery[], detail: (typeof MetricsDetails)[number]) {
  const after: string[] = [];
  const before: string[] = [];
  const publish = async (alerts: readonly { incident: DetectedIncident }[]) => {
    void alerts;
    return [];
  };
  const processDelivery = createDeliveryProcessor(
    {
      namespace: 'SageMaker/Logs',
      detail,
      suppressionWindowMs: 15 * 60_000,
      region: 'us-east-1',
      metricDefinitions: [],
    },
    { store: createMemorySuppressionStore(), publish, writeEmf: (document) => after.push(document) },
  );
  for (const delivery of deliveries) {
    const report = await processDelivery(delivery, NOW);
    const properties = { LogGroup: delivery.logGroup, LogStream: delivery.logStream };
    before.push(...toEmfDocumentsBefore('SageMaker/Logs', report.processed.metrics.buckets(), properties));
  }
  return { before, after };
}

describe('EMF documents read the same in CloudWatch as before', () => {
  it.each(MetricsDetails)('on the demo deliveries at %s detail', async (detail) => {
    const { before, after } = await emitBoth(demoDeliveries(), detail);
    expect(expandEmfSorted(after)).toEqual(expandEmfSorted(before));
    expect(after.length).toBeLessThan(before.length);
  });

  const cases: Array<[Mix, number]> = [
    ['typical', 1],
    ['typical', 5],
    ['typical', 20],
    ['typical', 100],
    ['typical', 1_000],
    ['typical', 10_000],
    ['labelled', 20],
    ['labelled', 1_000],
  ];
  it.each(cases)('on the bench %s mix, %i events, at every detail level', async (mix, count) => {
    for (const detail of MetricsDetails) {
      const { before, after } = await emitBoth([makeDelivery(count, 3, mix, START)], detail);
      expect(expandEmfSorted(after)).toEqual(expandEmfSorted(before));
      expect(after.length).toBeLessThanOrEqual(before.length);
      // From 1,000 typical events the sample lines' values repeat: histograms are compared too.
      if (mix === 'typical' && count >= 1_000)
        expect(after.some((document) => document.includes('"Counts":['))).toBe(true);
    }
  });
});
