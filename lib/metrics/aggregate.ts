import type { Category, Classification } from '../types.ts';
import { type DimensionPlan, type Dimensions, dimensionsKey } from './dimensions.ts';
import { RESERVED_ROOT_NAMES } from './emf.ts';

/** CloudWatch units sagewatch uses. */
export type MetricUnit = 'Count' | 'Bytes' | 'Milliseconds' | 'None';

/** The derived metrics, named to read well beside SageMaker's own. */
export const MetricNames = {
  logEvents: 'LogEvents',
  logBytes: 'LogBytes',
  errorEvents: 'ErrorEvents',
  warningEvents: 'WarningEvents',
  requests: 'ContainerRequests',
  http4xx: 'ContainerHttp4XX',
  http5xx: 'ContainerHttp5XX',
  latency: 'ContainerRequestLatency',
  incidents: 'Incidents',
  incidentsSuppressed: 'IncidentsSuppressed',
  /** Events counted but not classified: the delivery ran past its classification budget. */
  classificationSkipped: 'ClassificationSkipped',
} as const;

const RESERVED_METRIC_NAMES: ReadonlySet<string> = new Set(Object.values(MetricNames));

/** CloudWatch: a metric name is 1–255 characters. */
export const MAX_METRIC_NAME_LENGTH = 255;

const MINUTE_MS = 60_000;

/** All data points of one dimension set in one minute. */
export interface MetricBucket {
  dimensions: Dimensions;
  /** Start of the minute the events belong to (ms since the epoch). */
  timestampMs: number;
  /** Summed metrics: name → unit and total. */
  sums: Map<string, { unit: MetricUnit; value: number }>;
  /** Sampled metrics: name → unit and every value seen, in order. */
  samples: Map<string, { unit: MetricUnit; values: number[] }>;
}

/** The start of the minute that `timestampMs` falls in. */
export function toMinute(timestampMs: number): number {
  return Math.floor(timestampMs / MINUTE_MS) * MINUTE_MS;
}

/**
 * Whether a training-metric name can become a metric: not empty, not too long, not one of
 * sagewatch's own metric or dimension names (which would make the EMF document ambiguous), and not
 * a member the EMF document itself holds (`_aws`, `LogStream`, `__proto__`). Names read from a log
 * line can be anything; one that fails this is dropped (docs/metrics.md).
 */
export function isUsableMetricName(name: string, reserved: ReadonlySet<string>): boolean {
  return (
    name.length > 0 &&
    name.length <= MAX_METRIC_NAME_LENGTH &&
    !RESERVED_ROOT_NAMES.has(name) &&
    !RESERVED_METRIC_NAMES.has(name) &&
    !reserved.has(name)
  );
}

/** The sums of one bucket that every event adds to. */
interface EventSums {
  events: { value: number };
  bytes: { value: number };
  errors: { value: number };
  warnings: { value: number };
}

/**
 * Accumulates one delivery's metrics per (dimension set, minute of the event). Counts are exact:
 * every event adds to every set in the plan, once.
 */
export class MetricAggregator {
  readonly #buckets = new Map<string, MetricBucket>();
  readonly #plan: DimensionPlan;
  readonly #planKeys: string[];
  readonly #categoryKeys: string[];
  readonly #finestKey: string;
  readonly #resourceKey: string;
  readonly #reservedNames: ReadonlySet<string>;
  /** Where the finest set is in the plan's sets (-1: not one of them). */
  readonly #finestIndex: number;
  // Consecutive events mostly share a minute: the plan's buckets for the last minute, and in each
  // the four sums every event adds to, are kept at hand, which saves a key build and the map
  // lookups per dimension set per event.
  #lastMinute = Number.NaN;
  #lastBuckets: MetricBucket[] = [];
  #lastEventSums: EventSums[] = [];
  /** The ErrorCategory buckets of the last minute, by category. */
  #lastCategoryBuckets = new Map<Category, MetricBucket[]>();

  /** @param reservedNames names that must not be used as metric names (the dimension names). */
  constructor(plan: DimensionPlan, reservedNames: ReadonlySet<string>) {
    this.#plan = plan;
    this.#planKeys = plan.all.map(dimensionsKey);
    this.#categoryKeys = plan.byCategory.map(dimensionsKey);
    this.#finestKey = dimensionsKey(plan.finest);
    this.#resourceKey = dimensionsKey(plan.resource);
    this.#reservedNames = reservedNames;
    this.#finestIndex = this.#planKeys.indexOf(this.#finestKey);
  }

