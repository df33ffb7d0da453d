/**
 * delivery=kinesis against moto: the subscriber puts sagewatch's filter on the stream (with the
 * writer role) and back on the function without touching a foreign filter; CloudWatch Logs (moto)
 * writes each PutLogEvents call as a record on the stream; the records are read back, handed to the
 * real process-logs handler in Lambda's Kinesis event shape, and what it counts is checked: per-record
 * failure and the retry from it, duplicates, and `sagewatch replay --pointer` reading a failed batch
 * back from the stream.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeSubscriptionFiltersCommand,
  PutLogEventsCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createKinesisClient, readShardRange } from '../../lib/aws/kinesis-records.ts';
import { createLogsClient, reconcileLogGroups } from '../../lib/aws/log-groups.ts';
import { readSubscriptionConfig } from '../../lib/subscriptions/config.ts';
import { expandEmf } from '../helpers/emf-expand.ts';
import { captureOutput, fakeContext } from '../helpers/lambda-harness.ts';
import { createMotoFunction, createSuppressionTable, motoClientConfig, resetMoto } from './moto.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = resolve(ROOT, 'bin/sagewatch.ts');
const ACCOUNT = '123456789012';
const PROCESSOR = 'sagewatch-it-process-logs';
const PROCESSOR_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${PROCESSOR}`;
const FOREIGN_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:datadog-forwarder`;
const STREAM = 'sagewatch-it-logs';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/sagewatch-it-logs-writer`;
const FILTER = 'sagewatch-it';
const TABLE = 'sagewatch-it-kinesis-suppression';
const TRAINING = '/aws/sagemaker/TrainingJobs';
const SHARED = '/aws/sagemaker/Endpoints/shared-with-datadog';
const JOB = 'bert-kin-2026-12-04';

const logs: CloudWatchLogsClient = createLogsClient(motoClientConfig());
const kinesis: KinesisClient = createKinesisClient(motoClientConfig());
let streamArn = '';
let shardId = '';

/** One Kinesis record as Lambda hands it to the function. */
interface LambdaRecord {
  eventSource: 'aws:kinesis';
  eventID: string;
  eventSourceARN: string;
  kinesis: {
    data: string;
    sequenceNumber: string;
    partitionKey: string;
    approximateArrivalTimestamp: number;
  };
}

/** Every record of the shard from `after` (exclusive) on, in Lambda's event shape. */
async function readAsLambdaRecords(after?: string): Promise<LambdaRecord[]> {
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({
      StreamARN: streamArn,
      ShardId: shardId,
      ...(after === undefined
        ? { ShardIteratorType: 'TRIM_HORIZON' }
        : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after }),
    }),
  );
  const page = await kinesis.send(new GetRecordsCommand({ ShardIterator, StreamARN: streamArn }));
  return (page.Records ?? []).map((record) => ({
    eventSource: 'aws:kinesis',
    eventID: `${shardId}:${record.SequenceNumber}`,
    eventSourceARN: streamArn,
    kinesis: {
      data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
      sequenceNumber: record.SequenceNumber ?? '',
      partitionKey: record.PartitionKey ?? '',
      approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? 0) / 1000,
    },
  }));
}

/** The last sequence number on the shard now (records put after it are the next test's). */
async function lastSequence(): Promise<string | undefined> {
  return (await readAsLambdaRecords()).at(-1)?.kinesis.sequenceNumber;
}

/** One PutLogEvents call: CloudWatch Logs (moto) writes it to the stream as one delivery. */
async function putLogEvents(logStreamName: string, messages: readonly string[], startMs: number) {
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: TRAINING,
      logStreamName,
      logEvents: messages.map((message, i) => ({ timestamp: startMs + i * 1000, message })),
    }),
  );
}

const LOSS = ["{'loss': 0.52, 'epoch': 1.0}", 'step 100/1000', "{'loss': 0.48, 'epoch': 1.1}"];
const OOM = [
  'Traceback (most recent call last):',
  '  File "/opt/ml/code/train.py", line 12, in <module>',
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
];

let output: ReturnType<typeof captureOutput>;

afterEach(() => {
  output?.restore();
  vi.unstubAllEnvs();
});

