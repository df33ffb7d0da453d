import { describe, expect, it } from 'vitest';
import {
  MAX_ABS_VALUE,
  MAX_DATUMS_PER_REQUEST,
  MAX_DIMENSIONS_PER_DATUM,
  MAX_REQUEST_BYTES,
  MAX_VALUES_PER_DATUM,
  toMetricDataRequests,
} from '../../../cli/metric-datums.ts';
import type { MetricBucket, MetricUnit } from '../../../lib/metrics/aggregate.ts';

const NOW = Date.UTC(2026, 10, 26, 12, 0);
const MINUTE = NOW - 60 * 60_000;

function bucket(
  dimensions: Record<string, string>,
  timestampMs: number,
  sums: Record<string, [MetricUnit, number]> = {},
  samples: Record<string, [MetricUnit, number[]]> = {},
): MetricBucket {
  return {
    dimensions,
    timestampMs,
    sums: new Map(Object.entries(sums).map(([name, [unit, value]]) => [name, { unit, value }])),
    samples: new Map(Object.entries(samples).map(([name, [unit, values]]) => [name, { unit, values }])),
  };
}

describe('toMetricDataRequests', () => {
  it('turns sums and samples into datums stamped with the bucket minute', () => {
    const plan = toMetricDataRequests(
      [
        bucket(
          { TrainingJobName: 'job', Host: 'job/algo-1' },
          MINUTE,
          { LogEvents: ['Count', 12] },
          { loss: ['None', [0.5, 0.25, 0.5]] },
        ),
      ],
      NOW,
    );
    expect(plan).toMatchObject({ datums: 2, skippedOutOfWindow: 0, skippedInvalid: 0 });
    expect(plan.requests).toEqual([
      [
        {
          MetricName: 'LogEvents',
          Dimensions: [
            { Name: 'TrainingJobName', Value: 'job' },
            { Name: 'Host', Value: 'job/algo-1' },
          ],
          Timestamp: new Date(MINUTE),
          Unit: 'Count',
          Values: [12],
          Counts: [1],
        },
        {
          MetricName: 'loss',
          Dimensions: [
            { Name: 'TrainingJobName', Value: 'job' },
            { Name: 'Host', Value: 'job/algo-1' },
          ],
          Timestamp: new Date(MINUTE),
          Unit: 'None',
          Values: [0.5, 0.25],
          Counts: [2, 1],
        },
      ],
    ]);
  });

  it("keeps each delivery's sum as one sample of the minute, as EMF documents would", () => {
    const dims = { ResourceType: 'TrainingJob' };
    const plan = toMetricDataRequests(
      [
        bucket(dims, MINUTE, { LogEvents: ['Count', 3] }),
        bucket(dims, MINUTE, { LogEvents: ['Count', 5] }),
        bucket(dims, MINUTE, { LogEvents: ['Count', 3] }),
        bucket(dims, MINUTE + 60_000, { LogEvents: ['Count', 1] }),
      ],
      NOW,
    );
    const datums = plan.requests.flat();
    expect(datums.map((d) => [d.Timestamp.getTime(), d.Values, d.Counts])).toEqual([
      [MINUTE, [3, 5], [2, 1]],
      [MINUTE + 60_000, [1], [1]],
    ]);
  });

  it('splits a series with more distinct values than a datum holds', () => {
    const values = Array.from({ length: MAX_VALUES_PER_DATUM * 2 + 1 }, (_, i) => i);
    const datums = toMetricDataRequests(
      [bucket({ R: 'x' }, MINUTE, {}, { latency: ['Milliseconds', values] })],
      NOW,
    ).requests.flat();
    expect(datums.map((d) => d.Values.length)).toEqual([MAX_VALUES_PER_DATUM, MAX_VALUES_PER_DATUM, 1]);
    expect(datums.flatMap((d) => d.Values)).toEqual(values);
  });

  it('skips minutes CloudWatch would refuse, counting their values', () => {
    const old = NOW - 15 * 24 * 3_600_000;
    const ahead = NOW + 3 * 3_600_000;
    const plan = toMetricDataRequests(
      [
        bucket(
          { R: 'x' },
          old,
          { LogEvents: ['Count', 1], LogBytes: ['Bytes', 9] },
          { loss: ['None', [1, 2]] },
        ),
        bucket({ R: 'x' }, ahead, { LogEvents: ['Count', 1] }),
      ],
      NOW,
    );
    expect(plan).toEqual({ requests: [], datums: 0, skippedOutOfWindow: 5, skippedInvalid: 0 });
  });

  it('skips values CloudWatch cannot store', () => {
    const plan = toMetricDataRequests(
      [bucket({ R: 'x' }, MINUTE, {}, { loss: ['None', [Number.NaN, MAX_ABS_VALUE * 2, 1]] })],
      NOW,
    );
    expect(plan.skippedInvalid).toBe(2);
    expect(plan.requests.flat().map((d) => d.Values)).toEqual([[1]]);
    const none = toMetricDataRequests(
      [bucket({ R: 'x' }, MINUTE, {}, { loss: ['None', [Number.POSITIVE_INFINITY]] })],
      NOW,
    );
    expect(none.datums).toBe(0);
  });

  it('keeps at most 30 dimensions per datum', () => {
    const dims = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`D${i}`, 'v']));
    const [datum] = toMetricDataRequests(
      [bucket(dims, MINUTE, { LogEvents: ['Count', 1] })],
      NOW,
    ).requests.flat();
    expect(datum?.Dimensions).toHaveLength(MAX_DIMENSIONS_PER_DATUM);
  });

  it('puts at most 1,000 datums in a request', () => {
    const buckets = Array.from({ length: 2001 }, (_, i) =>
      bucket({ R: `r${i}` }, MINUTE, { LogEvents: ['Count', 1] }),
    );
    const plan = toMetricDataRequests(buckets, NOW);
    expect(plan.requests.map((request) => request.length)).toEqual([
      MAX_DATUMS_PER_REQUEST,
      MAX_DATUMS_PER_REQUEST,
      1,
    ]);
  });

  it('keeps each request well under 1 MB on the wire', () => {
    const long = 'x'.repeat(1024);
    const buckets = Array.from({ length: 200 }, (_, i) =>
      bucket(
        { A: `${long}${i}`, B: long, C: long },
        MINUTE,
        {},
        { latency: ['Milliseconds', Array.from({ length: 150 }, (_, v) => v + i / 1000 + 0.123456789)] },
      ),
    );
    const plan = toMetricDataRequests(buckets, NOW);
    expect(plan.requests.length).toBeGreaterThan(1);
    for (const request of plan.requests) {
      expect(request.length).toBeLessThan(MAX_DATUMS_PER_REQUEST);
      const wire = JSON.stringify({
        Namespace: 'SageMaker/Logs',
        MetricData: request.map((d) => ({ ...d, Timestamp: d.Timestamp.getTime() / 1000 })),
      });
      expect(Buffer.byteLength(wire)).toBeLessThan(MAX_REQUEST_BYTES);
    }
    expect(plan.requests.flat()).toHaveLength(200);
  });
});
