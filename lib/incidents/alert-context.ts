/**
 * Alert context: what SageMaker itself knew about the failing resource at the incident's minute.
 * This module is pure: it plans what to read for an incident (metric queries in SageMaker's own
 * namespaces and dimensions, which Describe call), and turns what was read into the versioned
 * `alertContext` section of the incident (docs/incident-schema.md, "Alert context"). Reading is
 * done by lib/aws/alert-context.ts under the time budget of lib/processor/alert-context.ts.
 *
 * @module
 */
import { scrubSecrets } from '../text/scrub-secrets.ts';
import type { Category, ResourceType } from '../types.ts';
import { truncateText } from './fit-lines.ts';

/** The version of the `alertContext` section; bumped on any change that is not additive. */
export const ALERT_CONTEXT_VERSION = 1;

/** Minutes of metrics read before the incident's last event (its own minute included). */
export const ALERT_CONTEXT_LOOKBACK_MINUTES = 10;

/** A `FailureReason` is user text (an exception message): scrubbed and cut to this many characters. */
export const MAX_FAILURE_REASON_CHARS = 400;

/** At most this many hosts are remembered per suppression window (bounds the DynamoDB item). */
export const MAX_TRACKED_HOSTS = 100;

/** The statistic read for a metric (SageMaker publishes every metric below with these). */
export type MetricStat = 'Maximum' | 'Sum' | 'Average';

/** One metric to read, exactly as SageMaker publishes it. */
export interface MetricQuery {
  /** GetMetricData query id: `m0`, `m1`, ... (must start with a lower-case letter). */
  id: string;
  namespace: string;
  metricName: string;
  dimensions: Readonly<Record<string, string>>;
  stat: MetricStat;
  /** The unit SageMaker publishes the metric in (used to show it, not to filter). */
  unit: 'Percent' | 'Microseconds' | 'None';
}

/** A series as read back: points of one query, any order. */
export interface MetricSeries {
  id: string;
  timestampsMs: readonly number[];
  values: readonly number[];
}

/** The resource whose status is described. */
export type DescribedKind = 'TrainingJob' | 'ProcessingJob' | 'TransformJob' | 'Endpoint';

/** Which Describe call to make. */
export interface DescribeTarget {
  kind: DescribedKind;
  name: string;
  /** Endpoints: the variant whose instance counts are reported. */
  variantName?: string;
}

/** What a Describe call said, raw (texts not yet scrubbed). */
export interface ResourceDescription {
  /** `TrainingJobStatus`, `ProcessingJobStatus`, `TransformJobStatus` or `EndpointStatus`. */
  status: string;
  /** Training jobs: `SecondaryStatus`. */
  secondaryStatus?: string;
  failureReason?: string;
  /** Endpoints: the variant's `CurrentInstanceCount` and `DesiredInstanceCount`. */
  currentInstances?: number;
  desiredInstances?: number;
}

/** Everything to read for one incident, and the metric window. */
export interface AlertContextPlan {
  /** Metrics window, whole minutes: `[startMs, endMs)`. */
  startMs: number;
  endMs: number;
  /** All metric queries of the incident: one GetMetricData call. */
  metrics: MetricQuery[];
  describe?: DescribeTarget;
  /** Whether the hosts of the incident's suppression window are counted (it has a `Host`). */
  countHosts: boolean;
}

/** One metric, summed up. */
export interface MetricFigure {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat: MetricStat;
  unit: MetricQuery['unit'];
  /** Largest per-minute value in the window. */
  max: number;
  /** The latest per-minute value, and its minute. */
  last: number;
  lastAtMs: number;
  /** Sum statistics: the total over the window. */
  total?: number;
  /** Minutes with a data point. */
  points: number;
}

/** A part of the context that was not read. */
export interface MissingPart {
  part: ContextPart;
  /** `timeout`: not answered within the budget; `error`: the call failed. */
  reason: 'timeout' | 'error';
}

/** The parts gathered for an alert. */
export const ContextParts = ['metrics', 'status', 'hosts'] as const;

/** One of {@link ContextParts}. */
export type ContextPart = (typeof ContextParts)[number];

/** The status of the job or endpoint, scrubbed and bounded. */
export interface ResourceStatus extends ResourceDescription {
  kind: DescribedKind;
}

