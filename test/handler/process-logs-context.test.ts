import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeEndpointCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { PublishBatchCommand, type PublishBatchCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertContext, Incident } from '../../lib/incidents/index.ts';
import { makeDelivery, toSubscriptionEvent } from '../helpers/deliveries.ts';
import { captureOutput, fakeContext } from '../helpers/lambda-harness.ts';

/*
 * The process-logs handler gathering alert context from mocked CloudWatch and SageMaker: within
 * the budget (fake timers: no assertion depends on the wall clock), concurrently, and never at the
 * cost of the alert: a read that hangs is abandoned when the budget runs out, a read that fails is
 * left out, and either way the alert goes out saying so in one line.
 */

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:sagewatch-alerts';
const JOB = 'llama-ft-2026-03-02';
const BUDGET_MS = 1500;
const NOW = Date.UTC(2026, 2, 2, 10, 30, 0);
const SECRET = 'AKIAZ7Q2M4X9C3V8B1N5';

const CUDA_OOM = [
  'Traceback (most recent call last):',
  '  File "/opt/ml/code/train.py", line 88, in <module>',
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 22.06 GiB total capacity)',
];

type Entry = NonNullable<PublishBatchCommandInput['PublishBatchRequestEntries']>[number];

const sns = mockClient(SNSClient);
const cloudwatch = mockClient(CloudWatchClient);
const sagemaker = mockClient(SageMakerClient);
let output: ReturnType<typeof captureOutput>;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(NOW);
  sns.reset();
  cloudwatch.reset();
  sagemaker.reset();
  sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => ({
    Successful: (input.PublishBatchRequestEntries ?? []).map((entry) => ({ Id: entry.Id, MessageId: 'm' })),
    Failed: [],
  }));
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

async function loadHandler(env: Record<string, string> = {}) {
  vi.resetModules();
  const base = {
    AWS_REGION: 'us-east-1',
    ALERTS_TOPIC_ARN: TOPIC,
    SUPPRESSION_TABLE: '',
    METRICS_DETAIL: '',
    METRIC_DEFINITIONS: '',
    ALERT_CONTEXT: '',
    ALERT_CONTEXT_BUDGET_MS: String(BUDGET_MS),
  };
  for (const [name, value] of Object.entries({ ...base, ...env })) vi.stubEnv(name, value);
  const { handler } = await import('../../functions/process-logs.ts');
  return (event: unknown) => handler(event, fakeContext());
}

const trainingDelivery = (stream = `${JOB}/algo-3-1772445600`) =>
  toSubscriptionEvent(makeDelivery('/aws/sagemaker/TrainingJobs', stream, CUDA_OOM, NOW - 40_000));

/** A GetMetricData answer for every query of the request: a rising series, one point a minute. */
function answerMetrics(): void {
  cloudwatch.on(GetMetricDataCommand).callsFake((input) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((query: { Id: string }) => ({
      Id: query.Id,
      Timestamps: [new Date(NOW - 60_000), new Date(NOW - 120_000), new Date(NOW - 180_000)],
      Values: [99.5, 97, 60],
      StatusCode: 'Complete',
    })),
  }));
}

function answerJob(failureReason?: string): void {
  sagemaker.on(DescribeTrainingJobCommand).resolves({
    TrainingJobStatus: 'Failed',
    SecondaryStatus: 'Failed',
    ...(failureReason === undefined ? {} : { FailureReason: failureReason }),
  });
}

/** A read that never answers (until the budget abandons it). */
const hang = () => new Promise<never>(() => {});

function published(): Entry[] {
  return sns
    .commandCalls(PublishBatchCommand)
    .flatMap((call) => call.args[0].input.PublishBatchRequestEntries ?? []);
}

function jsonIncident(): Incident & { alertContext: AlertContext } {
  const entry = published().find((e) => e.MessageAttributes?.format?.StringValue === 'json');
  return JSON.parse(entry?.Message ?? 'null');
}

function emailBody(): string {
  return published().find((e) => e.MessageAttributes?.format?.StringValue === 'text')?.Message ?? '';
}

