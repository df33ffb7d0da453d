import { describe, expect, it, vi } from 'vitest';
import { replayDeliveries, toReplayClock } from '../../../cli/replay.ts';
import type { DetectedIncident } from '../../../lib/incidents/index.ts';
import type { AlertToSend } from '../../../lib/processor/alerting.ts';
import { createDeliveryProcessor, toDeliveryKey } from '../../../lib/processor/delivery-processor.ts';
import { createMemorySuppressionStore } from '../../../lib/processor/suppression.ts';
import { makeDelivery } from '../../helpers/deliveries.ts';

const GROUP = '/aws/sagemaker/TrainingJobs';
const START = Date.now() - 30 * 60_000;
const OOM = 'RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB';

const config = {
  detail: 'host' as const,
  namespace: 'Test/Replay',
  suppressionWindowMs: 15 * 60_000,
  region: 'eu-west-1',
  metricDefinitions: [],
};
const options = { config };

describe('toReplayClock', () => {
  it("is the time of the delivery's latest event", () => {
    const delivery = makeDelivery(GROUP, 'job/algo-1-1764148443', ['a', 'b', 'c'], START);
    expect(toReplayClock(delivery)).toBe(START + 2000);
  });
});

describe('replayDeliveries', () => {
  it("gives exactly what the processor's pipeline gives for the same deliveries", async () => {
    const deliveries = [
      makeDelivery(GROUP, 'job/algo-1-1764148443', ['{"loss": 0.5}', OOM, 'step 2 loss=0.25'], START),
      makeDelivery(GROUP, 'job/algo-2-1764148443', [OOM, 'INFO all good'], START + 60_000),
    ];
    const published: AlertToSend<DetectedIncident>[][] = [];
    const result = await replayDeliveries(deliveries, {
      ...options,
      publish: async (alerts) => {
        published.push([...alerts]);
        return [];
      },
    });

    const emf: string[] = [];
    const direct = [];
    const processDelivery = createDeliveryProcessor(config, {
      store: createMemorySuppressionStore(),
      publish: async () => [],
      writeEmf: (document) => emf.push(document),
    });
    for (const delivery of deliveries) direct.push(await processDelivery(delivery, toReplayClock(delivery)));
    expect(result.emfDocuments).toEqual(emf);
    expect(result.emfDocuments.length).toBeGreaterThan(0);
    expect(result.reports.map((r) => r.alerts)).toEqual(direct.map((r) => r.alerts));
    // The same OOM on the second host, inside the window: counted, not sent again.
    expect(result.reports[0]?.alerts.sent).toHaveLength(1);
    expect(result.reports[0]?.alerts.sent[0]?.incident).toMatchObject({
      region: 'eu-west-1',
      accountId: '123456789012',
      consoleUrl: expect.stringContaining('eu-west-1.console.aws.amazon.com'),
    });
    expect(result.reports[1]?.alerts.suppressed).toHaveLength(1);
    expect(published).toEqual([result.reports[0]?.alerts.sent]);
    const buckets = result.buckets.filter((b) => b.sums.has('LogEvents'));
    expect(
      buckets.reduce((n, b) => n + (b.dimensions.Host ? (b.sums.get('LogEvents')?.value ?? 0) : 0), 0),
    ).toBe(5);
  });

  it('re-sends a fingerprint once the window has passed in log time', async () => {
    const deliveries = [
      makeDelivery(GROUP, 'job/algo-1-1764148443', [OOM], START - 3 * 3_600_000),
      makeDelivery(GROUP, 'job/algo-1-1764148443', ['ok', OOM], START),
    ];
    const result = await replayDeliveries(deliveries, { ...options, publish: async () => [] });
    expect(result.reports.map((r) => r.alerts.sent.length)).toEqual([1, 1]);
    expect(result.reports[1]?.alerts.sent[0]?.suppressedBefore).toBe(0);
  });

  it('reports progress and counts a repeated delivery once', async () => {
    const delivery = makeDelivery(GROUP, 'job/algo-1-1764148443', ['a', 'b'], START);
    const onProgress = vi.fn();
    const result = await replayDeliveries([delivery, delivery], {
      ...options,
      publish: async () => [],
      onProgress,
    });
    expect(onProgress.mock.calls).toEqual([[{ deliveries: 1, events: 2 }], [{ deliveries: 2, events: 4 }]]);
    expect(result.reports.map((r) => r.duplicate)).toEqual([false, true]);
    const once = await replayDeliveries([delivery], { ...options, publish: async () => [] });
    expect(result.buckets).toEqual(once.buckets);
    expect(result.emfDocuments).toEqual(once.emfDocuments);
  });

  it('uses the store it is given', async () => {
    const store = createMemorySuppressionStore();
    const delivery = makeDelivery(GROUP, 'job/algo-1-1764148443', ['a'], START);
    await store.claimDelivery(toDeliveryKey(delivery), START);
    const result = await replayDeliveries([delivery], { ...options, publish: async () => [], store });
    expect(result.reports[0]?.duplicate).toBe(true);
    expect(result.emfDocuments).toEqual([]);
  });

  it('rejects as the processor does when publishing fails', async () => {
    const deliveries = [makeDelivery(GROUP, 'job/algo-1-1764148443', [OOM], START)];
    await expect(
      replayDeliveries(deliveries, { ...options, publish: async (alerts) => alerts }),
    ).rejects.toThrow(/could not be published/);
  });
});
