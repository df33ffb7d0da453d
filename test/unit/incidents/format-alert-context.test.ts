import { describe, expect, it } from 'vitest';
import type { AlertContext, MetricFigure } from '../../../lib/incidents/alert-context.ts';
import {
  describeFigure,
  describeHosts,
  describeMissing,
  describeStatus,
  figureLabel,
  formatContextLines,
  formatMetricValue,
  toSlackContextParts,
} from '../../../lib/incidents/format-alert-context.ts';
import { formatEmail } from '../../../lib/incidents/format-email.ts';
import { formatJson } from '../../../lib/incidents/format-json.ts';
import { escapeMrkdwn, formatSlack } from '../../../lib/incidents/format-slack.ts';
import { parseIncident } from '../../../lib/incidents/parse-incident.ts';
import type { Incident } from '../../../lib/incidents/types.ts';

const START = Date.UTC(2026, 2, 2, 9, 56);
const END = Date.UTC(2026, 2, 2, 10, 6);

const figure = (overrides: Partial<MetricFigure>): MetricFigure => ({
  namespace: '/aws/sagemaker/TrainingJobs',
  metricName: 'GPUMemoryUtilization',
  dimensions: { Host: 'llama/algo-3' },
  stat: 'Maximum',
  unit: 'Percent',
  max: 99.5,
  last: 97.25,
  lastAtMs: END - 60_000,
  points: 10,
  ...overrides,
});

const CONTEXT: AlertContext = {
  version: 1,
  startMs: START,
  endMs: END,
  status: {
    kind: 'TrainingJob',
    status: 'Failed',
    secondaryStatus: 'Failed',
    failureReason: 'AlgorithmError: CUDA out of memory <rank 3>',
  },
  metrics: [figure({}), figure({ metricName: 'GPUUtilization', max: 312, last: 0 })],
  hosts: { count: 6 },
};

const INCIDENT: Incident = {
  schemaVersion: 1,
  fingerprint: '68cd5b711c6ec740',
  severity: 'critical',
  category: 'cuda_oom',
  title: 'CUDA out of memory in training job llama (algo-3)',
  headline: 'torch.OutOfMemoryError: CUDA out of memory.',
  resourceType: 'TrainingJob',
  resourceName: 'llama',
  host: 'llama/algo-3',
  instance: 'algo-3',
  logGroup: '/aws/sagemaker/TrainingJobs',
  logStream: 'llama/algo-3-1772445600',
  count: 1,
  firstSeenMs: END - 90_000,
  lastSeenMs: END - 30_000,
  eventIds: ['1'],
  context: ['torch.OutOfMemoryError: CUDA out of memory.'],
  truncated: false,
  alertContext: CONTEXT,
};

describe('figures', () => {
  it('shows each unit the way people read it', () => {
    expect(formatMetricValue(98.75, 'Percent')).toBe('98.8%');
    expect(formatMetricValue(12_345, 'Microseconds')).toBe('12.3 ms');
    expect(formatMetricValue(1234, 'None')).toBe('1,234');
  });

  it('sums, maxima and averages in a few numbers', () => {
    expect(describeFigure(figure({}), 10)).toBe('max 99.5%, last 97.3%');
    expect(describeFigure(figure({ stat: 'Sum', unit: 'None', total: 42, max: 12, last: 3 }), 10)).toBe(
      '42 in 10 min, max 12/min, last 3',
    );
    expect(
      describeFigure(figure({ stat: 'Average', unit: 'Microseconds', max: 90_000, last: 45_000 }), 10),
    ).toBe('max 90 ms, last 45 ms (1-min averages)');
  });

  it('labels a per-variant instance metric, not an invocation metric or a host metric', () => {
    const variant = { EndpointName: 'e', VariantName: 'v' };
    expect(
      figureLabel(
        figure({ namespace: '/aws/sagemaker/Endpoints', metricName: 'CPUUtilization', dimensions: variant }),
      ),
    ).toBe('CPUUtilization (variant)');
    expect(
      figureLabel(figure({ namespace: 'AWS/SageMaker', metricName: 'ModelLatency', dimensions: variant })),
    ).toBe('ModelLatency');
    expect(figureLabel(figure({}))).toBe('GPUMemoryUtilization');
  });

  it('status: secondary status only when it says more; an endpoint its instances', () => {
    expect(describeStatus({ kind: 'TrainingJob', status: 'InProgress', secondaryStatus: 'Training' })).toBe(
      'InProgress (Training)',
    );
    expect(describeStatus({ kind: 'TrainingJob', status: 'Failed', secondaryStatus: 'Failed' })).toBe(
      'Failed',
    );
    expect(
      describeStatus({ kind: 'Endpoint', status: 'InService', currentInstances: 1, desiredInstances: 2 }),
    ).toBe('InService, 1 of 2 instances');
  });

  it('hosts: "algo-3 and 5 other hosts", nothing for one host', () => {
    expect(describeHosts('algo-3', { count: 6 })).toBe('algo-3 and 5 other hosts');
    expect(describeHosts('algo-3', { count: 2 })).toBe('algo-3 and 1 other host');
    expect(describeHosts(undefined, { count: 100, atLeast: true })).toBe('this host and 99+ other hosts');
    expect(describeHosts('algo-3', { count: 1 })).toBeUndefined();
    expect(describeHosts('algo-3', undefined)).toBeUndefined();
  });

  it('what was left out, in one line', () => {
    expect(describeMissing({ version: 1, startMs: 0, endMs: 1 })).toBeUndefined();
    expect(
      describeMissing({
        version: 1,
        startMs: 0,
        endMs: 1,
        missing: [
          { part: 'metrics', reason: 'timeout' },
          { part: 'status', reason: 'error' },
        ],
      }),
    ).toBe('Left out: SageMaker metrics not read in time; status could not be read.');
  });
});

