/**
 * The EMF emitter as it was before documents carried several dimension sets (one document per
 * bucket, that is per dimension set and minute), kept as a test-only reference: the equivalence
 * test expands its documents and the current emitter's into data points and compares them.
 */
import type { MetricBucket, MetricUnit } from '../../lib/metrics/aggregate.ts';
import {
  type EmfDocument,
  MAX_DIMENSIONS_PER_SET,
  MAX_DOCUMENT_BYTES,
  MAX_METRICS_PER_DIRECTIVE,
  MAX_VALUES_PER_METRIC,
} from '../../lib/metrics/emf.ts';

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
export function toEmfDocumentsBefore(
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
