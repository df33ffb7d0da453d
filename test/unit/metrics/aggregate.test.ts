import { describe, expect, it } from 'vitest';
import { isUsableMetricName, MetricAggregator, toMinute } from '../../../lib/metrics/aggregate.ts';
import { DIMENSION_NAMES, planDimensions } from '../../../lib/metrics/dimensions.ts';
import type { Classification, LogSource } from '../../../lib/types.ts';

const source: LogSource = {
  resourceType: 'Endpoint',
  resourceName: 'ep',
  variantName: 'AllTraffic',
  host: 'ep/AllTraffic/i-1',
  logGroup: '/aws/sagemaker/Endpoints/ep',
  logStream: 'AllTraffic/i-1',
};
const info: Classification = { severity: 'info', category: 'none' };
const T0 = Date.UTC(2026, 10, 26, 9, 30, 0);

function sums(aggregator: MetricAggregator, dimensions: Record<string, string>, minute = T0) {
  const bucket = aggregator
    .buckets()
    .find((b) => b.timestampMs === minute && JSON.stringify(b.dimensions) === JSON.stringify(dimensions));
  return bucket ? Object.fromEntries([...bucket.sums].map(([k, v]) => [k, v.value])) : undefined;
}

describe('MetricAggregator', () => {
  it('counts every event once per dimension set, in the minute of the event', () => {
    const aggregator = new MetricAggregator(planDimensions(source, 'host'), DIMENSION_NAMES);
    aggregator.addEvent(T0 + 1_000, 10, info);
    aggregator.addEvent(T0 + 59_999, 5, { severity: 'error', category: 'worker_died' });
    aggregator.addEvent(T0 + 60_000, 7, { severity: 'warning', category: 'throttling' });
    expect(sums(aggregator, { EndpointName: 'ep', VariantName: 'AllTraffic' })).toEqual({
      LogEvents: 2,
      LogBytes: 15,
      ErrorEvents: 1,
      WarningEvents: 0,
    });
    expect(sums(aggregator, { EndpointName: 'ep', VariantName: 'AllTraffic' }, T0 + 60_000)).toMatchObject({
      LogEvents: 1,
      WarningEvents: 1,
    });
    expect(sums(aggregator, { ResourceType: 'Endpoint' })?.LogEvents).toBe(2);
    expect(
      sums(aggregator, { EndpointName: 'ep', VariantName: 'AllTraffic', Host: 'ep/AllTraffic/i-1' })
        ?.LogEvents,
    ).toBe(2);
  });

  it('splits ErrorEvents by ErrorCategory at the resource and rollup levels only', () => {
    const aggregator = new MetricAggregator(planDimensions(source, 'host'), DIMENSION_NAMES);
    aggregator.addEvent(T0, 1, { severity: 'error', category: 'worker_died' });
    aggregator.addEvent(T0, 1, { severity: 'error', category: 'worker_died' });
    aggregator.addEvent(T0, 1, { severity: 'error', category: 'timeout' });
    expect(
      sums(aggregator, { EndpointName: 'ep', VariantName: 'AllTraffic', ErrorCategory: 'worker_died' }),
    ).toEqual({
      ErrorEvents: 2,
    });
    expect(sums(aggregator, { ResourceType: 'Endpoint', ErrorCategory: 'timeout' })).toEqual({
      ErrorEvents: 1,
    });
    const hostCategory = aggregator
      .buckets()
      .filter((b) => 'Host' in b.dimensions && 'ErrorCategory' in b.dimensions);
    expect(hostCategory).toEqual([]);
  });

  it('counts requests, 4xx and 5xx, and samples latency only when present and finite', () => {
    const aggregator = new MetricAggregator(planDimensions(source, 'resource'), DIMENSION_NAMES);
    aggregator.addEvent(T0, 1, { ...info, http: { status: 200, latencyMs: 12 } });
    aggregator.addEvent(T0, 1, { ...info, http: { status: 404 } });
    aggregator.addEvent(T0, 1, {
      severity: 'error',
      category: 'invocation_error',
      http: { status: 503, latencyMs: 30 },
    });
    aggregator.addEvent(T0, 1, { ...info, http: { status: 200, latencyMs: Number.NaN } });
    expect(sums(aggregator, { EndpointName: 'ep', VariantName: 'AllTraffic' })).toMatchObject({
      ContainerRequests: 4,
      ContainerHttp4XX: 1,
      ContainerHttp5XX: 1,
    });
    const bucket = aggregator
      .buckets()
      .find((b) => 'EndpointName' in b.dimensions && !('ErrorCategory' in b.dimensions));
    expect(bucket?.samples.get('ContainerRequestLatency')).toEqual({
      unit: 'Milliseconds',
      values: [12, 30],
    });
  });

  it('samples training metrics at the finest set, skipping NaN and reserved names', () => {
    const aggregator = new MetricAggregator(planDimensions(source, 'host'), DIMENSION_NAMES);
    aggregator.addEvent(T0, 1, { ...info, metrics: { loss: 0.5, 'eval-acc': 0.9, LogEvents: 3, Host: 1 } });
    aggregator.addEvent(T0, 1, { severity: 'error', category: 'nan_loss', metrics: { loss: Number.NaN } });
    aggregator.addEvent(T0, 1, { ...info, metrics: { loss: 0.4 } });
    const finest = aggregator.buckets().find((b) => 'Host' in b.dimensions);
    expect(Object.fromEntries([...(finest?.samples ?? [])].map(([k, v]) => [k, v.values]))).toEqual({
      loss: [0.5, 0.4],
      'eval-acc': [0.9],
    });
  });

  it('keeps each minute apart when events go back and forth between minutes', () => {
    const aggregator = new MetricAggregator(planDimensions(source, 'host'), DIMENSION_NAMES);
    const metrics = { loss: 0.5 };
    aggregator.addEvent(T0 + 60_000, 1, { ...info, metrics });
    aggregator.addEvent(T0, 2, { severity: 'error', category: 'timeout' });
    aggregator.addEvent(T0 + 60_000, 4, { ...info, metrics, http: { status: 200 } });
    aggregator.addEvent(T0, 8, { severity: 'warning', category: 'none' });
    const resource = { EndpointName: 'ep', VariantName: 'AllTraffic' };
    expect(sums(aggregator, resource)).toEqual({
      LogEvents: 2,
      LogBytes: 10,
      ErrorEvents: 1,
      WarningEvents: 1,
    });
    // The sums are listed in the order they were first added to.
    expect(sums(aggregator, resource, T0 + 60_000)).toEqual({
      LogEvents: 2,
      LogBytes: 5,
      ErrorEvents: 0,
      WarningEvents: 0,
      ContainerRequests: 1,
      ContainerHttp4XX: 0,
      ContainerHttp5XX: 0,
    });
    const finest = aggregator.buckets().find((b) => b.timestampMs === T0 + 60_000 && b.dimensions.Host);
    expect(finest?.samples.get('loss')?.values).toEqual([0.5, 0.5]);
    // Errors by category, in each minute they happened.
    aggregator.addEvent(T0 + 60_000, 1, { severity: 'error', category: 'timeout' });
    aggregator.addEvent(T0, 1, { severity: 'error', category: 'timeout' });
    const timeouts = { ...resource, ErrorCategory: 'timeout' };
    expect(sums(aggregator, timeouts)).toEqual({ ErrorEvents: 2 });
    expect(sums(aggregator, timeouts, T0 + 60_000)).toEqual({ ErrorEvents: 1 });
  });

  it('samples training metrics in a finest set of their own when the plan lists it apart', () => {
    const plan = planDimensions(source, 'resource');
    const finest = { ...plan.resource, Host: 'ep/AllTraffic/i-1' };
    const aggregator = new MetricAggregator({ ...plan, finest }, DIMENSION_NAMES);
    aggregator.addEvent(T0, 3, { ...info, metrics: { loss: 0.5 } });
    const bucket = aggregator.buckets().find((b) => b.dimensions.Host);
    expect(bucket?.samples.get('loss')?.values).toEqual([0.5]);
    expect(bucket?.sums.size).toBe(0);
  });

  it('adds per-resource counts such as Incidents', () => {
    const aggregator = new MetricAggregator(planDimensions(source, 'host'), DIMENSION_NAMES);
    aggregator.addResourceCount('Incidents', T0 + 5, 2);
    aggregator.addResourceCount('Incidents', T0 + 6, 1);
    expect(sums(aggregator, { EndpointName: 'ep', VariantName: 'AllTraffic' })).toEqual({ Incidents: 3 });
  });

  it('returns buckets oldest first', () => {
    const aggregator = new MetricAggregator(planDimensions(source, 'resource'), DIMENSION_NAMES);
    aggregator.addEvent(T0 + 120_000, 1, info);
    aggregator.addEvent(T0, 1, info);
    const minutes = aggregator.buckets().map((b) => b.timestampMs);
    expect(minutes).toEqual([...minutes].sort((a, b) => a - b));
  });
});

describe('helpers', () => {
  it('toMinute floors to the minute', () => {
    expect(toMinute(T0 + 59_999)).toBe(T0);
  });
  it('isUsableMetricName rejects empty, long, reserved and _aws names', () => {
    expect(isUsableMetricName('loss', DIMENSION_NAMES)).toBe(true);
    expect(isUsableMetricName('', DIMENSION_NAMES)).toBe(false);
    expect(isUsableMetricName('x'.repeat(256), DIMENSION_NAMES)).toBe(false);
    expect(isUsableMetricName('_aws', DIMENSION_NAMES)).toBe(false);
    expect(isUsableMetricName('ErrorEvents', DIMENSION_NAMES)).toBe(false);
    expect(isUsableMetricName('EndpointName', DIMENSION_NAMES)).toBe(false);
  });
});
