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
/**
 * EMF: at most 100 values in one metric's value array, and at most 100 distinct values (with their
 * counts) in one {@link EmfHistogram}.
 */
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

/** The plain members sagewatch sets on every document of a delivery: where its events came from. */
export const DocumentProperties = { logStream: 'LogStream' } as const;

/**
 * Root members of a document that a metric must not be named after: the EMF metadata `_aws`, the
 * {@link DocumentProperties}, and `__proto__` (which a JavaScript reader of the document would
 * take for the object's prototype). Dimension names are the other root members.
 */
export const RESERVED_ROOT_NAMES: ReadonlySet<string> = new Set([
  '_aws',
  ...Object.values(DocumentProperties),
  '__proto__',
]);

/** An EMF document, ready for `JSON.stringify`. */
export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit?: MetricUnit }>;
    }>;
  };
  [member: string]: unknown;
}

/** Whether `timestampMs` is inside the window CloudWatch accepts, seen from `nowMs`. */
export function isInMetricWindow(timestampMs: number, nowMs: number): boolean {
  return timestampMs >= nowMs - MAX_PAST_MS && timestampMs <= nowMs + MAX_FUTURE_MS;
}

/**
 * A metric's values in one minute as distinct values and how often each occurred, with their
 * statistic set: the value shape AWS's own EMF writers use for histograms (aws-embedded-metrics-java
 * `Histogram`, the OpenTelemetry `awsemf` exporter), read by CloudWatch like PutMetricData's
 * `Values`/`Counts`. sagewatch writes the exact values, never buckets, so every statistic
 * (Sum, SampleCount, Minimum, Maximum, percentiles) is what the plain array gives.
 */
export interface EmfHistogram {
  Values: number[];
  Counts: number[];
  Max: number;
  Min: number;
  Count: number;
  Sum: number;
}

/** A metric's value in a document: one number, an array of values, or a histogram of them. */
export type EmfValue = number | number[] | EmfHistogram;

/** Options of {@link toEmfDocuments}. */
export interface EmfOptions {
  /**
   * Write values that repeat once each with their counts ({@link EmfHistogram}) where that is
   * shorter (default `true`); `false`: plain value arrays only (`EMF_VALUE_COUNTS=false`).
   */
  valueCounts?: boolean;
}

interface Entry {
  name: string;
  unit: MetricUnit;
  value: EmfValue;
}

/** A histogram of `values` (distinct, ascending) and their `counts`, which it keeps. */
function histogram(values: number[], counts: number[]): EmfHistogram {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    sum += (values[i] as number) * (counts[i] as number);
    count += counts[i] as number;
  }
  return {
    Values: values,
    Counts: counts,
    Max: values[values.length - 1] as number,
    Min: values[0] as number,
    Count: count,
    Sum: sum,
  };
}

/**
 * A sampled metric's values as the chunks its rounds carry: histograms of at most
 * {@link MAX_VALUES_PER_METRIC} distinct values where values repeat enough for that to be shorter,
 * otherwise plain arrays of at most {@link MAX_VALUES_PER_METRIC} values.
 */
function toChunks(values: readonly number[], valueCounts: boolean): EmfValue[] {
  const plain = (): number[][] => {
    const chunks: number[][] = [];
    for (let offset = 0; offset < values.length; offset += MAX_VALUES_PER_METRIC) {
      chunks.push(values.slice(offset, offset + MAX_VALUES_PER_METRIC));
    }
    return chunks;
  };
  if (!valueCounts) return plain();
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  if (counts.size === values.length) return plain();
  const distinct = [...counts.keys()].sort((a, b) => a - b);
  const histograms: EmfHistogram[] = [];
  // Characters each shape takes, from the distinct values alone: a plain array writes a value and
  // a comma each time it occurs; a histogram writes it once, with its count, plus its statistic set.
  let plainChars = 0;
  let histogramChars = 0;
  for (let offset = 0; offset < distinct.length; offset += MAX_VALUES_PER_METRIC) {
    const chunk = distinct.slice(offset, offset + MAX_VALUES_PER_METRIC);
    const chunkCounts = chunk.map((value) => counts.get(value) as number);
    const built = histogram(chunk, chunkCounts);
    histograms.push(built);
    chunk.forEach((value, i) => {
      const width = JSON.stringify(value).length + 1;
      plainChars += width * (chunkCounts[i] as number);
      histogramChars += width + String(chunkCounts[i]).length + 1;
    });
    histogramChars +=
      HISTOGRAM_KEYS_CHARS + JSON.stringify([built.Max, built.Min, built.Count, built.Sum]).length;
  }
  // A sum past the largest double would be written as null: such values stay a plain array.
  const finite = histograms.every((h) => Number.isFinite(h.Sum));
  return finite && histogramChars < plainChars ? histograms : plain();
}