  #bucket(setKey: string, dimensions: Dimensions, minute: number): MetricBucket {
    const key = `${minute}|${setKey}`;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { dimensions, timestampMs: minute, sums: new Map(), samples: new Map() };
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  #sum(bucket: MetricBucket, name: string, unit: MetricUnit, value: number): void {
    const entry = bucket.sums.get(name);
    if (entry) entry.value += value;
    else bucket.sums.set(name, { unit, value });
  }

  /** The sum `name` of `bucket`, created at 0 when missing (as the first `#sum` would create it). */
  #sumEntry(bucket: MetricBucket, name: string, unit: MetricUnit): { unit: MetricUnit; value: number } {
    let entry = bucket.sums.get(name);
    if (!entry) {
      entry = { unit, value: 0 };
      bucket.sums.set(name, entry);
    }
    return entry;
  }

  #sample(bucket: MetricBucket, name: string, unit: MetricUnit, value: number): void {
    const entry = bucket.samples.get(name);
    if (entry) entry.values.push(value);
    else bucket.samples.set(name, { unit, values: [value] });
  }

  /** Adds one classified log event of `bytes` bytes stamped `timestampMs`. */
  addEvent(timestampMs: number, bytes: number, classification: Classification): void {
    const minute = toMinute(timestampMs);
    const { severity, http, metrics } = classification;
    if (minute !== this.#lastMinute) {
      this.#lastMinute = minute;
      this.#lastBuckets = this.#planKeys.map((key, i) =>
        this.#bucket(key, this.#plan.all[i] as Dimensions, minute),
      );
      // In this order, as an event's first sums into a new bucket create them.
      this.#lastEventSums = this.#lastBuckets.map((bucket) => ({
        events: this.#sumEntry(bucket, MetricNames.logEvents, 'Count'),
        bytes: this.#sumEntry(bucket, MetricNames.logBytes, 'Bytes'),
        errors: this.#sumEntry(bucket, MetricNames.errorEvents, 'Count'),
        warnings: this.#sumEntry(bucket, MetricNames.warningEvents, 'Count'),
      }));
      this.#lastCategoryBuckets.clear();
    }
    for (let i = 0; i < this.#lastBuckets.length; i++) {
      const bucket = this.#lastBuckets[i] as MetricBucket;
      const sums = this.#lastEventSums[i] as EventSums;
      sums.events.value += 1;
      sums.bytes.value += bytes;
      sums.errors.value += severity === 'error' ? 1 : 0;
      sums.warnings.value += severity === 'warning' ? 1 : 0;
      if (http) {
        this.#sum(bucket, MetricNames.requests, 'Count', 1);
        this.#sum(bucket, MetricNames.http4xx, 'Count', http.status >= 400 && http.status < 500 ? 1 : 0);
        this.#sum(bucket, MetricNames.http5xx, 'Count', http.status >= 500 ? 1 : 0);
        if (http.latencyMs !== undefined && Number.isFinite(http.latencyMs)) {
          this.#sample(bucket, MetricNames.latency, 'Milliseconds', http.latencyMs);
        }
      }
    }
    if (severity === 'error') this.#addCategory(minute, classification.category);
    if (metrics) {
      const bucket =
        this.#finestIndex >= 0
          ? (this.#lastBuckets[this.#finestIndex] as MetricBucket)
          : this.#bucket(this.#finestKey, this.#plan.finest, minute);
      for (const name in metrics) {
        const value = metrics[name] as number;
        // EMF values must be numbers; NaN and ±Infinity are not valid JSON numbers.
        if (Number.isFinite(value) && isUsableMetricName(name, this.#reservedNames)) {
          this.#sample(bucket, name, 'None', value);
        }
      }
    }
  }

  /** Adds an error of `category` in the current minute (`#lastMinute`). */
  #addCategory(minute: number, category: Category): void {
    let buckets = this.#lastCategoryBuckets.get(category);
    if (buckets === undefined) {
      buckets = this.#categoryKeys.map((key, i) =>
        this.#bucket(
          `${key}|${category}`,
          { ...(this.#plan.byCategory[i] as Dimensions), ErrorCategory: category },
          minute,
        ),
      );
      this.#lastCategoryBuckets.set(category, buckets);
    }
    for (const bucket of buckets) this.#sum(bucket, MetricNames.errorEvents, 'Count', 1);
  }

  /** Adds `value` to a per-resource counter (e.g. `Incidents`) in the minute of `timestampMs`. */
  addResourceCount(name: string, timestampMs: number, value: number): void {
    this.#sum(
      this.#bucket(this.#resourceKey, this.#plan.resource, toMinute(timestampMs)),
      name,
      'Count',
      value,
    );
  }

  /** The buckets, oldest minute first. */
  buckets(): MetricBucket[] {
    return [...this.#buckets.values()].sort((a, b) => a.timestampMs - b.timestampMs);
  }
}

/**
 * Merges the buckets of many deliveries (a Kinesis batch) into one bucket per (dimension set,
 * minute): sums are added, sampled values kept in the order given. The result, written with
 * `toEmfDocuments`, reads in CloudWatch exactly as the deliveries' own documents would (every data
 * point of a series in a minute is summed, or kept as a value), in fewer, fuller documents. The
 * input buckets are left unchanged. Oldest minute first.
 */
export function mergeBuckets(buckets: Iterable<MetricBucket>): MetricBucket[] {
  const merged = new Map<string, MetricBucket>();
  for (const bucket of buckets) {
    const key = `${bucket.timestampMs}|${dimensionsKey(bucket.dimensions)}`;
    let target = merged.get(key);
    if (target === undefined) {
      target = {
        dimensions: bucket.dimensions,
        timestampMs: bucket.timestampMs,
        sums: new Map(),
        samples: new Map(),
      };
      merged.set(key, target);
    }
    for (const [name, { unit, value }] of bucket.sums) {
      const entry = target.sums.get(name);
      if (entry) entry.value += value;
      else target.sums.set(name, { unit, value });
    }
    for (const [name, { unit, values }] of bucket.samples) {
      const entry = target.samples.get(name);
      if (entry) for (const value of values) entry.values.push(value);
      else target.samples.set(name, { unit, values: [...values] });
    }
  }
  return [...merged.values()].sort((a, b) => a.timestampMs - b.timestampMs);
}