describe('process-logs alert context: what it reads', () => {
  it('reads the host metrics (one GetMetricData with every query) and the job, concurrently, and publishes them', async () => {
    answerMetrics();
    answerJob('AlgorithmError: CUDA out of memory, exit code 1');
    const invoke = await loadHandler();
    await invoke(trainingDelivery());

    const calls = cloudwatch.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    const request = calls[0]?.args[0].input;
    expect(
      request?.MetricDataQueries?.map((q) => [
        q.MetricStat?.Metric?.Namespace,
        q.MetricStat?.Metric?.MetricName,
      ]),
    ).toEqual([
      ['/aws/sagemaker/TrainingJobs', 'GPUMemoryUtilization'],
      ['/aws/sagemaker/TrainingJobs', 'GPUUtilization'],
    ]);
    expect(request?.MetricDataQueries?.[0]?.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: 'Host', Value: `${JOB}/algo-3` },
    ]);
    expect(request?.MetricDataQueries?.[0]?.MetricStat?.Period).toBe(60);
    expect(sagemaker.commandCalls(DescribeTrainingJobCommand)[0]?.args[0].input).toEqual({
      TrainingJobName: JOB,
    });

    const context = jsonIncident().alertContext;
    expect(context.version).toBe(1);
    expect(context.status).toEqual({
      kind: 'TrainingJob',
      status: 'Failed',
      secondaryStatus: 'Failed',
      failureReason: 'AlgorithmError: CUDA out of memory, exit code 1',
    });
    expect(context.metrics?.[0]).toMatchObject({
      metricName: 'GPUMemoryUtilization',
      max: 99.5,
      last: 99.5,
      points: 3,
    });
    expect(context.missing).toBeUndefined();
    expect(emailBody()).toContain('  GPUMemoryUtilization: max 99.5%, last 99.5%');
    expect(emailBody()).toContain('  FailureReason:        AlgorithmError: CUDA out of memory, exit code 1');
  });

  it('scrubs a secret out of FailureReason and bounds its length', async () => {
    answerMetrics();
    answerJob(`ClientError: aws_access_key_id=${SECRET} was refused. ${'x'.repeat(5_000)}`);
    const invoke = await loadHandler();
    await invoke(trainingDelivery());
    const reason = jsonIncident().alertContext.status?.failureReason ?? '';
    expect(reason.length).toBeLessThanOrEqual(400);
    expect(reason).toContain('[REDACTED:');
    expect(JSON.stringify(published())).not.toContain(SECRET);
  });

  it('reads the variant invocation metrics and DescribeEndpoint for an endpoint', async () => {
    answerMetrics();
    sagemaker.on(DescribeEndpointCommand).resolves({
      EndpointStatus: 'InService',
      ProductionVariants: [{ VariantName: 'AllTraffic', CurrentInstanceCount: 1, DesiredInstanceCount: 2 }],
    });
    const invoke = await loadHandler();
    await invoke(
      toSubscriptionEvent(
        makeDelivery(
          '/aws/sagemaker/Endpoints/fraud-prod',
          'AllTraffic/i-0a1b2c3d4e5f60718',
          [
            '2026-03-02T10:29:00,000 [WARN ] W-9000-model_1.0 org.pytorch.serve.wlm.WorkerThread - Backend worker process died.',
          ],
          NOW - 40_000,
        ),
      ),
    );
    const queries = cloudwatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries ?? [];
    const names = queries.map(
      (q) => `${q.MetricStat?.Metric?.Namespace} ${q.MetricStat?.Metric?.MetricName}`,
    );
    expect(names).toEqual([
      '/aws/sagemaker/Endpoints CPUUtilization',
      '/aws/sagemaker/Endpoints MemoryUtilization',
      '/aws/sagemaker/Endpoints CPUUtilization',
      '/aws/sagemaker/Endpoints MemoryUtilization',
      'AWS/SageMaker Invocation5XXErrors',
      'AWS/SageMaker Invocations',
      'AWS/SageMaker ModelLatency',
    ]);
    expect(queries[4]?.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: 'EndpointName', Value: 'fraud-prod' },
      { Name: 'VariantName', Value: 'AllTraffic' },
    ]);
    expect(jsonIncident().alertContext.status).toEqual({
      kind: 'Endpoint',
      status: 'InService',
      currentInstances: 1,
      desiredInstances: 2,
    });
  });

  it('reads nothing with ALERT_CONTEXT=false', async () => {
    answerMetrics();
    answerJob();
    const invoke = await loadHandler({ ALERT_CONTEXT: 'false' });
    await invoke(trainingDelivery());
    expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    expect(sagemaker.commandCalls(DescribeTrainingJobCommand)).toHaveLength(0);
    expect(jsonIncident().alertContext).toBeUndefined();
    expect(published()).toHaveLength(2);
  });

  it('reads nothing for an alert that is suppressed', async () => {
    answerMetrics();
    answerJob();
    const invoke = await loadHandler();
    await invoke(trainingDelivery());
    await invoke(trainingDelivery(`${JOB}/algo-1-1772445600`));
    // The second host's occurrence is suppressed in the window: one alert, one read of each kind.
    expect(published()).toHaveLength(2);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    expect(sagemaker.commandCalls(DescribeTrainingJobCommand)).toHaveLength(1);
  });
});

