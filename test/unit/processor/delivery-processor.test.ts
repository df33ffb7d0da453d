import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { MAX_PAST_MS } from '../../../lib/metrics/emf.ts';
import {
  createDeliveryProcessor,
  type DeliveryProcessorIo,
  describeReport,
  toDeliveryKey,
} from '../../../lib/processor/delivery-processor.ts';
import { createMemorySuppressionStore } from '../../../lib/processor/suppression.ts';
import { makeDelivery } from '../../helpers/deliveries.ts';

const NOW = Date.UTC(2026, 10, 26, 10, 0, 0);
const LINES = [
  "{'loss': 0.5, 'epoch': 1.0}",
  'Traceback (most recent call last):',
  '  File "train.py", line 3, in <module>',
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
];

const CONFIG = {
  detail: 'host' as const,
  namespace: 'SageMaker/Logs',
  suppressionWindowMs: 15 * 60_000,
  region: 'us-east-1',
  metricDefinitions: [],
};

function deps(overrides: Partial<DeliveryProcessorIo> = {}) {
  const written: string[] = [];
  const order: string[] = [];
  const io = {
    store: createMemorySuppressionStore(),
    publish: vi.fn(async () => {
      order.push('publish');
      return [];
    }),
    writeEmf: (document: string) => {
      order.push('emf');
      written.push(document);
    },
    ...overrides,
  };
  return { written, order, deps: io, process: createDeliveryProcessor(CONFIG, io) };
}

const sums = (documents: readonly string[], name: string) =>
  documents
    .map((d) => JSON.parse(d) as Record<string, unknown>)
    .reduce(
      (n, d) =>
        n +
        // One document a minute carries the delivery's counts once, also when an error category
        // shares it (a delivery with errors of one category only).
        (typeof d[name] === 'number' && 'ResourceType' in d ? (d[name] as number) : 0),
      0,
    );

describe('createDeliveryProcessor', () => {
  const delivery = makeDelivery('/aws/sagemaker/TrainingJobs', 'job/algo-1-1764148442', LINES, NOW - 60_000);

  it('alerts first, then writes the metrics, counting the incident', async () => {
    const { process, order, written } = deps();
    const report = await process(delivery, NOW);
    expect(order[0]).toBe('publish');
    expect(order.slice(1).every((step) => step === 'emf')).toBe(true);
    expect(report.alerts.sent).toHaveLength(1);
    expect(report.duplicate).toBe(false);
    expect(report.emfDocuments).toBe(written.length);
    expect(sums(written, 'LogEvents')).toBe(LINES.length);
    expect(written.some((d) => (JSON.parse(d) as { Incidents?: number }).Incidents === 1)).toBe(true);
  });

  it('writes nothing and sends nothing the second time the same delivery arrives', async () => {
    const { deps: d, process, written } = deps();
    await process(delivery, NOW);
    const before = written.length;
    const again = await process(delivery, NOW);
    expect(again.duplicate).toBe(true);
    expect(again.emfDocuments).toBe(0);
    expect(written).toHaveLength(before);
    expect(again.alerts.duplicates).toHaveLength(1);
    expect(d.publish).toHaveBeenCalledTimes(1);
  });

  it('writes no metric when publishing fails, so the retry can', async () => {
    const { process, written } = deps({ publish: async (alerts) => alerts });
    await expect(process(delivery, NOW)).rejects.toThrow(/could not be published/);
    expect(written).toEqual([]);
  });

  it('never stamps an incident count outside the metric window', async () => {
    const old = makeDelivery(
      '/aws/sagemaker/TrainingJobs',
      'job/algo-1-1764148442',
      LINES,
      NOW - MAX_PAST_MS - 3_600_000,
    );
    const { process, written } = deps();
    const report = await process(old, NOW);
    expect(report.alerts.sent).toHaveLength(1);
    expect(report.processed.stats.outOfWindow).toBe(LINES.length);
    expect(written).toEqual([]);
  });

  it('describes the report for the closing log line', async () => {
    const { process } = deps();
    const described = describeReport(await process(delivery, NOW));
    expect(described).toMatchObject({
      incidents: { sent: 1, suppressed: 0, duplicate: 0 },
      duplicateDelivery: false,
      stats: { events: LINES.length, errors: expect.any(Number) },
      source: { resourceType: 'TrainingJob', resourceName: 'job' },
    });
  });
});

describe('toDeliveryKey', () => {
  it('depends on the stream and every event id, not on the messages', () => {
    const a = makeDelivery('/g', 's', ['x', 'y'], NOW);
    expect(toDeliveryKey(a)).toBe(
      toDeliveryKey({ ...a, logEvents: a.logEvents.map((e) => ({ ...e, message: 'other' })) }),
    );
    expect(toDeliveryKey(a)).not.toBe(toDeliveryKey({ ...a, logStream: 's2' }));
    expect(toDeliveryKey(a)).not.toBe(toDeliveryKey({ ...a, logEvents: a.logEvents.slice(1) }));
  });

  it('keeps the key of earlier versions: SHA-256 of group, stream and ids joined by newlines', () => {
    const a = makeDelivery('/g', 's', ['x', 'y'], NOW);
    const ids = a.logEvents.map((e) => e.id);
    const expected = createHash('sha256')
      .update(['/g', 's', ...ids].join('\n'))
      .digest('hex')
      .slice(0, 32);
    expect(toDeliveryKey(a)).toBe(expected);
  });
});
