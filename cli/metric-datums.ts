/**
 * Backfill with PutMetricData: the metric buckets of a replay as CloudWatch metric data, split
 * within PutMetricData's limits. Every EMF document value (a minute's sum from one delivery, or one
 * sample) becomes one value with a count, so CloudWatch ends with the same Sum, SampleCount,
 * Minimum and Maximum as it would from the processor's EMF documents.
 */
import type { MetricBucket, MetricUnit } from '../lib/metrics/aggregate.ts';
import { MAX_FUTURE_MS, MAX_PAST_MS } from '../lib/metrics/emf.ts';

/** PutMetricData: at most 1,000 metrics (datums) per request. */
export const MAX_DATUMS_PER_REQUEST = 1000;
/** PutMetricData: at most 150 distinct values (with their counts) per datum. */
export const MAX_VALUES_PER_DATUM = 150;
/** PutMetricData: at most 30 dimensions per metric. */
export const MAX_DIMENSIONS_PER_DATUM = 30;
/** PutMetricData: a request body is at most 1 MB. */
export const MAX_REQUEST_BYTES = 1_000_000;
/** Room kept in each request for the envelope and for the estimate's error. */
const REQUEST_OVERHEAD_BYTES = 64 * 1024;
/** PutMetricData: values must lie within ±2^360. */
export const MAX_ABS_VALUE = 2 ** 360;

/** One datum, shaped like the SDK's `MetricDatum` (which the adapter sends as is). */
export interface MetricDatumInput {
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
  Timestamp: Date;
  Unit: MetricUnit;
  Values: number[];
  Counts: number[];
}

/** The datums of a backfill, in requests, and what was left out. */
export interface MetricDataPlan {
  requests: MetricDatumInput[][];
  datums: number;
  /** Values whose minute is outside what CloudWatch accepts now (older than 14 days, or ahead). */
  skippedOutOfWindow: number;
  /** Values CloudWatch cannot store (beyond ±2^360). */
  skippedInvalid: number;
}

interface Series {
  name: string;
  unit: MetricUnit;
  dimensions: { Name: string; Value: string }[];
  timestampMs: number;
  /** Distinct value → how many times it occurred, in first-seen order. */
  counts: Map<number, number>;
}

/** Approximate JSON size of a datum on the wire; the overhead above absorbs the error. */
function estimateBytes(datum: MetricDatumInput): number {
  let bytes = 120 + datum.MetricName.length + datum.Unit.length;
  for (const { Name, Value } of datum.Dimensions) bytes += 24 + Name.length * 3 + Value.length * 3;
  // Each value and count as JSON numbers with their separators; 24 covers any double.
  bytes += datum.Values.length * 26 + datum.Counts.length * 8;
  return bytes;
}

/**
 * Converts buckets to datums and splits them into PutMetricData requests: at most
 * {@link MAX_VALUES_PER_DATUM} values per datum, {@link MAX_DATUMS_PER_REQUEST} datums and about
 * {@link MAX_REQUEST_BYTES} per request. Buckets outside CloudWatch's window seen from `nowMs`
 * are skipped and counted.
 */
export function toMetricDataRequests(buckets: readonly MetricBucket[], nowMs: number): MetricDataPlan {
  const series = new Map<string, Series>();
  let skippedOutOfWindow = 0;
  let skippedInvalid = 0;

  const add = (bucket: MetricBucket, name: string, unit: MetricUnit, values: readonly number[]) => {
    const dimensions = Object.entries(bucket.dimensions)
      .slice(0, MAX_DIMENSIONS_PER_DATUM)
      .map(([Name, Value]) => ({ Name, Value }));
    const key = JSON.stringify([name, unit, bucket.timestampMs, dimensions]);
    let entry = series.get(key);
    if (!entry) {
      entry = { name, unit, dimensions, timestampMs: bucket.timestampMs, counts: new Map() };
      series.set(key, entry);
    }
    for (const value of values) {
      if (!Number.isFinite(value) || Math.abs(value) > MAX_ABS_VALUE) {
        skippedInvalid++;
        continue;
      }
      entry.counts.set(value, (entry.counts.get(value) ?? 0) + 1);
    }
  };

  for (const bucket of buckets) {
    const inWindow = bucket.timestampMs >= nowMs - MAX_PAST_MS && bucket.timestampMs <= nowMs + MAX_FUTURE_MS;
    if (!inWindow) {
      skippedOutOfWindow += bucket.sums.size;
      for (const { values } of bucket.samples.values()) skippedOutOfWindow += values.length;
      continue;
    }
    for (const [name, { unit, value }] of bucket.sums) add(bucket, name, unit, [value]);
    for (const [name, { unit, values }] of bucket.samples) add(bucket, name, unit, values);
  }

  const datums: MetricDatumInput[] = [];
  for (const entry of series.values()) {
    const pairs = [...entry.counts];
    for (let start = 0; start < pairs.length; start += MAX_VALUES_PER_DATUM) {
      const slice = pairs.slice(start, start + MAX_VALUES_PER_DATUM);
      datums.push({
        MetricName: entry.name,
        Dimensions: entry.dimensions,
        Timestamp: new Date(entry.timestampMs),
        Unit: entry.unit,
        Values: slice.map(([value]) => value),
        Counts: slice.map(([, count]) => count),
      });
    }
  }

  const requests: MetricDatumInput[][] = [];
  let current: MetricDatumInput[] = [];
  let bytes = 0;
  for (const datum of datums) {
    const size = estimateBytes(datum);
    if (
      current.length === MAX_DATUMS_PER_REQUEST ||
      (current.length > 0 && bytes + size > MAX_REQUEST_BYTES - REQUEST_OVERHEAD_BYTES)
    ) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push(datum);
    bytes += size;
  }
  if (current.length > 0) requests.push(current);
  return { requests, datums: datums.length, skippedOutOfWindow, skippedInvalid };
}