describe('process-logs alert context: other hosts', () => {
  it('counts the hosts whose same failure was decided while the alert gathered its context', async () => {
    // algo-3's metrics answer only once algo-1's delivery (same job, same failure) has been decided.
    let answer = () => {};
    cloudwatch.on(GetMetricDataCommand).callsFake(
      (input) =>
        new Promise((resolve) => {
          answer = () =>
            resolve({
              MetricDataResults: (input.MetricDataQueries ?? []).map((query: { Id: string }) => ({
                Id: query.Id,
                Timestamps: [new Date(NOW - 60_000)],
                Values: [99],
              })),
            });
        }),
    );
    answerJob();
    const invoke = await loadHandler();
    const first = invoke(trainingDelivery());
    await vi.advanceTimersByTimeAsync(0);
    await invoke(trainingDelivery(`${JOB}/algo-1-1772445600`));
    await invoke(trainingDelivery(`${JOB}/algo-2-1772445600`));
    answer();
    await first;
    expect(published()).toHaveLength(2);
    expect(jsonIncident().alertContext.hosts).toEqual({ count: 3 });
    expect(emailBody()).toContain('  Same failure:         on algo-3 and 2 other hosts in this alert window');
  });
});

describe('process-logs alert context: the budget', () => {
  it('a hanging GetMetricData delays the alert by the budget, no more; the alert says what is missing', async () => {
    cloudwatch.on(GetMetricDataCommand).callsFake(hang);
    answerJob();
    const invoke = await loadHandler();
    let done = false;
    const invocation = invoke(trainingDelivery()).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(BUDGET_MS - 1);
    expect(done).toBe(false);
    expect(published()).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await invocation;
    expect(published()).toHaveLength(2);
    const context = jsonIncident().alertContext;
    expect(context.missing).toEqual([{ part: 'metrics', reason: 'timeout' }]);
    expect(context.status?.status).toBe('Failed');
    expect(emailBody()).toContain('  Left out: SageMaker metrics not read in time.');
    // The abandoned request was cancelled through its abort signal.
    const args = cloudwatch.commandCalls(GetMetricDataCommand)[0]?.args as unknown[] | undefined;
    const options = args?.[1] as { abortSignal?: AbortSignal } | undefined;
    expect(options?.abortSignal?.aborted).toBe(true);
  });

  it('every read hanging: the alert goes out at the budget with neither, and one line says so', async () => {
    cloudwatch.on(GetMetricDataCommand).callsFake(hang);
    sagemaker.on(DescribeTrainingJobCommand).callsFake(hang);
    const invoke = await loadHandler();
    const invocation = invoke(trainingDelivery());
    await vi.advanceTimersByTimeAsync(BUDGET_MS);
    await invocation;
    const context = jsonIncident().alertContext;
    expect(context.metrics).toBeUndefined();
    expect(context.status).toBeUndefined();
    expect(context.missing).toEqual([
      { part: 'metrics', reason: 'timeout' },
      { part: 'status', reason: 'timeout' },
    ]);
    expect(emailBody()).toContain('Left out: SageMaker metrics, status not read in time.');
  });

  it('fast reads do not wait for the budget', async () => {
    answerMetrics();
    answerJob();
    const invoke = await loadHandler();
    let done = false;
    const invocation = invoke(trainingDelivery()).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    await invocation;
    expect(done).toBe(true);
    expect(published()).toHaveLength(2);
  });
});

describe('process-logs alert context: failing reads', () => {
  it.each([
    ['GetMetricData', 'metrics'],
    ['DescribeTrainingJob', 'status'],
  ])(
    '%s failing: the alert still goes out, without that part, and the failure is logged',
    async (call, part) => {
      const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
      if (call === 'GetMetricData') {
        cloudwatch.on(GetMetricDataCommand).rejects(denied);
        answerJob();
      } else {
        answerMetrics();
        sagemaker.on(DescribeTrainingJobCommand).rejects(denied);
      }
      const invoke = await loadHandler();
      await invoke(trainingDelivery());
      expect(published()).toHaveLength(2);
      const context = jsonIncident().alertContext;
      expect(context.missing).toEqual([{ part, reason: 'error' }]);
      expect(emailBody()).toMatch(/Left out: .* could not be read\./);
      const warning = output.lines().find((line) => line.message === 'alert context not read');
      expect(warning).toMatchObject({ part, error: 'AccessDeniedException', level: 'WARN' });
    },
  );

  it('both failing: the alert goes out without context figures', async () => {
    cloudwatch.on(GetMetricDataCommand).rejects(new Error('throttled'));
    sagemaker.on(DescribeTrainingJobCommand).rejects(new Error('ValidationException'));
    const invoke = await loadHandler();
    await invoke(trainingDelivery());
    expect(published()).toHaveLength(2);
    expect(jsonIncident().alertContext.missing).toHaveLength(2);
    expect(jsonIncident().headline).toContain('CUDA out of memory');
  });
});