/** A cold start of the real handler pointed at moto (table; a topic only when given). */
async function coldHandler(topicArn = '') {
  vi.resetModules();
  const env = {
    AWS_ENDPOINT_URL: inject('motoEndpoint'),
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    ALERTS_TOPIC_ARN: topicArn,
    SUPPRESSION_TABLE: TABLE,
    METRICS_DETAIL: 'host',
    METRIC_DEFINITIONS: '',
    ALERT_CONTEXT: 'false',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const { handler } = await import('../../functions/process-logs.ts');
  return (records: readonly LambdaRecord[]) =>
    handler({ Records: records }, fakeContext()) as Promise<{
      batchItemFailures: { itemIdentifier: string }[];
    }>;
}

/** The derived EMF documents among the captured lines (the processor's own carry `service`). */
function derivedDocuments(): string[] {
  return output
    .lines()
    .filter((line) => '_aws' in line && !('service' in line))
    .map((line) => JSON.stringify(line));
}

/** The total of a counter per host across documents, as CloudWatch sums it. */
function perHost(documents: readonly string[], metric: string): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [key, values] of expandEmf(documents)) {
    const [, name, , dimensions] = JSON.parse(key) as [string, string, string, [string, string][]];
    const host = dimensions.find(([dimension]) => dimension === 'Host')?.[1];
    if (name !== metric || host === undefined || dimensions.length !== 2) continue;
    totals[host] = (totals[host] ?? 0) + values.reduce((sum, value) => sum + value, 0);
  }
  return totals;
}

function processorCount(name: string): number {
  return output
    .lines()
    .filter((line) => 'service' in line && name in line)
    .reduce((sum, line) => sum + Number(line[name]), 0);
}

beforeAll(async () => {
  await resetMoto();
  await createMotoFunction(PROCESSOR);
  await createMotoFunction('datadog-forwarder');
  await kinesis.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
  const described = await kinesis.send(new DescribeStreamCommand({ StreamName: STREAM }));
  streamArn = described.StreamDescription?.StreamARN ?? '';
  shardId = described.StreamDescription?.Shards?.[0]?.ShardId ?? '';
  for (const logGroupName of [TRAINING, SHARED]) await logs.send(new CreateLogGroupCommand({ logGroupName }));
  for (const host of ['algo-1', 'algo-2', 'algo-3'])
    await logs.send(
      new CreateLogStreamCommand({ logGroupName: TRAINING, logStreamName: `${JOB}/${host}-1764842400` }),
    );
  await createSuppressionTable(new DynamoDBClient(motoClientConfig()), TABLE);
});

