import type { Incident } from '../../../lib/incidents/types.ts';
import type { Category, ClassifiedEvent, LogSource, Severity } from '../../../lib/types.ts';

/** Builders for incident tests: sources, classified events and incidents made by hand. */

export const T0 = Date.UTC(2024, 2, 20, 5, 50, 51);

export const TRAINING: LogSource = {
  resourceType: 'TrainingJob',
  resourceName: 'my-job',
  instance: 'algo-3',
  host: 'my-job/algo-3',
  startedAt: 1_710_913_851,
  logGroup: '/aws/sagemaker/TrainingJobs',
  logStream: 'my-job/algo-3-1710913851',
};

export const ENDPOINT: LogSource = {
  resourceType: 'Endpoint',
  resourceName: 'my-endpoint',
  variantName: 'AllTraffic',
  instance: 'i-0abc123def4567890',
  host: 'my-endpoint/AllTraffic/i-0abc123def4567890',
  logGroup: '/aws/sagemaker/Endpoints/my-endpoint',
  logStream: 'AllTraffic/i-0abc123def4567890',
};

/** A line and what the classifier said about it (info/none when only text is given). */
export type Line = string | readonly [message: string, severity: Severity, category: Category];

/** Classified events, one per line, `stepMs` apart from `startMs`, ids `e0`, `e1`, ... */
export function classified(lines: readonly Line[], startMs = T0, stepMs = 5): ClassifiedEvent[] {
  return lines.map((line, i) => {
    const [message, severity, category] = typeof line === 'string' ? [line, 'info', 'none'] : line;
    return {
      event: { id: `e${i}`, timestamp: startMs + i * stepMs, message },
      classification: { severity, category },
    } as ClassifiedEvent;
  });
}

/** A complete incident with plausible values; override what the test is about. */
export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    schemaVersion: 1,
    fingerprint: '0123456789abcdef',
    severity: 'critical',
    category: 'cuda_oom',
    title: 'CUDA out of memory in training job my-job (algo-3)',
    headline: 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
    resourceType: 'TrainingJob',
    resourceName: 'my-job',
    host: 'my-job/algo-3',
    instance: 'algo-3',
    logGroup: '/aws/sagemaker/TrainingJobs',
    logStream: 'my-job/algo-3-1710913851',
    count: 2,
    firstSeenMs: T0,
    lastSeenMs: T0 + 2_000,
    eventIds: ['e1', 'e2', 'e3'],
    context: [
      'Traceback (most recent call last):',
      '  File "/opt/ml/code/train.py", line 42, in <module>',
      '    loss.backward()',
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
    ],
    truncated: false,
    consoleUrl: 'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups',
    ...overrides,
  };
}
