import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSqsFlushScheduler } from '../../lib/aws/flush-queue.ts';
import { createTableSuppressionStore } from '../../lib/aws/suppression-table.ts';
import type { DetectedIncident } from '../../lib/incidents/index.ts';
import { createDeliveryProcessor } from '../../lib/processor/delivery-processor.ts';
import {
  createHeldFlusher,
  type FlushRequest,
  HOLD_SECONDS,
  parseFlushRequest,
} from '../../lib/processor/held-tails.ts';
import { makeDelivery } from '../helpers/deliveries.ts';
import { createSuppressionTable, motoClientConfig, resetMoto } from './moto.ts';

/*
 * One traceback, one alert, across deliveries, on the real adapters: the suppression table
 * (DynamoDB) holds the cut traceback, the flush queue (SQS) carries the flush. The flush message
 * is sent with DelaySeconds = HOLD_SECONDS; the tests read it at once from a second queue that
 * receives the same message without delay.
 */

const GROUP = '/aws/sagemaker/TrainingJobs';
const CONFIG = {
  detail: 'host' as const,
  namespace: 'SageMaker/Logs',
  suppressionWindowMs: 15 * 60_000,
  region: 'us-east-1',
  metricDefinitions: [],
};
const NOW = Date.now();
const PART_1 = [
  'step 10 loss=0.5',
  'Traceback (most recent call last):',
  '  File "/opt/ml/code/train.py", line 88, in <module>',
];
const PART_2 = [
  '    trainer.train()',
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 72.00 MiB',
  'step 11 loss=0.4',
];

let dynamodb: DynamoDBClient;
let sqs: SQSClient;
let table: string;
let delayedQueue: string;
let immediateQueue: string;

beforeAll(async () => {
  await resetMoto();
  dynamodb = new DynamoDBClient(motoClientConfig());
  sqs = new SQSClient(motoClientConfig());
  table = 'sagewatch-held-suppression';
  await createSuppressionTable(dynamodb, table);
  delayedQueue =
    (await sqs.send(new CreateQueueCommand({ QueueName: 'sagewatch-test-flush' }))).QueueUrl ?? '';
  immediateQueue =
    (await sqs.send(new CreateQueueCommand({ QueueName: 'sagewatch-test-flush-now' }))).QueueUrl ?? '';
});

function setup() {
  const store = createTableSuppressionStore(dynamodb, table);
  const sent: DetectedIncident[] = [];
  const publish = async (alerts: readonly { incident: DetectedIncident }[]) => {
    for (const { incident } of alerts) sent.push(incident);
    return [];
  };
  const delayed = createSqsFlushScheduler(sqs, delayedQueue);
  const immediate = createSqsFlushScheduler(sqs, immediateQueue);
  const delays: number[] = [];
  const scheduleFlush = async (request: FlushRequest, delaySeconds: number) => {
    delays.push(delaySeconds);
    await delayed(request, delaySeconds);
    await immediate(request, 0);
  };
  return {
    sent,
    delays,
    process: createDeliveryProcessor(CONFIG, { store, publish, writeEmf: () => {}, scheduleFlush }),
    flush: createHeldFlusher(CONFIG, { store, publish }),
  };
}

async function receiveFlushes(): Promise<FlushRequest[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: immediateQueue, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  return Messages.map((message) => parseFlushRequest(message.Body ?? '')).filter(
    (request): request is FlushRequest => request !== undefined,
  );
}

describe('held tracebacks on DynamoDB and SQS (moto)', () => {
  it('completes a traceback cut between two deliveries into one alert; the flush then sends nothing', async () => {
    const { sent, delays, process, flush } = setup();
    const stream = 'job-a/algo-1-1772445600';
    await process(makeDelivery(GROUP, stream, PART_1, NOW - 60_000), NOW);
    expect(sent).toEqual([]);
    expect(delays).toEqual([HOLD_SECONDS]);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: delayedQueue,
        AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
      }),
    );
    expect(Number(Attributes?.ApproximateNumberOfMessagesDelayed)).toBe(1);

    await process(makeDelivery(GROUP, stream, PART_2, NOW - 57_000), NOW + 3_000);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ category: 'cuda_oom', truncated: false });
    expect(sent[0]?.eventIds).toHaveLength(4);

    const [request] = await receiveFlushes();
    expect(request).toMatchObject({ logGroup: GROUP, logStream: stream });
    expect(await flush(request as FlushRequest, NOW + 20_000)).toBeUndefined();
    // Redeliveries of both parts change nothing.
    await process(makeDelivery(GROUP, stream, PART_1, NOW - 60_000), NOW + 30_000);
    await process(makeDelivery(GROUP, stream, PART_2, NOW - 57_000), NOW + 31_000);
    expect(sent).toHaveLength(1);
    expect(await receiveFlushes()).toEqual([]);
  });

  it('sends the held part as it is when no delivery comes, once, even if the flush is delivered twice', async () => {
    const { sent, process, flush } = setup();
    const stream = 'job-b/algo-1-1772445600';
    await process(makeDelivery(GROUP, stream, PART_1, NOW - 60_000), NOW);
    const [request] = await receiveFlushes();
    const outcome = await flush(request as FlushRequest, NOW + 20_000);
    expect(outcome?.sent).toHaveLength(1);
    expect(sent).toMatchObject([{ truncated: true, category: 'python_exception' }]);
    expect((await flush(request as FlushRequest, NOW + 21_000))?.sent).toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('lets exactly one of a completing delivery and a flush have the held part', async () => {
    const { sent, process, flush } = setup();
    const stream = 'job-c/algo-1-1772445600';
    await process(makeDelivery(GROUP, stream, PART_1, NOW - 60_000), NOW);
    const [request] = await receiveFlushes();
    await Promise.all([
      process(makeDelivery(GROUP, stream, PART_2, NOW - 57_000), NOW + 20_000),
      flush(request as FlushRequest, NOW + 20_000),
    ]);
    // Either the completed traceback, or the held part as it is and the rest on its own.
    const completed = sent.filter((incident) => !incident.truncated && incident.eventIds.length === 4);
    const flushed = sent.filter((incident) => incident.truncated);
    expect(completed.length + flushed.length).toBe(1);
    expect(
      sent.flatMap((incident) => incident.eventIds).filter((id, i, all) => all.indexOf(id) !== i),
    ).toEqual([]);
  });
});
