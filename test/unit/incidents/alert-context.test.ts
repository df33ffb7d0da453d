import { describe, expect, it } from 'vitest';
import {
  ALERT_CONTEXT_LOOKBACK_MINUTES,
  type AlertContext,
  MAX_FAILURE_REASON_CHARS,
  MAX_TRACKED_HOSTS,
  type MetricQuery,
  type PlannedIncident,
  planAlertContext,
  scrubAlertContext,
  toHostsSeen,
  toMetricFigures,
  toResourceStatus,
} from '../../../lib/incidents/alert-context.ts';

const MINUTE = 60_000;
const T = Date.UTC(2026, 2, 2, 10, 5, 30);

const training: PlannedIncident = {
  category: 'cuda_oom',
  resourceType: 'TrainingJob',
  resourceName: 'llama',
  host: 'llama/algo-3',
  lastSeenMs: T,
};

const names = (queries: readonly MetricQuery[]) => queries.map((q) => `${q.namespace} ${q.metricName}`);

describe('planAlertContext', () => {
  it('reads the GPU figures of the host for a CUDA OOM, and describes the training job', () => {
    const plan = planAlertContext(training, T + 5_000);
    expect(plan?.metrics).toEqual([
      {
        id: 'm0',
        namespace: '/aws/sagemaker/TrainingJobs',
        metricName: 'GPUMemoryUtilization',
        dimensions: { Host: 'llama/algo-3' },
        stat: 'Maximum',
        unit: 'Percent',
      },
      {
        id: 'm1',
        namespace: '/aws/sagemaker/TrainingJobs',
        metricName: 'GPUUtilization',
        dimensions: { Host: 'llama/algo-3' },
        stat: 'Maximum',
        unit: 'Percent',
      },
    ]);
    expect(plan?.describe).toEqual({ kind: 'TrainingJob', name: 'llama' });
    expect(plan?.countHosts).toBe(true);
  });

  it('covers the minutes up to the incident, its own minute included, and never goes past now', () => {
    const plan = planAlertContext(training, T + 5_000);
    expect(plan?.endMs).toBe(Date.UTC(2026, 2, 2, 10, 6));
    expect(plan?.startMs).toBe(Date.UTC(2026, 2, 2, 10, 6) - ALERT_CONTEXT_LOOKBACK_MINUTES * MINUTE);
    // An incident stamped in the future (clock skew) is read up to now.
    const skewed = planAlertContext({ ...training, lastSeenMs: T + 10 * MINUTE }, T);
    expect(skewed?.endMs).toBe(Date.UTC(2026, 2, 2, 10, 6));
  });

  it.each([
    ['host_oom', ['MemoryUtilization']],
    ['disk_full', ['DiskUtilization']],
    ['timeout', ['CPUUtilization', 'MemoryUtilization']],
    ['worker_died', ['CPUUtilization', 'MemoryUtilization']],
    ['nccl', ['GPUUtilization', 'CPUUtilization']],
    ['python_exception', ['CPUUtilization', 'MemoryUtilization']],
  ] as const)('%s reads %j', (category, metrics) => {
    const plan = planAlertContext({ ...training, category }, T);
    expect(plan?.metrics.map((q) => q.metricName)).toEqual(metrics);
  });

  it('uses the namespace of each job kind, and skips DiskUtilization for batch transform', () => {
    expect(
      names(
        planAlertContext({ ...training, resourceType: 'ProcessingJob', category: 'disk_full' }, T)?.metrics ??
          [],
      ),
    ).toEqual(['/aws/sagemaker/ProcessingJobs DiskUtilization']);
    const transform = planAlertContext(
      { ...training, resourceType: 'TransformJob', host: 'batch/i-0abc', category: 'disk_full' },
      T,
    );
    expect(transform?.metrics).toEqual([]);
    expect(transform?.describe).toEqual({ kind: 'TransformJob', name: 'llama' });
  });

  it('reads the variant invocation metrics of an endpoint, with EndpointName and VariantName', () => {
    const plan = planAlertContext(
      {
        category: 'invocation_error',
        resourceType: 'Endpoint',
        resourceName: 'fraud',
        variantName: 'AllTraffic',
        host: 'fraud/AllTraffic/i-0abc',
        lastSeenMs: T,
      },
      T,
    );
    expect(names(plan?.metrics ?? [])).toEqual([
      '/aws/sagemaker/Endpoints CPUUtilization',
      '/aws/sagemaker/Endpoints MemoryUtilization',
      '/aws/sagemaker/Endpoints CPUUtilization',
      '/aws/sagemaker/Endpoints MemoryUtilization',
      'AWS/SageMaker Invocation5XXErrors',
      'AWS/SageMaker Invocations',
      'AWS/SageMaker ModelLatency',
    ]);
    expect(plan?.metrics.map((q) => Object.keys(q.dimensions).join('+'))).toEqual([
      'Host',
      'Host',
      'EndpointName+VariantName',
      'EndpointName+VariantName',
      'EndpointName+VariantName',
      'EndpointName+VariantName',
      'EndpointName+VariantName',
    ]);
    expect(plan?.metrics[4]).toMatchObject({
      dimensions: { EndpointName: 'fraud', VariantName: 'AllTraffic' },
      stat: 'Sum',
    });
    expect(plan?.describe).toEqual({ kind: 'Endpoint', name: 'fraud', variantName: 'AllTraffic' });
  });

  it('a serverless endpoint (no Host) still gets its invocation metrics, and no host count', () => {
    const plan = planAlertContext(
      { category: 'none', resourceType: 'Endpoint', resourceName: 'e', variantName: 'v', lastSeenMs: T },
      T,
    );
    expect(plan?.metrics.map((q) => q.namespace)).toEqual([
      'AWS/SageMaker',
      'AWS/SageMaker',
      'AWS/SageMaker',
    ]);
    expect(plan?.countHosts).toBe(false);
  });

  it('plans nothing where SageMaker has nothing to say', () => {
    expect(
      planAlertContext({ category: 'none', resourceType: 'NotebookInstance', lastSeenMs: T }, T),
    ).toBeUndefined();
    expect(
      planAlertContext({ category: 'none', resourceType: 'TrainingJob', host: 'x/algo-1', lastSeenMs: T }, T),
    ).not.toHaveProperty('describe');
  });
});

