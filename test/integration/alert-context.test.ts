import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateTrainingJobCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { formatSlack } from '../../lib/incidents/format-slack.ts';
import { type Incident, parseIncident } from '../../lib/incidents/index.ts';
import type { LogsDelivery } from '../../lib/types.ts';
import { toSubscriptionEvent } from '../helpers/deliveries.ts';
import { captureOutput, fakeContext } from '../helpers/lambda-harness.ts';
import { createSuppressionTable, motoClientConfig, resetMoto, subscribeQueue } from './moto.ts';

/*
 * End to end against moto: SageMaker's own metrics put with PutMetricData in SageMaker's namespaces
 * and shapes (`/aws/sagemaker/TrainingJobs` with `Host`; `AWS/SageMaker` with EndpointName and
 * VariantName), a training job and an endpoint created in moto's SageMaker, and the real
 * process-logs handler: each alert it publishes carries the context it read (JSON, email text),
 * and the Slack rendering of the JSON incident shows it too.
 */

const TABLE = 'sagewatch-suppression-context';
const JOB = 'llama-ft-2026-11-26-09-14-03-512';
const ENDPOINT = 'fraud-pipeline-prod';
const MINUTE_MS = 60_000;
/** Where the rendered alerts are written for people to read (git-ignored). */
const OUT = resolve(import.meta.dirname, '../../.sagewatch/alert-context');

interface SampleDelivery {
  logGroup: string;
  logStream: string;
  events: Array<{ offsetSeconds: number; message: string }>;
}

const samples = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../samples/deliveries.json'), 'utf8'),
) as SampleDelivery[];
const sample = (prefix: string) => samples.find((s) => s.logStream.startsWith(prefix)) as SampleDelivery;

let nextEventId = 39_000_000_000_000n;

/** A delivery of a sample whose last event is `lastMs`. */
function toDelivery(source: SampleDelivery, lastMs: number): LogsDelivery {
  const lastOffset = Math.max(...source.events.map((event) => event.offsetSeconds));
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: source.logGroup,
    logStream: source.logStream,
    subscriptionFilters: ['sagewatch'],
    logEvents: source.events.map((event) => ({
      id: String(nextEventId++),
      timestamp: lastMs - (lastOffset - event.offsetSeconds) * 1000,
      message: event.message,
    })),
  };
}

const minute = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