/** The hosts of the resource that reported the same failure (fingerprint) in the open window. */
export interface HostsSeen {
  /** Distinct hosts, this one included. */
  count: number;
  /** The count reached {@link MAX_TRACKED_HOSTS}: there may be more. */
  atLeast?: boolean;
}

/** The `alertContext` section of an incident (docs/incident-schema.md). */
export interface AlertContext {
  version: typeof ALERT_CONTEXT_VERSION;
  /** Metrics window (ms since the epoch, whole minutes). */
  startMs: number;
  endMs: number;
  /** Metrics that had data in the window (a metric without data is left out). */
  metrics?: MetricFigure[];
  status?: ResourceStatus;
  hosts?: HostsSeen;
  /** Parts that were planned but could not be read (in time). */
  missing?: MissingPart[];
}

const MINUTE_MS = 60_000;

/** SageMaker's instance-metric namespaces, by resource type. */
export const INSTANCE_NAMESPACES: Readonly<Partial<Record<ResourceType, string>>> = {
  TrainingJob: '/aws/sagemaker/TrainingJobs',
  ProcessingJob: '/aws/sagemaker/ProcessingJobs',
  TransformJob: '/aws/sagemaker/TransformJobs',
  Endpoint: '/aws/sagemaker/Endpoints',
};

/** Instance metrics that explain a category; every other category gets CPU and memory. */
export const CATEGORY_INSTANCE_METRICS: Readonly<Partial<Record<Category, readonly string[]>>> = {
  cuda_oom: ['GPUMemoryUtilization', 'GPUUtilization'],
  host_oom: ['MemoryUtilization'],
  disk_full: ['DiskUtilization'],
  nccl: ['GPUUtilization', 'CPUUtilization'],
  timeout: ['CPUUtilization', 'MemoryUtilization'],
  worker_died: ['CPUUtilization', 'MemoryUtilization'],
};
const DEFAULT_INSTANCE_METRICS = ['CPUUtilization', 'MemoryUtilization'] as const;

/** Endpoint invocation metrics (namespace `AWS/SageMaker`, dimensions EndpointName + VariantName). */
export const ENDPOINT_METRICS: readonly {
  metricName: string;
  stat: MetricStat;
  unit: MetricQuery['unit'];
}[] = [
  { metricName: 'Invocation5XXErrors', stat: 'Sum', unit: 'None' },
  { metricName: 'Invocations', stat: 'Sum', unit: 'None' },
  { metricName: 'ModelLatency', stat: 'Average', unit: 'Microseconds' },
];

const DESCRIBED: ReadonlySet<ResourceType> = new Set<ResourceType>([
  'TrainingJob',
  'ProcessingJob',
  'TransformJob',
  'Endpoint',
]);

/** What the planner needs to know about an incident. */
export interface PlannedIncident {
  category: Category;
  resourceType: ResourceType;
  resourceName?: string;
  variantName?: string;
  host?: string;
  lastSeenMs: number;
}

/**
 * What to read for an incident at `nowMs`: the instance metrics of its `Host` that explain its
 * category, the endpoint variant's invocation metrics, and the job's or endpoint's status, over
 * the {@link ALERT_CONTEXT_LOOKBACK_MINUTES} minutes up to the incident's minute (never after now).
 * `undefined` when there is nothing to read (a notebook, an unknown group).
 */