describe('toMetricFigures', () => {
  const queries: MetricQuery[] = [
    {
      id: 'm0',
      namespace: 'n',
      metricName: 'GPUMemoryUtilization',
      dimensions: { Host: 'h' },
      stat: 'Maximum',
      unit: 'Percent',
    },
    {
      id: 'm1',
      namespace: 'AWS/SageMaker',
      metricName: 'Invocation5XXErrors',
      dimensions: {},
      stat: 'Sum',
      unit: 'None',
    },
    {
      id: 'm2',
      namespace: 'n',
      metricName: 'CPUUtilization',
      dimensions: { Host: 'h' },
      stat: 'Maximum',
      unit: 'Percent',
    },
  ];

  it('sums each series up as max and last (newest point, in any order); sums also get a total', () => {
    const figures = toMetricFigures(queries, [
      { id: 'm0', timestampsMs: [T - MINUTE, T, T - 2 * MINUTE], values: [99, 97, 60] },
      { id: 'm1', timestampsMs: [T, T - MINUTE], values: [4, 6] },
    ]);
    expect(figures).toEqual([
      {
        namespace: 'n',
        metricName: 'GPUMemoryUtilization',
        dimensions: { Host: 'h' },
        stat: 'Maximum',
        unit: 'Percent',
        max: 99,
        last: 97,
        lastAtMs: T,
        points: 3,
      },
      expect.objectContaining({ metricName: 'Invocation5XXErrors', max: 6, last: 4, total: 10, points: 2 }),
    ]);
  });

  it('leaves out series without a usable point, and ignores unknown ids', () => {
    expect(
      toMetricFigures(queries, [
        { id: 'm0', timestampsMs: [], values: [] },
        { id: 'm2', timestampsMs: [T, Number.NaN], values: [Number.NaN, 5] },
        { id: 'zz', timestampsMs: [T], values: [1] },
      ]),
    ).toEqual([]);
  });
});

describe('toResourceStatus', () => {
  it('scrubs FailureReason (user text), flattens and bounds it', () => {
    const status = toResourceStatus('TrainingJob', {
      status: 'Failed',
      secondaryStatus: 'Failed',
      failureReason: `AlgorithmError: token=hf_abcdefghijklmnopqrstuvwxyzABCDEFGH\n\n${'y'.repeat(2_000)}`,
    });
    expect(status.failureReason).not.toContain('hf_abcdefghijklmnopqrstuvwxyz');
    expect(status.failureReason).toContain('[REDACTED:');
    expect(status.failureReason).not.toContain('\n');
    expect(status.failureReason?.length).toBe(MAX_FAILURE_REASON_CHARS);
    expect(status).toMatchObject({ kind: 'TrainingJob', status: 'Failed', secondaryStatus: 'Failed' });
  });

  it('keeps instance counts and leaves absent fields out', () => {
    expect(
      toResourceStatus('Endpoint', { status: 'InService', currentInstances: 0, desiredInstances: 2 }),
    ).toEqual({
      kind: 'Endpoint',
      status: 'InService',
      currentInstances: 0,
      desiredInstances: 2,
    });
  });
});

describe('toHostsSeen', () => {
  it('counts distinct hosts, this one included', () => {
    expect(toHostsSeen(['j/algo-1', 'j/algo-1', 'j/algo-2'], 'j/algo-3')).toEqual({ count: 3 });
    expect(toHostsSeen([], 'j/algo-3')).toEqual({ count: 1 });
  });

  it('says "at least" once the bound is reached', () => {
    const hosts = Array.from({ length: MAX_TRACKED_HOSTS }, (_, i) => `j/algo-${i}`);
    expect(toHostsSeen(hosts, 'j/algo-0')).toEqual({ count: MAX_TRACKED_HOSTS, atLeast: true });
  });
});

describe('scrubAlertContext', () => {
  it('scrubs the failure reason again, and leaves a context without one as it is', () => {
    const base: AlertContext = { version: 1, startMs: 0, endMs: MINUTE };
    expect(scrubAlertContext(base)).toBe(base);
    const scrubbed = scrubAlertContext({
      ...base,
      status: { kind: 'ProcessingJob', status: 'Failed', failureReason: 'key AKIAZ7Q2M4X9C3V8B1N5' },
    });
    expect(scrubbed.status?.failureReason).toBe('key [REDACTED:aws-access-key-id]');
  });
});