describe('alert context: process-logs reads SageMaker metrics and status from moto', () => {
  const config = motoClientConfig();
  const cloudwatch = new CloudWatchClient(config);
  const sagemaker = new SageMakerClient(config);
  const dynamodb = new DynamoDBClient(config);
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  let topicArn = '';
  let jsonQueue = '';
  let textQueue = '';
  // The failure happened 30 s ago; SageMaker's per-minute points cover the minutes before it.
  const nowMs = Date.now();
  const lastSeenMs = nowMs - 30_000;

  beforeAll(async () => {
    await resetMoto();
    await createSuppressionTable(dynamodb, TABLE);
    ({ TopicArn: topicArn = '' } = await sns.send(
      new CreateTopicCommand({ Name: 'sagewatch-alerts-context' }),
    ));
    const raw = { FilterPolicyScope: 'MessageAttributes', RawMessageDelivery: 'true' };
    jsonQueue = await subscribeQueue(sns, sqs, topicArn, 'context-json', {
      ...raw,
      FilterPolicy: JSON.stringify({ format: ['json'] }),
    });
    textQueue = await subscribeQueue(sns, sqs, topicArn, 'context-text', {
      ...raw,
      FilterPolicy: JSON.stringify({ format: ['text'] }),
    });

    await sagemaker.send(
      new CreateTrainingJobCommand({
        TrainingJobName: JOB,
        RoleArn: 'arn:aws:iam::123456789012:role/sagemaker-it',
        AlgorithmSpecification: {
          TrainingImage: '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3-gpu-py311',
          TrainingInputMode: 'File',
        },
        OutputDataConfig: { S3OutputPath: 's3://ml-artifacts/llama-ft/' },
        ResourceConfig: { InstanceType: 'ml.g5.12xlarge', InstanceCount: 4, VolumeSizeInGB: 100 },
        StoppingCondition: { MaxRuntimeInSeconds: 86_400 },
      }),
    );
    await sagemaker.send(
      new CreateModelCommand({
        ModelName: `${ENDPOINT}-model`,
        ExecutionRoleArn: 'arn:aws:iam::123456789012:role/sagemaker-it',
        PrimaryContainer: { Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:latest' },
      }),
    );
    await sagemaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: `${ENDPOINT}-config`,
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: `${ENDPOINT}-model`,
            InstanceType: 'ml.m5.xlarge',
            InitialInstanceCount: 2,
            InitialVariantWeight: 1,
          },
        ],
      }),
    );
    await sagemaker.send(
      new CreateEndpointCommand({ EndpointName: ENDPOINT, EndpointConfigName: `${ENDPOINT}-config` }),
    );

    // Instance metrics as SageMaker publishes them: namespace per resource kind, dimension Host.
    const minutesBefore = [5, 4, 3, 2, 1, 0].map((m) => new Date(minute(lastSeenMs) - m * MINUTE_MS + 5_000));
    const gpuMemory = [61.5, 74, 88.25, 97.5, 99.75, 98];
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: '/aws/sagemaker/TrainingJobs',
        MetricData: minutesBefore.flatMap((Timestamp, i) => [
          {
            MetricName: 'GPUMemoryUtilization',
            Dimensions: [{ Name: 'Host', Value: `${JOB}/algo-3` }],
            Timestamp,
            Value: (gpuMemory[i] as number) * 4,
            Unit: 'Percent',
          },
          {
            MetricName: 'GPUUtilization',
            Dimensions: [{ Name: 'Host', Value: `${JOB}/algo-3` }],
            Timestamp,
            Value: 310 + i,
            Unit: 'Percent',
          },
          // Another host's figures must not be mixed in.
          {
            MetricName: 'GPUMemoryUtilization',
            Dimensions: [{ Name: 'Host', Value: `${JOB}/algo-1` }],
            Timestamp,
            Value: 12,
            Unit: 'Percent',
          },
        ]),
      }),
    );
    // Endpoint instance metrics per variant (EndpointName + VariantName).
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: '/aws/sagemaker/Endpoints',
        MetricData: minutesBefore.map((Timestamp, i) => ({
          MetricName: 'CPUUtilization',
          Dimensions: [
            { Name: 'EndpointName', Value: ENDPOINT },
            { Name: 'VariantName', Value: 'AllTraffic' },
          ],
          Timestamp,
          Value: 150 + i * 10,
          Unit: 'Percent' as const,
        })),
      }),
    );
    // Invocation metrics: AWS/SageMaker is reserved for AWS; moto lets the test stand in for it.
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/SageMaker',
        MetricData: minutesBefore.flatMap((Timestamp, i) => {
          const Dimensions = [
            { Name: 'EndpointName', Value: ENDPOINT },
            { Name: 'VariantName', Value: 'AllTraffic' },
          ];
          return [
            { MetricName: 'Invocation5XXErrors', Dimensions, Timestamp, Value: i * 2, Unit: 'None' as const },
            { MetricName: 'Invocations', Dimensions, Timestamp, Value: 100, Unit: 'None' as const },
            {
              MetricName: 'ModelLatency',
              Dimensions,
              Timestamp,
              Value: 40_000 + i * 10_000,
              Unit: 'Microseconds' as const,
            },
          ];
        }),
      }),
    );
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  async function coldHandler(env: Record<string, string> = {}) {
    vi.resetModules();
    const base = {
      AWS_ENDPOINT_URL: inject('motoEndpoint'),
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      ALERTS_TOPIC_ARN: topicArn,
      SUPPRESSION_TABLE: TABLE,
      SUPPRESSION_WINDOW_MINUTES: '15',
      METRICS_DETAIL: '',
      METRIC_DEFINITIONS: '',
      ALERT_CONTEXT: '',
      ALERT_CONTEXT_BUDGET_MS: '5000',
    };
    for (const [name, value] of Object.entries({ ...base, ...env })) vi.stubEnv(name, value);
    const { handler } = await import('../../functions/process-logs.ts');
    return handler;
  }

  async function receive(queueUrl: string): Promise<string[]> {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    return Messages.map((message) => message.Body ?? '');
  }

  it('sends the CUDA OOM of algo-3 with its host GPU memory, GPU use and the described job', async () => {
    const handler = await coldHandler();
    const output = captureOutput();
    try {
      await handler(toSubscriptionEvent(toDelivery(sample(`${JOB}/algo-3-`), lastSeenMs)), fakeContext());
    } finally {
      output.restore();
    }
    const [json = ''] = await receive(jsonQueue);
    const [email = ''] = await receive(textQueue);
    const parsed = parseIncident(json);
    expect(parsed.ok).toBe(true);
    const incident = (parsed as { incident: Incident }).incident;
    expect(incident.category).toBe('cuda_oom');
    const context = incident.alertContext;
    expect(context?.version).toBe(1);
    expect(context?.missing).toBeUndefined();
    // moto's DescribeTrainingJob answers Completed for a created job (no FailureReason).
    expect(context?.status).toEqual({
      kind: 'TrainingJob',
      status: 'Completed',
      secondaryStatus: 'Completed',
    });
    const byName = new Map(context?.metrics?.map((figure) => [figure.metricName, figure]));
    expect(byName.get('GPUMemoryUtilization')).toMatchObject({
      namespace: '/aws/sagemaker/TrainingJobs',
      dimensions: { Host: `${JOB}/algo-3` },
      stat: 'Maximum',
      max: 399,
      last: 392,
      points: 6,
    });
    expect(byName.get('GPUUtilization')).toMatchObject({ max: 315, last: 315 });
    expect(context?.hosts).toEqual({ count: 1 });

    expect(email).toContain('GPUMemoryUtilization: max 399%, last 392%');
    expect(email).toContain('Training job status:  Completed');
    const slack = formatSlack(incident);
    const fields = slack.blocks.flatMap((block) =>
      block.type === 'section' ? (block.fields ?? []).map((field) => field.text) : [],
    );
    expect(fields).toContain('*GPUMemoryUtilization*\nmax 399%, last 392%');

    mkdirSync(OUT, { recursive: true });
    writeFileSync(resolve(OUT, 'training-email.txt'), email);
    writeFileSync(resolve(OUT, 'training-slack.json'), JSON.stringify(slack, null, 2));
    writeFileSync(resolve(OUT, 'training-incident.json'), JSON.stringify(JSON.parse(json), null, 2));
  });

  it('sends an endpoint alert with the variant 5XX errors, model latency and endpoint status', async () => {
    const handler = await coldHandler();
    const output = captureOutput();
    try {
      await handler(
        toSubscriptionEvent(toDelivery(sample('AllTraffic/i-0a1b2c3d4e5f60718/model'), lastSeenMs)),
        fakeContext(),
      );
    } finally {
      output.restore();
    }
    const incidents = (await receive(jsonQueue)).map(
      (body) => (parseIncident(body) as { incident: Incident }).incident,
    );
    const emails = await receive(textQueue);
    expect(incidents.length).toBeGreaterThan(0);
    for (const incident of incidents) {
      const context = incident.alertContext;
      expect(context?.status).toMatchObject({ kind: 'Endpoint', status: 'InService' });
      const byName = new Map(context?.metrics?.map((figure) => [figure.metricName, figure]));
      expect(byName.get('Invocation5XXErrors')).toMatchObject({
        namespace: 'AWS/SageMaker',
        dimensions: { EndpointName: ENDPOINT, VariantName: 'AllTraffic' },
        stat: 'Sum',
        total: 30,
        max: 10,
        last: 10,
      });
      expect(byName.get('ModelLatency')).toMatchObject({ stat: 'Average', max: 90_000, last: 90_000 });
    }
    expect(emails.every((email) => email.includes('ModelLatency:'))).toBe(true);
    expect(emails.join('\n')).toMatch(/ {2}Invocation5XXErrors: +30 in 10 min, max 10\/min, last 10\n/);
    expect(emails.join('\n')).toMatch(/ {2}CPUUtilization \(variant\): max 200%, last 200%\n/);
    mkdirSync(OUT, { recursive: true });
    writeFileSync(resolve(OUT, 'endpoint-email.txt'), emails[0] ?? '');
    writeFileSync(
      resolve(OUT, 'endpoint-slack.json'),
      JSON.stringify(formatSlack(incidents[0] as Incident), null, 2),
    );
  });

  it('records each host that reports the same failure in the open suppression window', async () => {
    const handler = await coldHandler({ ALERT_CONTEXT: 'false', SUPPRESSION_WINDOW_MINUTES: '1' });
    const output = captureOutput();
    try {
      // Another stream of the job, same failure: suppressed inside the open window, host recorded.
      const algo1 = sample(`${JOB}/algo-3-`);
      await handler(
        toSubscriptionEvent(
          toDelivery({ ...algo1, logStream: `${JOB}/algo-1-1764148443` }, lastSeenMs + 1000),
        ),
        fakeContext(),
      );
    } finally {
      output.restore();
    }
    const { Items } = await dynamodb.send(new ScanCommand({ TableName: TABLE }));
    const window = Items?.find((item) => item.pk?.S?.startsWith('fp#') && item.hosts?.SS?.length === 2);
    expect(window?.hosts?.SS?.sort()).toEqual([`${JOB}/algo-1`, `${JOB}/algo-3`]);
    const fingerprint = window?.pk?.S ?? '';
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: fingerprint } } }),
    );
    expect(Number(Item?.suppressed?.N)).toBeGreaterThan(0);
  });
});