describe('email', () => {
  it('a few aligned lines under a heading with the window', () => {
    expect(formatContextLines(CONTEXT, INCIDENT)).toEqual([
      'SageMaker, 09:56–10:06 UTC:',
      '  Training job status:  Failed',
      '  FailureReason:        AlgorithmError: CUDA out of memory <rank 3>',
      '  GPUMemoryUtilization: max 99.5%, last 97.3%',
      '  GPUUtilization:       max 312%, last 0%',
      '  Same failure:         on algo-3 and 5 other hosts in this alert window',
    ]);
  });

  it('nothing to show: no lines; only a missing part: the heading and that line', () => {
    expect(formatContextLines({ version: 1, startMs: START, endMs: END }, INCIDENT)).toEqual([]);
    expect(
      formatContextLines(
        { version: 1, startMs: START, endMs: END, missing: [{ part: 'metrics', reason: 'timeout' }] },
        INCIDENT,
      ),
    ).toEqual(['SageMaker, 09:56–10:06 UTC:', '  Left out: SageMaker metrics not read in time.']);
  });

  it('sits in the email body before the log lines', () => {
    const { body } = formatEmail(INCIDENT);
    const at = body.indexOf('SageMaker, 09:56–10:06 UTC:');
    expect(at).toBeGreaterThan(body.indexOf('Occurrences:'));
    expect(at).toBeLessThan(body.indexOf('Log lines:'));
  });
});

const { alertContext: _unused, ...withoutContext } = INCIDENT;

describe('Slack', () => {
  it('a section of figures and a context line for the failure reason and what is missing', () => {
    const parts = toSlackContextParts(
      { ...CONTEXT, missing: [{ part: 'hosts', reason: 'error' }] },
      INCIDENT,
      escapeMrkdwn,
    );
    expect(parts.heading).toBe('*SageMaker, 09:56–10:06 UTC*');
    expect(parts.fields).toEqual([
      '*Training job status*\nFailed',
      '*GPUMemoryUtilization*\nmax 99.5%, last 97.3%',
      '*GPUUtilization*\nmax 312%, last 0%',
      '*Same failure*\non algo-3 and 5 other hosts in this alert window',
    ]);
    expect(parts.notes).toEqual([
      '*FailureReason:* AlgorithmError: CUDA out of memory &lt;rank 3&gt;',
      ':hourglass: Left out: other hosts could not be read.',
    ]);
  });

  it('in the message: after the fields, before the log lines; notes alone carry the heading', () => {
    const message = formatSlack(INCIDENT);
    expect(message.blocks[2]).toMatchObject({
      type: 'section',
      text: { text: '*SageMaker, 09:56–10:06 UTC*' },
    });
    expect(message.blocks[3]).toMatchObject({ type: 'context' });
    const onlyMissing = formatSlack({
      ...INCIDENT,
      alertContext: {
        version: 1,
        startMs: START,
        endMs: END,
        missing: [{ part: 'status', reason: 'timeout' }],
      },
    });
    expect(onlyMissing.blocks[2]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: '*SageMaker, 09:56–10:06 UTC*: :hourglass: Left out: status not read in time.',
        },
      ],
    });
    expect(
      formatSlack({ ...INCIDENT, alertContext: { version: 1, startMs: START, endMs: END } }).blocks,
    ).toEqual(formatSlack(withoutContext).blocks);
  });
});

describe('JSON', () => {
  it('writes alertContext last and reads it back', () => {
    const json = formatJson(INCIDENT);
    expect(Object.keys(JSON.parse(json)).at(-1)).toBe('alertContext');
    const parsed = parseIncident(json);
    expect(parsed.ok && parsed.incident.alertContext).toEqual(CONTEXT);
  });

  it('drops a context of another version (or shape) and keeps the incident', () => {
    const json = JSON.parse(formatJson(INCIDENT));
    const parsed = parseIncident(JSON.stringify({ ...json, alertContext: { version: 2, anything: true } }));
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.incident.alertContext).toBeUndefined();
    expect(parsed.ok && parsed.incident.fingerprint).toBe(INCIDENT.fingerprint);
  });
});
