import type { LogSource, ResourceType } from '../types.ts';

/**
 * How fine sagewatch's custom metrics go. Each distinct dimension combination is a billed custom
 * metric, so the operator chooses (see docs/metrics.md for the cardinality of each level):
 * - `resource`: per resource (job, endpoint variant, ...) and per resource type.
 * - `host`: adds per host (`Host`, SageMaker's own instance dimension).
 * - `container`: adds per inference-pipeline container (`ContainerName`).
 */
export const MetricsDetails = ['resource', 'host', 'container'] as const;

/** One of {@link MetricsDetails}. */
export type MetricsDetail = (typeof MetricsDetails)[number];

/** A set of dimension name → value, in the order the names are listed. */
export type Dimensions = Readonly<Record<string, string>>;

/** The dimension sets one delivery's metrics are emitted under. */
export interface DimensionPlan {
  /** Every set the general counters (`LogEvents`, `ErrorEvents`, ...) go to. */
  all: Dimensions[];
  /** Sets that `ErrorEvents` is split by `ErrorCategory` under (coarse levels only). */
  byCategory: Dimensions[];
  /** The finest set available: training metrics go there (per host where known). */
  finest: Dimensions;
  /** The per-resource set (or the resource-type rollup for resources without a name). */
  resource: Dimensions;
}

/** CloudWatch Logs: a log group or log stream name is at most 512 characters. */
export const MAX_LOG_NAME_LENGTH = 512;

/**
 * A log group or stream name cut to what CloudWatch Logs allows. A delivery can only carry longer
 * names when forged (or read by the CLI from a file); cut, they keep every dimension value and
 * document property within its limit, and so every EMF document within its size.
 *
 * @example
 * boundLogName('x'.repeat(600)).length // 512
 */
export function boundLogName(name: string): string {
  return name.length > MAX_LOG_NAME_LENGTH ? name.slice(0, MAX_LOG_NAME_LENGTH) : name;
}

/** EMF: a dimension value must be a non-empty string of at most 1024 characters. */
export const MAX_DIMENSION_VALUE_LENGTH = 1024;

/**
 * The dimension holding a resource's name, named as SageMaker's own metrics name it where they
 * exist, so sagewatch's metrics chart beside SageMaker's. Resources SageMaker publishes no
 * metrics for use `ResourceName`.
 */
const NAME_DIMENSION: Record<ResourceType, string> = {
  TrainingJob: 'TrainingJobName',
  ProcessingJob: 'ProcessingJobName',
  TransformJob: 'TransformJobName',
  Endpoint: 'EndpointName',
  InferenceComponent: 'InferenceComponentName',
  LabelingJob: 'LabelingJobName',
  NotebookInstance: 'ResourceName',
  Studio: 'ResourceName',
  HyperPodCluster: 'ResourceName',
  CompilationJob: 'ResourceName',
  InferenceRecommendationsJob: 'ResourceName',
  Unknown: 'ResourceName',
};

/** Dimension names sagewatch may emit; metric names must not collide with them. */
export const DIMENSION_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(NAME_DIMENSION),
  'VariantName',
  'ContainerName',
  'Host',
  'ResourceType',
  'ErrorCategory',
]);

function clampValue(value: string): string {
  return value.length > MAX_DIMENSION_VALUE_LENGTH ? value.slice(0, MAX_DIMENSION_VALUE_LENGTH) : value;
}

/**
 * Plans the dimension sets for one delivery's source at the chosen level of detail.
 * Empty values never become dimensions (EMF would drop the metric silently).
 */
export function planDimensions(source: LogSource, detail: MetricsDetail): DimensionPlan {
  const typeRollup: Dimensions = { ResourceType: source.resourceType };
  if (!source.resourceName) {
    return { all: [typeRollup], byCategory: [typeRollup], finest: typeRollup, resource: typeRollup };
  }
  const resource: Record<string, string> = {
    [NAME_DIMENSION[source.resourceType]]: clampValue(source.resourceName),
  };
  if (source.variantName && source.resourceType === 'Endpoint')
    resource.VariantName = clampValue(source.variantName);

  const all: Dimensions[] = [typeRollup, resource];
  let finest: Dimensions = resource;
  if (detail !== 'resource' && source.host) {
    finest = { ...resource, Host: clampValue(source.host) };
    all.push(finest);
  }
  if (detail === 'container' && source.container) {
    all.push({ ...resource, ContainerName: clampValue(source.container) });
  }
  return { all, byCategory: [typeRollup, resource], finest, resource };
}

/** A stable key for a dimension set (names and values, in order). */
export function dimensionsKey(dimensions: Dimensions): string {
  return JSON.stringify(dimensions);
}
