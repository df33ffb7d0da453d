import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../../lib/classify/index.ts';
import { MAX_FUTURE_MS } from '../../../lib/metrics/emf.ts';
import { processDelivery } from '../../../lib/processor/process-delivery.ts';
import { makeDelivery } from '../../helpers/deliveries.ts';

const NOW = Date.UTC(2026, 10, 26, 10, 0, 0);

describe('processDelivery', () => {
  it('parses the source once and counts events, bytes, errors, warnings, requests and metrics', () => {
    const delivery = makeDelivery(
      '/aws/sagemaker/Endpoints/ep',
      'AllTraffic/i-0123456789abcdef0',
      [
        '2022-04-18 00:25:37,507 [INFO ] W-9003-model_1 ACCESS_LOG - /169.254.255.130:34664 "POST /invocations HTTP/1.1" 200 19',
        '2022-04-18 00:25:38,507 [INFO ] W-9003-model_1 ACCESS_LOG - /169.254.255.130:34664 "POST /invocations HTTP/1.1" 500 21',
        'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
        "{'loss': 0.5, 'epoch': 1.0}",
        "{'loss': 0.4, 'epoch': 2.0}",
        'é',
      ],
      NOW - 60_000,
    );
    const { source, classified, stats, metrics } = processDelivery(delivery, {
      classify: classifyMessage,
      detail: 'host',
      nowMs: NOW,
    });
    expect(source).toMatchObject({ resourceType: 'Endpoint', resourceName: 'ep', variantName: 'AllTraffic' });
    expect(classified.map((c) => c.event)).toEqual(delivery.logEvents);
    expect(stats).toMatchObject({
      events: 6,
      outOfWindow: 0,
      httpStatus: { '200': 1, '500': 1 },
      trainingMetrics: { loss: { count: 2, last: 0.4 }, epoch: { count: 2, last: 2 } },
    });
    expect(stats.errorsByCategory.cuda_oom).toBe(1);
    expect(stats.errors).toBe(Object.values(stats.errorsByCategory).reduce((a, b) => a + b, 0));
    // UTF-8 bytes, not characters: 'é' is two.
    expect(stats.bytes).toBe(delivery.logEvents.reduce((n, e) => n + Buffer.byteLength(e.message), 0));
    expect(metrics.buckets().length).toBeGreaterThan(0);
  });

  it('counts warnings', () => {
    const delivery = makeDelivery(
      '/aws/sagemaker/TrainingJobs',
      'j/algo-1-1764148442',
      ['WARNING:root:something odd happened'],
      NOW - 60_000,
    );
    const { stats } = processDelivery(delivery, { classify: classifyMessage, detail: 'host', nowMs: NOW });
    expect(stats.warnings).toBe(1);
  });

  it('classifies events outside the metric window but keeps them out of the metrics', () => {
    const delivery = makeDelivery(
      '/aws/sagemaker/TrainingJobs',
      'j/algo-1-1764148442',
      ['a', 'b'],
      NOW + MAX_FUTURE_MS + 60_000,
    );
    const { classified, stats, metrics } = processDelivery(delivery, {
      classify: classifyMessage,
      detail: 'host',
      nowMs: NOW,
    });
    expect(classified).toHaveLength(2);
    expect(stats.outOfWindow).toBe(2);
    expect(metrics.buckets()).toEqual([]);
  });
});