describe('delivery=kinesis against moto', () => {
  const streamConfig = () =>
    readSubscriptionConfig({
      PROCESSOR_FUNCTION_ARN: PROCESSOR_ARN,
      SUBSCRIPTION_FILTER_NAME: FILTER,
      DELIVERY_STREAM_ARN: streamArn,
      DELIVERY_ROLE_ARN: ROLE_ARN,
    });
  const filtersOf = async (logGroupName: string) =>
    (await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName }))).subscriptionFilters ?? [];

  it('moves every sagewatch filter from the function to the stream, with the role, and no foreign one', async () => {
    const deadlineMs = Date.now() + 600_000;
    // delivery=direct first, on the training group.
    const trainingOnly = readSubscriptionConfig({
      PROCESSOR_FUNCTION_ARN: PROCESSOR_ARN,
      SUBSCRIPTION_FILTER_NAME: FILTER,
      INCLUDE_PATTERNS: TRAINING,
    });
    await reconcileLogGroups({ logs, config: trainingOnly, deadlineMs });
    expect((await filtersOf(TRAINING)).map((f) => f.destinationArn)).toEqual([PROCESSOR_ARN]);
    await logs.send(
      new PutSubscriptionFilterCommand({
        logGroupName: SHARED,
        filterName: 'datadog',
        filterPattern: '',
        destinationArn: FOREIGN_ARN,
      }),
    );

    // delivery=kinesis: ours is moved to the stream, or put next to the foreign filter.
    const outcomes = await reconcileLogGroups({ logs, config: streamConfig(), deadlineMs });
    expect(Object.fromEntries(outcomes.map((outcome) => [outcome.logGroupName, outcome.outcome]))).toEqual({
      [TRAINING]: 'updated',
      [SHARED]: 'subscribed',
    });
    for (const group of [TRAINING, SHARED]) {
      const ours = (await filtersOf(group)).find((filter) => filter.filterName === FILTER);
      expect(ours).toMatchObject({ destinationArn: streamArn, roleArn: ROLE_ARN });
    }
    expect((await filtersOf(SHARED)).find((filter) => filter.filterName === 'datadog')).toMatchObject({
      destinationArn: FOREIGN_ARN,
    });
    // Once moved, a reconcile has nothing to do.
    const again = await reconcileLogGroups({ logs, config: streamConfig(), deadlineMs });
    expect(again.map((outcome) => outcome.outcome)).toEqual(['already-subscribed', 'already-subscribed']);
  });

  it('hands the records CloudWatch Logs wrote to process-logs in the Kinesis shape: merged metrics, one alert', async () => {
    const start = Date.now() - 120_000;
    await putLogEvents(`${JOB}/algo-1-1764842400`, LOSS, start);
    await putLogEvents(`${JOB}/algo-2-1764842400`, LOSS, start);
    await putLogEvents(`${JOB}/algo-1-1764842400`, LOSS, start + 10_000);
    await putLogEvents(`${JOB}/algo-3-1764842400`, OOM, start + 20_000);
    const records = await readAsLambdaRecords();
    expect(records).toHaveLength(4);

    output = captureOutput();
    const invoke = await coldHandler();
    expect(await invoke(records)).toEqual({ batchItemFailures: [] });
    const documents = derivedDocuments();
    expect(perHost(documents, 'LogEvents')).toEqual({
      [`${JOB}/algo-1`]: 6,
      [`${JOB}/algo-2`]: 3,
      [`${JOB}/algo-3`]: 3,
    });
    const incidents = output.lines().filter((line) => line.message === 'incident');
    expect(incidents).toHaveLength(1);

    // The same batch again (Lambda retried after a timeout): nothing is counted or alerted twice.
    output.restore();
    output = captureOutput();
    expect(await invoke(records)).toEqual({ batchItemFailures: [] });
    expect(perHost(derivedDocuments(), 'LogEvents')).toEqual({});
    expect(output.lines().filter((line) => line.message === 'incident')).toHaveLength(0);
    expect(processorCount('DuplicateDeliveries')).toBe(4);
  });

  it('reports the first failing record only; the retry from it counts every delivery once', async () => {
    const after = await lastSequence();
    const start = Date.now() - 120_000;
    await putLogEvents(`${JOB}/algo-1-1764842400`, LOSS, start + 30_000);
    // A failure no earlier test alerted: its alert cannot be published while the topic is missing.
    await putLogEvents(
      `${JOB}/algo-2-1764842400`,
      [...OOM.slice(0, 2), 'RuntimeError: NCCL error: unhandled system error'],
      start + 30_000,
    );
    await putLogEvents(`${JOB}/algo-3-1764842400`, LOSS, start + 40_000);
    const records = await readAsLambdaRecords(after);
    expect(records).toHaveLength(3);

    const sns = new SNSClient(motoClientConfig());
    const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:sagewatch-it-kinesis-alerts`;
    output = captureOutput();
    const invoke = await coldHandler(topicArn);
    const failing = records[1]?.kinesis.sequenceNumber as string;
    expect(await invoke(records)).toEqual({ batchItemFailures: [{ itemIdentifier: failing }] });
    const first = derivedDocuments();
    expect(perHost(first, 'LogEvents')).toEqual({ [`${JOB}/algo-1`]: 3 });

    // The topic appears; Lambda retries from the failing record onward.
    await sns.send(new CreateTopicCommand({ Name: 'sagewatch-it-kinesis-alerts' }));
    output.restore();
    output = captureOutput();
    expect(await invoke(records.slice(1))).toEqual({ batchItemFailures: [] });
    expect(perHost(derivedDocuments(), 'LogEvents')).toEqual({ [`${JOB}/algo-2`]: 3, [`${JOB}/algo-3`]: 3 });
    expect(processorCount('DuplicateDeliveries')).toBe(0);
  });

  it('counts a delivery the producer wrote twice once, and skips a record that is not a delivery', async () => {
    const after = await lastSequence();
    await putLogEvents(`${JOB}/algo-1-1764842400`, LOSS, Date.now() - 60_000);
    const [written] = await readAsLambdaRecords(after);
    // At least once: the same delivery put again, and a record no subscription filter wrote.
    const data = Buffer.from(written?.kinesis.data ?? '', 'base64');
    await kinesis.send(new PutRecordCommand({ StreamARN: streamArn, PartitionKey: 'again', Data: data }));
    await kinesis.send(
      new PutRecordCommand({
        StreamARN: streamArn,
        PartitionKey: 'junk',
        Data: Buffer.from('not a delivery'),
      }),
    );
    const records = await readAsLambdaRecords(after);
    expect(records).toHaveLength(3);
    output = captureOutput();
    const invoke = await coldHandler();
    expect(await invoke(records)).toEqual({ batchItemFailures: [] });
    expect(perHost(derivedDocuments(), 'LogEvents')).toEqual({ [`${JOB}/algo-1`]: 3 });
    expect(processorCount('DuplicateDeliveries')).toBe(1);
    expect(processorCount('UndecodableRecords')).toBe(1);
  });

  it('sagewatch replay --pointer reads a failed batch back from the stream', async () => {
    const records = await readAsLambdaRecords();
    const from = records[0]?.kinesis.sequenceNumber as string;
    const to = records[3]?.kinesis.sequenceNumber as string;
    // What the shard reader returns for that range: the four records of the second test.
    const range = { streamArn, shardId, fromSequence: from, toSequence: to };
    expect((await readShardRange(kinesis, range)).map((record) => record.sequenceNumber)).toEqual(
      records.slice(0, 4).map((record) => record.kinesis.sequenceNumber),
    );

    const workDir = mkdtempSync(join(tmpdir(), 'sagewatch-kinesis-'));
    const pointer = join(workDir, 'pointer.json');
    writeFileSync(
      pointer,
      JSON.stringify({
        version: '1.0',
        requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 4 },
        KinesisBatchInfo: {
          shardId,
          startSequenceNumber: from,
          endSequenceNumber: to,
          batchSize: 4,
          streamArn,
        },
      }),
    );
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((ok, fail) => {
      const child = spawn(process.execPath, [CLI, 'replay', '--pointer', pointer, '--json'], {
        cwd: workDir,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: workDir,
          AWS_ENDPOINT_URL: motoClientConfig().endpoint,
          AWS_ACCESS_KEY_ID: 'testing',
          AWS_SECRET_ACCESS_KEY: 'testing',
          AWS_REGION: 'us-east-1',
          AWS_CONFIG_FILE: join(workDir, 'no-config'),
          AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-credentials'),
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.once('error', fail);
      child.once('close', (code) => ok({ code, stdout, stderr }));
      child.stdin.end();
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const replay = JSON.parse(result.stdout) as {
      input: { kind: string; records: number; events: number };
      summary: { totals: { events: number; deliveries: number } };
      incidents: { headline: string }[];
    };
    expect(replay.input).toMatchObject({ kind: 'stream', records: 4, events: 12 });
    expect(replay.summary.totals.events).toBe(12);
    expect(replay.incidents).toHaveLength(1);
  });

  it('moves the filters back to the function when delivery is direct again', async () => {
    // moto refuses any PutSubscriptionFilter on a group that holds two filters, even one updating a
    // filter already there (CloudWatch Logs allows that): the way back is shown where ours is alone.
    const trainingOnly = readSubscriptionConfig({
      PROCESSOR_FUNCTION_ARN: PROCESSOR_ARN,
      SUBSCRIPTION_FILTER_NAME: FILTER,
      INCLUDE_PATTERNS: TRAINING,
    });
    const outcomes = await reconcileLogGroups({
      logs,
      config: trainingOnly,
      deadlineMs: Date.now() + 600_000,
    });
    expect(outcomes.find((outcome) => outcome.logGroupName === TRAINING)?.outcome).toBe('updated');
    expect(await filtersOf(TRAINING)).toEqual([
      expect.objectContaining({ filterName: FILTER, destinationArn: PROCESSOR_ARN }),
    ]);
    expect((await filtersOf(SHARED)).map((filter) => filter.filterName).sort()).toEqual(['datadog', FILTER]);
  });
});
