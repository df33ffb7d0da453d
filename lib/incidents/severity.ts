import type { Category, ResourceType, Severity } from '../types.ts';
import type { IncidentSeverity } from './types.ts';

/**
 * Incident severity for routing (see docs/incident-schema.md, "Severity"):
 *
 * | resource type                            | categories                                                | severity |
 * |------------------------------------------|-----------------------------------------------------------|----------|
 * | TrainingJob, ProcessingJob, TransformJob | user_script_error, cuda_oom, host_oom, nccl, disk_full     | critical |
 * | Endpoint, InferenceComponent             | worker_died, model_load_failure                           | critical |
 * | any                                      | any other error                                           | error    |
 * | any                                      | a warning line whose category is not `none`               | warning  |
 *
 * A critical incident means the job has failed (or will), or a serving worker is dying.
 */

/** Categories that end a training, processing or transform job. */
export const JOB_FATAL_CATEGORIES: readonly Category[] = [
  'user_script_error',
  'cuda_oom',
  'host_oom',
  'nccl',
  'disk_full',
];

/** Categories that take a serving worker down. */
export const SERVING_FATAL_CATEGORIES: readonly Category[] = ['worker_died', 'model_load_failure'];

/** Which error categories are critical on which resource type; absent: none is. */
export const CRITICAL_CATEGORIES: Readonly<Partial<Record<ResourceType, readonly Category[]>>> = {
  TrainingJob: JOB_FATAL_CATEGORIES,
  ProcessingJob: JOB_FATAL_CATEGORIES,
  TransformJob: JOB_FATAL_CATEGORIES,
  Endpoint: SERVING_FATAL_CATEGORIES,
  InferenceComponent: SERVING_FATAL_CATEGORIES,
};

/**
 * Categories from most to least specific. A group takes the most specific category among its
 * lines: a traceback ending in `torch.OutOfMemoryError` is `cuda_oom`, not `python_exception`.
 * Root causes (resources, dependencies) come before symptoms; `user_script_error` (the toolkit's
 * "the script failed") comes before `python_exception` (any traceback); `none` never wins.
 */
export const CATEGORY_SPECIFICITY: readonly Category[] = [
  'cuda_oom',
  'host_oom',
  'disk_full',
  'nccl',
  'import_error',
  'model_load_failure',
  's3_access',
  'worker_died',
  'timeout',
  'health_check',
  'throttling',
  'nan_loss',
  'invocation_error',
  'user_script_error',
  'python_exception',
  'none',
];

const SPECIFICITY_RANK = new Map<Category, number>(CATEGORY_SPECIFICITY.map((category, i) => [category, i]));

/** The most specific of `categories` (see {@link CATEGORY_SPECIFICITY}); `none` when empty. */
export function mostSpecificCategory(categories: Iterable<Category>): Category {
  let best: Category = 'none';
  for (const category of categories) {
    if (rankOf(category) < rankOf(best)) best = category;
  }
  return best;
}

function rankOf(category: Category): number {
  return SPECIFICITY_RANK.get(category) ?? Number.POSITIVE_INFINITY;
}

const SEVERITY_RANK: Readonly<Record<IncidentSeverity, number>> = { critical: 3, error: 2, warning: 1 };

/** Whether `severity` is `minimum` or more severe. */
export function isAtLeast(severity: IncidentSeverity, minimum: IncidentSeverity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[minimum];
}

/** The more severe of two severities. */
export function moreSevere(a: IncidentSeverity, b: IncidentSeverity): IncidentSeverity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** Whether an error of `category` is critical on `resourceType` (the table above). */
export function isCritical(resourceType: ResourceType, category: Category): boolean {
  return CRITICAL_CATEGORIES[resourceType]?.includes(category) ?? false;
}

/** What one line (or an implied fact, such as "this is a traceback") says about a group. */
export interface LineRating {
  severity: Severity;
  category: Category;
}

/** A group's severity and category. */
export interface GroupRating {
  severity: IncidentSeverity;
  category: Category;
}

const LINE_SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 2, warning: 1, info: 0 };

/**
 * Rates a group of lines: its category is the most specific of all its lines'; it is an error when
 * any line is, critical when any of its categories is critical for the resource type; a warning
 * when its strongest line is a warning and it has a category; otherwise no incident (undefined).
 */
export function rateGroup(lines: readonly LineRating[], resourceType: ResourceType): GroupRating | undefined {
  let strongest: Severity = 'info';
  for (const line of lines) {
    if (LINE_SEVERITY_RANK[line.severity] > LINE_SEVERITY_RANK[strongest]) strongest = line.severity;
  }
  const categories = lines.map((line) => line.category);
  const category = mostSpecificCategory(categories);
  if (strongest === 'error') {
    const critical = categories.some((c) => isCritical(resourceType, c));
    return { severity: critical ? 'critical' : 'error', category };
  }
  if (strongest === 'warning' && category !== 'none') return { severity: 'warning', category };
  return undefined;
}
