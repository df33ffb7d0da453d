import { describe, expect, it } from 'vitest';
import {
  CATEGORY_SPECIFICITY,
  isAtLeast,
  isCritical,
  JOB_FATAL_CATEGORIES,
  moreSevere,
  mostSpecificCategory,
  rateGroup,
  SERVING_FATAL_CATEGORIES,
} from '../../../lib/incidents/severity.ts';
import { Categories, type Category, type ResourceType, ResourceTypes } from '../../../lib/types.ts';

const JOBS = ['TrainingJob', 'ProcessingJob', 'TransformJob'] as const;
const SERVING = ['Endpoint', 'InferenceComponent'] as const;

describe('severity table', () => {
  it.each(JOBS.flatMap((type) => JOB_FATAL_CATEGORIES.map((category) => [type, category] as const)))(
    'an error of %s / %s is critical (the job fails)',
    (type, category) => {
      expect(rateGroup([{ severity: 'error', category }], type)).toEqual({ severity: 'critical', category });
    },
  );

  it.each(SERVING.flatMap((type) => SERVING_FATAL_CATEGORIES.map((category) => [type, category] as const)))(
    'an error of %s / %s is critical (a serving worker dies)',
    (type, category) => {
      expect(rateGroup([{ severity: 'error', category }], type)).toEqual({ severity: 'critical', category });
    },
  );

  it.each([
    ['Endpoint', 'cuda_oom'],
    ['Endpoint', 'user_script_error'],
    ['TrainingJob', 'worker_died'],
    ['TrainingJob', 'python_exception'],
    ['HyperPodCluster', 'nccl'],
    ['Unknown', 'cuda_oom'],
    ['NotebookInstance', 'user_script_error'],
    ['TrainingJob', 'none'],
  ] as const)('an error of %s / %s is an error', (type, category) => {
    expect(rateGroup([{ severity: 'error', category }], type)).toEqual({ severity: 'error', category });
  });

  it('a warning with a category is a warning, even of a job-fatal category', () => {
    expect(rateGroup([{ severity: 'warning', category: 'throttling' }], 'Endpoint')).toEqual({
      severity: 'warning',
      category: 'throttling',
    });
    expect(rateGroup([{ severity: 'warning', category: 'cuda_oom' }], 'TrainingJob')?.severity).toBe(
      'warning',
    );
  });

  it('a warning without a category, and anything info, is no incident', () => {
    expect(rateGroup([{ severity: 'warning', category: 'none' }], 'TrainingJob')).toBeUndefined();
    expect(rateGroup([{ severity: 'info', category: 'cuda_oom' }], 'TrainingJob')).toBeUndefined();
    expect(rateGroup([], 'TrainingJob')).toBeUndefined();
  });

  it('a group is critical when any of its categories is, and takes the most specific category', () => {
    const rating = rateGroup(
      [
        { severity: 'info', category: 'model_load_failure' },
        { severity: 'error', category: 'import_error' },
        { severity: 'error', category: 'python_exception' },
      ],
      'Endpoint',
    );
    expect(rating).toEqual({ severity: 'critical', category: 'import_error' });
  });

  it('names only job and serving resource types as having critical categories', () => {
    const withCritical = ResourceTypes.filter((type: ResourceType) =>
      Categories.some((c) => isCritical(type, c)),
    );
    expect(withCritical).toEqual([...JOBS, ...SERVING]);
  });
});

describe('category specificity', () => {
  it('orders every category exactly once, none last', () => {
    expect([...CATEGORY_SPECIFICITY].sort()).toEqual([...Categories].sort());
    expect(CATEGORY_SPECIFICITY.at(-1)).toBe('none');
  });

  it('prefers a specific category over python_exception, and user_script_error over python_exception', () => {
    expect(mostSpecificCategory(['python_exception', 'cuda_oom', 'none'])).toBe('cuda_oom');
    expect(mostSpecificCategory(['python_exception', 'user_script_error'])).toBe('user_script_error');
    expect(mostSpecificCategory(['user_script_error', 'nccl'])).toBe('nccl');
  });

  it('never lets none win, and says none for nothing', () => {
    expect(mostSpecificCategory(['none', 'throttling'])).toBe('throttling');
    expect(mostSpecificCategory([])).toBe('none');
    expect(mostSpecificCategory(['bogus' as Category, 'none'])).toBe('none');
  });
});

describe('severity order', () => {
  it('compares severities', () => {
    expect(isAtLeast('critical', 'error')).toBe(true);
    expect(isAtLeast('warning', 'error')).toBe(false);
    expect(isAtLeast('error', 'error')).toBe(true);
    expect(moreSevere('warning', 'critical')).toBe('critical');
    expect(moreSevere('error', 'warning')).toBe('error');
  });
});
