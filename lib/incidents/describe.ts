import type { Category, ResourceType } from '../types.ts';
import { truncateText } from './fit-lines.ts';

/** Words for people: what each category means, what each resource type is called, where it was. */

/** A title is one line of at most this many characters. */
export const MAX_TITLE_CHARS = 200;

/** What a category means, in a few words. */
export const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  cuda_oom: 'CUDA out of memory',
  host_oom: 'Host out of memory',
  nccl: 'NCCL / collective communication failure',
  disk_full: 'Disk full',
  s3_access: 'S3 access failure',
  import_error: 'Import error',
  python_exception: 'Python exception',
  model_load_failure: 'Model failed to load',
  worker_died: 'Model server worker died',
  invocation_error: 'Invocation error',
  health_check: 'Health check failure',
  timeout: 'Timeout',
  user_script_error: 'User script failed',
  nan_loss: 'NaN loss',
  throttling: 'Throttling',
  none: 'Error',
};

/** What a resource type is called in a sentence. */
export const RESOURCE_LABELS: Readonly<Record<ResourceType, string>> = {
  TrainingJob: 'training job',
  ProcessingJob: 'processing job',
  TransformJob: 'transform job',
  Endpoint: 'endpoint',
  InferenceComponent: 'inference component',
  NotebookInstance: 'notebook instance',
  Studio: 'Studio',
  HyperPodCluster: 'HyperPod cluster',
  LabelingJob: 'labeling job',
  CompilationJob: 'compilation job',
  InferenceRecommendationsJob: 'inference recommendations job',
  Unknown: 'log group',
};

/** The parts of an incident that say where it happened. */
export interface Whereabouts {
  resourceType: ResourceType;
  resourceName?: string;
  variantName?: string;
  instance?: string;
  container?: string;
  logGroup: string;
}

const EXCEPTION_NAME = /^(?:[A-Za-z_]\w{0,100}\.){0,10}([A-Z]\w{0,100})(?::|$)/;

/**
 * What went wrong, in a few words: the category's label, or for categories that say little
 * (`python_exception`, `none`) the exception's own name when the headline starts with one.
 */
export function describeWhat(category: Category, headline: string, isWarning = false): string {
  if (category === 'python_exception' || category === 'none') {
    const name = EXCEPTION_NAME.exec(headline.trim())?.[1];
    if (name !== undefined) return name;
    if (category === 'none') return isWarning ? 'Warning' : 'Error';
  }
  return CATEGORY_LABELS[category];
}

/** The instance and container, for parentheses: `algo-3`, `AllTraffic/i-0abc, container model-a`. */
export function describeDetail(where: Whereabouts): string {
  const node = [where.variantName, where.instance]
    .filter((part) => part !== undefined && part !== '')
    .join('/');
  const parts = node === '' ? [] : [node];
  if (where.container) parts.push(`container ${where.container}`);
  return parts.join(', ');
}

/** The resource in words: `training job my-job`, `log group /aws/sagemaker/Foo`. */
export function describeResource(where: Whereabouts): string {
  return `${RESOURCE_LABELS[where.resourceType]} ${where.resourceName ?? where.logGroup}`;
}

/** One line, what and where: `CUDA out of memory in training job my-job (algo-3)`. */
export function describeTitle(what: string, where: Whereabouts): string {
  const detail = describeDetail(where);
  return truncateText(
    `${what} in ${describeResource(where)}${detail === '' ? '' : ` (${detail})`}`.replace(/\s+/g, ' '),
    MAX_TITLE_CHARS,
  );
}

/** Milliseconds since the epoch as ISO 8601 UTC, or `unknown` for a value that is not a time. */
export function formatTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? 'unknown' : date.toISOString();
}
