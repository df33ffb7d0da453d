import { describe, expect, it } from 'vitest';
import {
  CATEGORY_LABELS,
  describeDetail,
  describeResource,
  describeTitle,
  describeWhat,
  formatTime,
  MAX_TITLE_CHARS,
  RESOURCE_LABELS,
} from '../../../lib/incidents/describe.ts';
import { Categories, ResourceTypes } from '../../../lib/types.ts';
import { ENDPOINT, TRAINING } from './build.ts';

describe('labels', () => {
  it('has a label for every category and resource type', () => {
    expect(Object.keys(CATEGORY_LABELS).sort()).toEqual([...Categories].sort());
    expect(Object.keys(RESOURCE_LABELS).sort()).toEqual([...ResourceTypes].sort());
  });
});

describe('describeWhat', () => {
  it('uses the category label for specific categories', () => {
    expect(describeWhat('cuda_oom', 'torch.OutOfMemoryError: CUDA out of memory')).toBe('CUDA out of memory');
  });

  it('uses the exception name for python_exception and none', () => {
    expect(describeWhat('python_exception', "KeyError: 'label'")).toBe('KeyError');
    expect(describeWhat('none', 'botocore.exceptions.CapacityError: no capacity')).toBe('CapacityError');
  });

  it('falls back to the label, or Error / Warning', () => {
    expect(describeWhat('python_exception', '  File "x.py", line 3')).toBe('Python exception');
    expect(describeWhat('none', 'something broke')).toBe('Error');
    expect(describeWhat('none', 'something odd', true)).toBe('Warning');
  });
});

describe('describeTitle', () => {
  it('says what and where for a training job', () => {
    expect(describeTitle('CUDA out of memory', TRAINING)).toBe(
      'CUDA out of memory in training job my-job (algo-3)',
    );
  });

  it('names variant, instance and container for an endpoint', () => {
    const where = { ...ENDPOINT, container: 'model-a' };
    expect(describeDetail(where)).toBe('AllTraffic/i-0abc123def4567890, container model-a');
    expect(describeTitle('Worker died', where)).toBe(
      'Worker died in endpoint my-endpoint (AllTraffic/i-0abc123def4567890, container model-a)',
    );
  });

  it('names the log group when the resource is unknown, without empty parentheses', () => {
    const where = { resourceType: 'Unknown' as const, logGroup: '/aws/sagemaker/Other' };
    expect(describeResource(where)).toBe('log group /aws/sagemaker/Other');
    expect(describeTitle('Error', where)).toBe('Error in log group /aws/sagemaker/Other');
  });

  it('stays on one bounded line', () => {
    const title = describeTitle('Error\nwith a break', { ...TRAINING, resourceName: 'n'.repeat(500) });
    expect(title).not.toContain('\n');
    expect(title.length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
  });
});

describe('formatTime', () => {
  it('formats ISO UTC, or says unknown', () => {
    expect(formatTime(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(formatTime(Number.NaN)).toBe('unknown');
  });
});
