import { describe, expect, it } from 'vitest';
import { replayDeliveries } from '../../../cli/replay.ts';
import { renderIncidents, renderReplaySummary, summarizeReplay } from '../../../cli/replay-summary.ts';
import type { DetectedIncident } from '../../../lib/incidents/index.ts';
import { makeDelivery } from '../../helpers/deliveries.ts';

const START = Date.now() - 30 * 60_000;
const TRAINING = '/aws/sagemaker/TrainingJobs';
const ENDPOINT = '/aws/sagemaker/Endpoints/prod';
const OOM = 'RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB';
const ACCESS = (status: number) =>
  `10.0.0.1 - - [26/Nov/2026:09:30:00 +0000] "POST /invocations HTTP/1.1" ${status} 12 "-" "AHC/2.0"`;

async function replay(nowMs = START) {
  return replayDeliveries(
    [
      makeDelivery(TRAINING, 'job/algo-2-1764148443', ['epoch 1 loss=0.5', OOM], nowMs),
      makeDelivery(
        TRAINING,
        'job/algo-1-1764148443',
        ['epoch 1 loss=0.4', 'epoch 2 loss=0.3', OOM],
        nowMs + 1000,
      ),
      makeDelivery(TRAINING, 'job/algo-1-1764148443', ['WARNING: low disk'], nowMs + 10_000),
      makeDelivery(
        ENDPOINT,
        'AllTraffic/i-0a1b2c3d4e5f60718/model',
        [ACCESS(200), ACCESS(503), ACCESS(200)],
        nowMs,
      ),
      makeDelivery('/aws/sagemaker/Something', 'x', ['hello'], nowMs),
    ],
    {
      config: {
        detail: 'host',
        namespace: 'Test/Replay',
        suppressionWindowMs: 15 * 60_000,
        region: 'us-east-1',
        metricDefinitions: [],
      },
      publish: async () => [],
    },
  );
}

describe('summarizeReplay', () => {
  it('folds deliveries into one row per stream, ordered by group and stream, with totals', async () => {
    const { reports } = await replay();
    const summary = summarizeReplay(reports);
    expect(summary.streams.map((row) => [row.logGroup, row.logStream, row.deliveries, row.events])).toEqual([
      ['/aws/sagemaker/Endpoints/prod', 'AllTraffic/i-0a1b2c3d4e5f60718/model', 1, 3],
      ['/aws/sagemaker/Something', 'x', 1, 1],
      [TRAINING, 'job/algo-1-1764148443', 2, 4],
      [TRAINING, 'job/algo-2-1764148443', 1, 2],
    ]);
    const algo1 = summary.streams[2];
    expect(algo1).toMatchObject({
      resourceType: 'TrainingJob',
      resourceName: 'job',
      instance: 'algo-1',
      host: 'job/algo-1',
      errors: 1,
      errorsByCategory: { cuda_oom: 1 },
    });
    expect(algo1?.trainingMetrics.loss).toEqual({ count: 2, last: 0.3 });
    expect(summary.streams[0]).toMatchObject({ container: 'model', httpStatus: { '200': 2, '503': 1 } });
    expect(summary.streams[1]?.resourceName).toBeUndefined();
    // The 503 is an invocation error; the OOM on algo-1 repeats algo-2's inside the window.
    expect(summary.totals).toEqual({
      streams: 4,
      deliveries: 5,
      events: 10,
      bytes: summary.streams.reduce((n, row) => n + row.bytes, 0),
      errors: 3,
      warnings: 1,
      outOfWindow: 0,
      incidents: 2,
      suppressed: 1,
    });
    expect(summary.streams.map((row) => [row.incidents, row.suppressed])).toEqual([
      [1, 0],
      [0, 0],
      [0, 1],
      [1, 0],
    ]);
  });

  it('counts events that were outside the metric window', async () => {
    const { reports } = await replay();
    const processed = reports[0]?.processed;
    if (processed) processed.stats.outOfWindow = 2;
    const summary = summarizeReplay(reports);
    expect(summary.totals.outOfWindow).toBe(2);
    expect(renderReplaySummary(summary).join('\n')).toContain(
      "2 events were outside CloudWatch's metric window",
    );
  });
});

describe('renderReplaySummary', () => {
  it('renders the table, totals, HTTP statuses and training metrics', async () => {
    const text = renderReplaySummary(summarizeReplay((await replay()).reports)).join('\n');
    expect(text).toMatch(
      /^Resource +Instance +Container +Events +Errors +Warnings +Incidents +Error categories$/m,
    );
    expect(text).toMatch(/^TrainingJob job +algo-1 +4 +1 +1 +0 +cuda_oom 1$/m);
    expect(text).toMatch(/^Endpoint prod +i-0a1b2c3d4e5f60718 +model +3 +/m);
    expect(text).toContain('10 events (');
    expect(text).toContain(
      'in 4 streams, 5 deliveries: 3 errors, 1 warnings, 2 incidents to send, 1 suppressed',
    );
    expect(text).toContain('HTTP status: 200×2, 503×1');
    expect(text).toMatch(/Training metrics: .*loss \(3 values, last 0\.\d\)/);
    expect(text).not.toContain('outside');
  });

  it('leaves out HTTP and metrics lines when there are none', () => {
    const text = renderReplaySummary({
      streams: [],
      totals: {
        streams: 0,
        deliveries: 0,
        events: 0,
        bytes: 0,
        errors: 0,
        warnings: 0,
        outOfWindow: 0,
        incidents: 0,
        suppressed: 0,
      },
    }).join('\n');
    expect(text).not.toContain('HTTP status');
    expect(text).not.toContain('Training metrics');
  });
});

describe('renderIncidents', () => {
  it('renders each incident as its email, with what was suppressed before it', async () => {
    const sent = (await replay()).reports.flatMap((report) => report.alerts.sent);
    const first = sent[0] as { incident: DetectedIncident; suppressedBefore: number };
    const lines = renderIncidents([first, { ...first, suppressedBefore: 4 }]);
    expect(lines[0]).toMatch(/^Subject: \[sagewatch\]\[critical\] cuda_oom in TrainingJob job/);
    expect(lines.filter((line) => line.startsWith('Subject: '))).toHaveLength(2);
    const second = lines.slice(lines.indexOf('', 1) + 1).join('\n');
    expect(second).toMatch(/4 .*suppressed|suppressed.* 4/i);
    expect(lines.slice(0, lines.indexOf('', 1)).join('\n')).not.toMatch(/suppressed/i);
    expect(
      lines.every((line) => line === '' || line.startsWith('Subject: ') || line.startsWith('  | ')),
    ).toBe(true);
  });
});