/** The characters of a histogram's member names and punctuation, besides its numbers. */
const HISTOGRAM_KEYS_CHARS = '{"Values":[],"Counts":[],"Max":,"Min":,"Count":,"Sum":}'.length;

/**
 * Splits a bucket's metrics into rounds whose values fit EMF's limit of
 * {@link MAX_VALUES_PER_METRIC} per metric, leaving out metrics named after a root member (`taken`).
 */
function toEntries(bucket: MetricBucket, taken: ReadonlySet<string>, valueCounts: boolean): Entry[][] {
  // Round 0 carries every sum and the first chunk of each sampled metric; later rounds the rest.
  const rounds: Entry[][] = [[]];
  for (const [name, { unit, value }] of bucket.sums) {
    if (!taken.has(name)) (rounds[0] as Entry[]).push({ name, unit, value });
  }
  for (const [name, { unit, values }] of bucket.samples) {
    if (taken.has(name)) continue;
    toChunks(values, valueCounts).forEach((value, round) => {
      if (!rounds[round]) rounds[round] = [];
      (rounds[round] as Entry[]).push({ name, unit, value });
    });
  }
  return rounds;
}

/** One directive: metrics that hold the same values under every one of its dimension sets. */
interface Directive {
  sets: MetricBucket['dimensions'][];
  entries: Entry[];
}

/** A document being filled: its minute, its root members (dimension and metric values), its directives. */
interface Draft {
  timestampMs: number;
  /** Root member name → its value as JSON, to tell whether another directive may share the document. */
  members: Map<string, string>;
  directives: Directive[];
}

function dimensionNames(dimensions: MetricBucket['dimensions']): string[] {
  return Object.keys(dimensions).slice(0, MAX_DIMENSIONS_PER_SET);
}

/**
 * Whether a directive can join the draft (and if so, records its root members in it): not when one
 * of its members is already there with another value, since an EMF document has one value per
 * member name, which every directive that names it reads.
 */
function fits(draft: Draft, directive: Directive): boolean {
  const wanted = new Map<string, string>();
  for (const set of directive.sets) {
    for (const name of dimensionNames(set)) wanted.set(name, JSON.stringify(set[name]));
  }
  for (const { name, value } of directive.entries) wanted.set(name, JSON.stringify(value));
  for (const [name, json] of wanted) {
    const present = draft.members.get(name);
    if (present !== undefined && present !== json) return false;
  }
  for (const [name, json] of wanted) draft.members.set(name, json);
  return true;
}

/** Buckets whose dimension values agree, and those values by name. */
interface BucketGroup {
  values: Record<string, string>;
  buckets: number[];
}

/** Whether `dimensions` names no dimension that `values` holds with another value. */
function agrees(values: Readonly<Record<string, string>>, dimensions: MetricBucket['dimensions']): boolean {
  for (const name in dimensions) {
    const present = values[name];
    if (present !== undefined && present !== dimensions[name]) return false;
  }
  return true;
}

/**
 * Groups one minute's buckets into directives: a metric that holds the same value under several
 * dimension sets (one delivery is one log stream, so the resource, variant and host sets count
 * the same events) is written once, under all of them.
 */
function toDirectives(
  buckets: readonly MetricBucket[],
  taken: ReadonlySet<string>,
  valueCounts: boolean,
): Map<number, Directive[]> {
  const byRound = new Map<number, Directive[]>();
  // Per round: metric (name, unit, value) → the buckets holding it, in bucket order, in groups
  // whose dimension values agree (two `ErrorCategory` sets with the same count are two series).
  const holders = new Map<string, { round: number; entry: Entry; groups: BucketGroup[] }>();
  buckets.forEach((bucket, index) => {
    toEntries(bucket, taken, valueCounts).forEach((entries, round) => {
      for (const entry of entries) {
        const key = JSON.stringify([round, entry.name, entry.unit, entry.value]);
        let holder = holders.get(key);
        if (!holder) {
          holder = { round, entry, groups: [] };
          holders.set(key, holder);
        }
        const group = holder.groups.find((candidate) => agrees(candidate.values, bucket.dimensions));
        if (group) {
          group.buckets.push(index);
          Object.assign(group.values, bucket.dimensions);
        } else {
          holder.groups.push({ values: { ...bucket.dimensions }, buckets: [index] });
        }
      }
    });
  });
  // Metrics held by the same buckets share a directive.
  const directives = new Map<string, Directive & { round: number }>();
  for (const { round, entry, groups } of holders.values()) {
    for (const { buckets: indexes } of groups) {
      const key = `${round}|${indexes.join(',')}`;
      let directive = directives.get(key);
      if (!directive) {
        directive = { round, sets: indexes.map((i) => (buckets[i] as MetricBucket).dimensions), entries: [] };
        directives.set(key, directive);
      }
      directive.entries.push(entry);
    }
  }
  for (const { round, sets, entries } of directives.values()) {
    // At most 100 metrics per directive.
    for (let start = 0; start < entries.length; start += MAX_METRICS_PER_DIRECTIVE) {
      const list = byRound.get(round) ?? [];
      list.push({ sets, entries: entries.slice(start, start + MAX_METRICS_PER_DIRECTIVE) });
      byRound.set(round, list);
    }
  }
  return byRound;
}