export function planAlertContext(incident: PlannedIncident, nowMs: number): AlertContextPlan | undefined {
  const { resourceType, resourceName, host } = incident;
  const endMs = Math.min(
    Math.floor(incident.lastSeenMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS,
    Math.ceil(nowMs / MINUTE_MS) * MINUTE_MS,
  );
  const startMs = endMs - ALERT_CONTEXT_LOOKBACK_MINUTES * MINUTE_MS;
  const metrics: MetricQuery[] = [];
  const add = (query: Omit<MetricQuery, 'id'>) => metrics.push({ id: `m${metrics.length}`, ...query });

  const namespace = INSTANCE_NAMESPACES[resourceType];
  if (namespace !== undefined && host !== undefined) {
    const names = CATEGORY_INSTANCE_METRICS[incident.category] ?? DEFAULT_INSTANCE_METRICS;
    for (const metricName of names) {
      // SageMaker publishes no DiskUtilization for batch transform.
      if (metricName === 'DiskUtilization' && resourceType === 'TransformJob') continue;
      add({ namespace, metricName, dimensions: { Host: host }, stat: 'Maximum', unit: 'Percent' });
    }
    // Endpoint instance metrics are also documented per variant (EndpointName + VariantName, the
    // set the console charts); both are asked in the same call, and whichever has data shows.
    if (resourceType === 'Endpoint' && resourceName !== undefined && incident.variantName !== undefined) {
      for (const metricName of names) {
        const dimensions = { EndpointName: resourceName, VariantName: incident.variantName };
        add({ namespace, metricName, dimensions, stat: 'Maximum', unit: 'Percent' });
      }
    }
  }
  if (resourceType === 'Endpoint' && resourceName !== undefined && incident.variantName !== undefined) {
    for (const metric of ENDPOINT_METRICS) {
      add({
        namespace: 'AWS/SageMaker',
        dimensions: { EndpointName: resourceName, VariantName: incident.variantName },
        ...metric,
      });
    }
  }
  const describe: DescribeTarget | undefined =
    DESCRIBED.has(resourceType) && resourceName !== undefined
      ? {
          kind: resourceType as DescribedKind,
          name: resourceName,
          ...(incident.variantName === undefined ? {} : { variantName: incident.variantName }),
        }
      : undefined;
  if (metrics.length === 0 && describe === undefined) return undefined;
  return {
    startMs,
    endMs,
    metrics,
    ...(describe === undefined ? {} : { describe }),
    countHosts: host !== undefined,
  };
}

/** Each series summed up as max, last (and total for sums); queries without data are left out. */
export function toMetricFigures(
  queries: readonly MetricQuery[],
  series: readonly MetricSeries[],
): MetricFigure[] {
  const byId = new Map(series.map((s) => [s.id, s]));
  const figures: MetricFigure[] = [];
  for (const query of queries) {
    const found = byId.get(query.id);
    if (found === undefined) continue;
    let max = Number.NEGATIVE_INFINITY;
    let last = Number.NaN;
    let lastAtMs = Number.NEGATIVE_INFINITY;
    let total = 0;
    let points = 0;
    const n = Math.min(found.timestampsMs.length, found.values.length);
    for (let i = 0; i < n; i++) {
      const value = found.values[i] as number;
      const at = found.timestampsMs[i] as number;
      if (!Number.isFinite(value) || !Number.isFinite(at)) continue;
      points++;
      total += value;
      if (value > max) max = value;
      if (at > lastAtMs) {
        lastAtMs = at;
        last = value;
      }
    }
    if (points === 0) continue;
    figures.push({
      namespace: query.namespace,
      metricName: query.metricName,
      dimensions: { ...query.dimensions },
      stat: query.stat,
      unit: query.unit,
      max,
      last,
      lastAtMs,
      ...(query.stat === 'Sum' ? { total } : {}),
      points,
    });
  }
  return figures;
}

/** A Describe answer made safe to publish: `FailureReason` scrubbed and cut (it is user text). */
export function toResourceStatus(kind: DescribedKind, description: ResourceDescription): ResourceStatus {
  const status: ResourceStatus = { kind, status: truncateText(scrubSecrets(description.status), 64) };
  if (description.secondaryStatus) {
    status.secondaryStatus = truncateText(scrubSecrets(description.secondaryStatus), 64);
  }
  if (description.failureReason) {
    status.failureReason = truncateText(
      scrubSecrets(description.failureReason).replace(/\s+/g, ' ').trim(),
      MAX_FAILURE_REASON_CHARS,
    );
  }
  if (description.currentInstances !== undefined) status.currentInstances = description.currentInstances;
  if (description.desiredInstances !== undefined) status.desiredInstances = description.desiredInstances;
  return status;
}

/** The hosts of a window as a count (the host set is bounded by {@link MAX_TRACKED_HOSTS}). */
export function toHostsSeen(hosts: readonly string[], ownHost: string): HostsSeen {
  const distinct = new Set(hosts);
  distinct.add(ownHost);
  return distinct.size >= MAX_TRACKED_HOSTS
    ? { count: distinct.size, atLeast: true }
    : { count: distinct.size };
}

/** The context section again scrubbed (formatters call it: an incident may come from elsewhere). */
export function scrubAlertContext(context: AlertContext): AlertContext {
  if (context.status?.failureReason === undefined) return context;
  return {
    ...context,
    status: { ...context.status, failureReason: scrubSecrets(context.status.failureReason) },
  };
}
