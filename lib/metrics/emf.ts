import type { MetricBucket, MetricUnit } from './aggregate.ts';

/*
 * sagewatch writes EMF itself rather than through @aws-lambda-powertools/metrics (which the
 * handler still uses for the processor's own metrics) because the derived metrics need what
 * Powertools cannot express in one pass: a timestamp per document (each minute of log time, while
 * Powertools keeps one timestamp per instance), many dimension sets with different metrics each,
 * and no `service` dimension added to every set (it would make the metrics chart apart from
 * SageMaker's). Every limit of the EMF specification is enforced below as a named constant.
 */

/** EMF: at most 100 metric definitions per directive. */
export const MAX_METRICS_PER_DIRECTIVE = 100;
/** EMF: at most 30 dimension keys per dimension set. */
export const MAX_DIMENSIONS_PER_SET = 30;
/** EMF: at most 100 values in one metric's value array. */
export const MAX_VALUES_PER_METRIC = 100;
/**
 * EMF documents share CloudWatch Logs' event limit (1 MB today, 256 KB in older copies of the
 * specification); sagewatch keeps every document under the older, stricter figure.
 */
export const MAX_DOCUMENT_BYTES = 256 * 1024;
/** CloudWatch accepts data points at most 14 days old. */
export const MAX_PAST_MS = 14 * 24 * 60 * 60 * 1000;
/** CloudWatch accepts data points at most 2 hours in the future. */
export const MAX_FUTURE_MS = 2 * 60 * 60 * 1000;
/** Namespaces: 1–255 characters, not starting with `AWS/` (reserved) or `:`. */
export const NAMESPACE_PATTERN = /^(?!AWS\/)(?!:)[A-Za-z0-9 ._#:/-]{1,255}$/;

/** An EMF document, ready for `JSON.stringify`. */
export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: MetricUnit }>;
    }>;
  };
  [member: string]: unknown;
}

/** Whether `timestampMs` is inside the window CloudWatch accepts, seen from `nowMs`. */
export function isInMetricWindow(timestampMs: number, nowMs: number): boolean {
  return timestampMs >= nowMs - MAX_PAST_MS && timestampMs <= nowMs + MAX_FUTURE_MS;
}

interface Entry {
  name: string;
  unit: MetricUnit;
  value: number | number[];
}

/** Splits a bucket's metrics into entries whose value arrays hold at most {@link MAX_VALUES_PER_METRIC}. */
function toEntries(bucket: MetricBucket): Entry[][] {
  // Round 0 carries every sum and the first 100 samples of each metric; later rounds carry the rest.
  const rounds: Entry[][] = [[]];
  for (const [name, { unit, value }] of bucket.sums) (rounds[0] as Entry[]).push({ name, unit, value });
  for (const [name, { unit, values }] of bucket.samples) {
    for (let offset = 0, round = 0; offset < values.length; offset += MAX_VALUES_PER_METRIC, round++) {
      if (!rounds[round]) rounds[round] = [];
      (rounds[round] as Entry[]).push({
        name,
        unit,
        value: values.slice(offset, offset + MAX_VALUES_PER_METRIC),
      });
    }
  }
  return rounds;
}

function toDocument(
  namespace: string,
  bucket: MetricBucket,
  entries: Entry[],
  properties: Readonly<Record<string, string>>,
): EmfDocument {
  const dimensionNames = Object.keys(bucket.dimensions).slice(0, MAX_DIMENSIONS_PER_SET);
  const document: EmfDocument = {
    _aws: {
      Timestamp: bucket.timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [dimensionNames],
          Metrics: entries.map(({ name, unit }) => ({ Name: name, Unit: unit })),
        },
      ],
    },
    ...properties,
  };
  for (const name of dimensionNames) document[name] = bucket.dimensions[name];
  for (const { name, value } of entries) document[name] = value;
  return document;
}

/**
 * Serialises buckets into EMF documents: one per bucket (its minute, its dimension set), split
 * further wherever a limit would be crossed. `properties` are added to every document as plain
 * members (searchable in Logs Insights, not dimensions).
 *
 * @returns the documents, each already a JSON string of at most {@link MAX_DOCUMENT_BYTES}.
 */
export function toEmfDocuments(
  namespace: string,
  buckets: readonly MetricBucket[],
  properties: Readonly<Record<string, string>> = {},
): string[] {
  const out: string[] = [];
  for (const bucket of buckets) {
    for (const round of toEntries(bucket)) {
      for (let start = 0; start < round.length; start += MAX_METRICS_PER_DIRECTIVE) {
        pushWithinSize(
          out,
          namespace,
          bucket,
          round.slice(start, start + MAX_METRICS_PER_DIRECTIVE),
          properties,
        );
      }
    }
  }
  return out;
}

function pushWithinSize(
  out: string[],
  namespace: string,
  bucket: MetricBucket,
  entries: Entry[],
  properties: Readonly<Record<string, string>>,
): void {
  const json = JSON.stringify(toDocument(namespace, bucket, entries, properties));
  if (Buffer.byteLength(json) <= MAX_DOCUMENT_BYTES || entries.length === 1) {
    out.push(json);
    return;
  }
  const half = Math.ceil(entries.length / 2);
  pushWithinSize(out, namespace, bucket, entries.slice(0, half), properties);
  pushWithinSize(out, namespace, bucket, entries.slice(half), properties);
}