function toDocument(
  namespace: string,
  timestampMs: number,
  directives: readonly Directive[],
  properties: Readonly<Record<string, string>>,
): EmfDocument {
  // No prototype: a member named after an Object.prototype property is a member like any other.
  const document = Object.create(null) as EmfDocument;
  document._aws = {
    Timestamp: timestampMs,
    CloudWatchMetrics: directives.map(({ sets, entries }) => ({
      Namespace: namespace,
      Dimensions: sets.map(dimensionNames),
      // `None` is EMF's default unit: left out, it reads the same and saves 14 bytes a metric.
      Metrics: entries.map(({ name, unit }) =>
        unit === 'None' ? { Name: name } : { Name: name, Unit: unit },
      ),
    })),
  };
  for (const [name, value] of Object.entries(properties)) document[name] = value;
  for (const { sets, entries } of directives) {
    for (const set of sets) for (const name of dimensionNames(set)) document[name] = set[name];
    for (const { name, value } of entries) document[name] = value;
  }
  return document;
}

/**
 * Serialises buckets into EMF documents. Per minute, a metric whose value is the same under
 * several dimension sets is written once, in a directive that lists them all, and directives
 * share a document wherever their members agree; so a minute of one delivery without errors is
 * one document. Documents split only where values differ (`ErrorEvents` per `ErrorCategory`
 * beside the total), where a metric holds more than 100 distinct values (or more than 100 values
 * that rarely repeat, written as a plain array), and where a limit would be crossed. Values that
 * repeat are written once each with their counts ({@link EmfHistogram}).
 * `properties` are added to every document as plain members (searchable in Logs Insights, not
 * dimensions).
 *
 * @returns the documents, each already a JSON string of at most {@link MAX_DOCUMENT_BYTES}.
 */
export function toEmfDocuments(
  namespace: string,
  buckets: readonly MetricBucket[],
  properties: Readonly<Record<string, string>> = {},
  options: EmfOptions = {},
): string[] {
  const valueCounts = options.valueCounts ?? true;
  const minutes = new Map<number, MetricBucket[]>();
  for (const bucket of buckets) {
    const list = minutes.get(bucket.timestampMs) ?? [];
    list.push(bucket);
    minutes.set(bucket.timestampMs, list);
  }
  const out: string[] = [];
  for (const timestampMs of [...minutes.keys()].sort((a, b) => a - b)) {
    const inMinute = minutes.get(timestampMs) as MetricBucket[];
    // Metric names come from log text: one that names a member the document holds itself (`_aws`,
    // a property, a dimension) is left out rather than allowed to overwrite it. The aggregator
    // never hands one over; this keeps every document valid whatever a caller passes.
    const taken = new Set([...RESERVED_ROOT_NAMES, ...Object.keys(properties)]);
    for (const bucket of inMinute) for (const name of dimensionNames(bucket.dimensions)) taken.add(name);
    for (const directives of toDirectives(inMinute, taken, valueCounts).values()) {
      const drafts: Draft[] = [];
      for (const directive of directives) {
        let draft = drafts.find((candidate) => fits(candidate, directive));
        if (!draft) {
          draft = { timestampMs, members: new Map(), directives: [] };
          fits(draft, directive);
          drafts.push(draft);
        }
        draft.directives.push(directive);
      }
      for (const draft of drafts) pushWithinSize(out, namespace, timestampMs, draft.directives, properties);
    }
  }
  return out;
}

function pushWithinSize(
  out: string[],
  namespace: string,
  timestampMs: number,
  directives: readonly Directive[],
  properties: Readonly<Record<string, string>>,
): void {
  const json = JSON.stringify(toDocument(namespace, timestampMs, directives, properties));
  const only = directives[0] as Directive;
  if (
    Buffer.byteLength(json) <= MAX_DOCUMENT_BYTES ||
    (directives.length === 1 && only.entries.length === 1)
  ) {
    out.push(json);
    return;
  }
  if (directives.length > 1) {
    const half = Math.ceil(directives.length / 2);
    pushWithinSize(out, namespace, timestampMs, directives.slice(0, half), properties);
    pushWithinSize(out, namespace, timestampMs, directives.slice(half), properties);
    return;
  }
  const half = Math.ceil(only.entries.length / 2);
  pushWithinSize(
    out,
    namespace,
    timestampMs,
    [{ sets: only.sets, entries: only.entries.slice(0, half) }],
    properties,
  );
  pushWithinSize(
    out,
    namespace,
    timestampMs,
    [{ sets: only.sets, entries: only.entries.slice(half) }],
    properties,
  );
}
