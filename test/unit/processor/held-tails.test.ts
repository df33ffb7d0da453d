import { describe, expect, it, vi } from 'vitest';
import type { DetectedIncident } from '../../../lib/incidents/index.ts';
import { parseOperatorRules } from '../../../lib/operator-rules/index.ts';
import type { AlertToSend } from '../../../lib/processor/alerting.ts';
import { createDeliveryProcessor } from '../../../lib/processor/delivery-processor.ts';
import {
  createHeldFlusher,
  type FlushRequest,
  fitsHeld,
  HOLD_SECONDS,
  MAX_HELD_BYTES,
  parseFlushRequest,
  toStreamKey,
} from '../../../lib/processor/held-tails.ts';
import { createMemorySuppressionStore } from '../../../lib/processor/suppression.ts';
import type { LogsDelivery } from '../../../lib/types.ts';

const NOW = Date.UTC(2026, 10, 26, 10, 0, 0);
const GROUP = '/aws/sagemaker/TrainingJobs';
const STREAM = 'job/algo-1-1764148442';
const CONFIG = {
  detail: 'host' as const,
  namespace: 'SageMaker/Logs',
  suppressionWindowMs: 15 * 60_000,
  region: 'us-east-1',
  metricDefinitions: [],
};

const PART_1 = [
  "{'loss': 0.5, 'epoch': 1.0}",
  'Traceback (most recent call last):',
  '  File "/opt/ml/code/train.py", line 88, in <module>',
  '    trainer.train()',
];
const PART_2 = [
  '  File "/opt/conda/lib/python3.10/site-packages/torch/_tensor.py", line 522, in backward',
  '    torch.autograd.backward(self, gradient)',
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 72.00 MiB',
  "{'loss': 0.4, 'epoch': 1.1}",
];

function delivery(messages: readonly string[], first: number, startMs: number): LogsDelivery {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: GROUP,
    logStream: STREAM,
    subscriptionFilters: ['sagewatch'],
    logEvents: messages.map((message, i) => ({
      id: String(first + i).padStart(56, '0'),
      timestamp: startMs + i * 1000,
      message,
    })),
  };
}

function setup(config: Parameters<typeof createDeliveryProcessor>[0] = CONFIG) {
  const store = createMemorySuppressionStore();
  const sent: DetectedIncident[] = [];
  const publish = vi.fn(async (alerts: readonly AlertToSend<DetectedIncident>[]) => {
    for (const { incident } of alerts) sent.push(incident);
    return [];
  });
  const flushes: { request: FlushRequest; delaySeconds: number }[] = [];
  const scheduleFlush = vi.fn(async (request: FlushRequest, delaySeconds: number) => {
    flushes.push({ request, delaySeconds });
  });
  const io = { store, publish, writeEmf: () => {}, scheduleFlush };
  return {
    sent,
    flushes,
    scheduleFlush,
    store,
    process: createDeliveryProcessor(config, io),
    flush: createHeldFlusher(config, io),
  };
}

const first = delivery(PART_1, 1, NOW - 60_000);
const second = delivery(PART_2, 5, NOW - 56_000);

describe('one traceback, one alert, across deliveries', () => {
  it('holds a traceback cut at the end of a delivery and completes it with the next one', async () => {
    const { sent, flushes, process, flush } = setup();
    const report = await process(first, NOW);
    expect(report).toMatchObject({ held: 3, completed: 0 });
    expect(sent).toEqual([]);
    expect(flushes).toHaveLength(1);
    expect(flushes[0]?.delaySeconds).toBe(HOLD_SECONDS);
    expect(flushes[0]?.request).toMatchObject({ logGroup: GROUP, logStream: STREAM, owner: '123456789012' });

    expect(await process(second, NOW + 4_000)).toMatchObject({ held: 0, completed: 3 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      category: 'cuda_oom',
      headline: 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 72.00 MiB',
      truncated: false,
    });
    expect(sent[0]?.eventIds).toHaveLength(6);
    expect(sent[0]?.context[0]).toBe('Traceback (most recent call last):');
    // The flush that comes later finds it completed.
    expect(await flush(flushes[0]?.request as FlushRequest, NOW + 20_000)).toBeUndefined();
    expect(sent).toHaveLength(1);
  });

  it('changes nothing when either delivery is delivered again', async () => {
    const { sent, flushes, process, flush } = setup();
    await process(first, NOW);
    await process(second, NOW + 4_000);
    expect(await process(first, NOW + 5_000)).toMatchObject({ duplicate: true, held: 3 });
    expect(await process(second, NOW + 6_000)).toMatchObject({ duplicate: true, completed: 3 });
    expect(sent).toHaveLength(1);
    // A redelivery of the first part after completion schedules no second flush.
    expect(flushes).toHaveLength(1);
    expect(await flush(flushes[0]?.request as FlushRequest, NOW + 30_000)).toBeUndefined();
    expect(sent).toHaveLength(1);
  });

  it('sends the held part as it is when no delivery comes, once', async () => {
    const { sent, flushes, process, flush } = setup();
    await process(first, NOW);
    const request = flushes[0]?.request as FlushRequest;
    const outcome = await flush(request, NOW + 20_000);
    expect(outcome?.sent).toHaveLength(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ truncated: true, category: 'python_exception' });
    expect(sent[0]?.headline).toContain('cut before its exception line');
    // A retried flush message: decided before, never sent twice.
    expect((await flush(request, NOW + 21_000))?.duplicates).toHaveLength(1);
    expect(sent).toHaveLength(1);
    // The rest arriving after the flush is alerted as the rest of a traceback, as before.
    await process(second, NOW + 25_000);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ category: 'cuda_oom' });
  });

  it('mutes a flushed traceback as the delivery that held it would have', async () => {
    const operatorRules = parseOperatorRules(
      JSON.stringify({ version: 1, mutes: [{ id: 'quiet-job', resourceName: 'job' }] }),
      'test',
    );
    const { sent, flushes, process, flush } = setup({ ...CONFIG, operatorRules });
    await process(first, NOW);
    const outcome = await flush(flushes[0]?.request as FlushRequest, NOW + 20_000);
    expect(outcome?.sent).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('sends a cut traceback as it is while another of the stream is held', async () => {
    const { sent, process } = setup();
    await process(first, NOW);
    // A delivery that does not continue it (no frame near its start) and ends in a new cut traceback.
    const lines = [
      ...Array.from({ length: 20 }, (_, i) => `epoch ${i}`),
      'Traceback (most recent call last):',
    ];
    await process(delivery(lines, 20, NOW - 50_000), NOW + 1_000);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.truncated).toBe(true);
  });

  it('keeps holding a traceback that goes on over three deliveries', async () => {
    const { sent, flushes, process } = setup();
    await process(first, NOW);
    const middle = delivery(['  File "/x.py", line 2, in f', '    g()'], 10, NOW - 57_000);
    expect(await process(middle, NOW + 2_000)).toMatchObject({ completed: 3, held: 5 });
    expect(sent).toEqual([]);
    expect(flushes).toHaveLength(2);
    await process(delivery(PART_2, 12, NOW - 55_000), NOW + 4_000);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ category: 'cuda_oom', truncated: false });
    expect(sent[0]?.eventIds).toHaveLength(8);
  });

  it('sends a cut traceback too large to hold as it is', async () => {
    const { sent, scheduleFlush, process } = setup();
    const huge = 'x'.repeat(MAX_HELD_BYTES);
    await process(
      delivery(['Traceback (most recent call last):', `  File "a.py", line 1 ${huge}`], 1, NOW - 60_000),
      NOW,
    );
    expect(sent).toHaveLength(1);
    expect(scheduleFlush).not.toHaveBeenCalled();
  });

  it('holds nothing without a flush scheduler (the replay, the eval)', async () => {
    const sent: DetectedIncident[] = [];
    const process = createDeliveryProcessor(CONFIG, {
      store: createMemorySuppressionStore(),
      publish: async (alerts) => {
        for (const { incident } of alerts) sent.push(incident);
        return [];
      },
      writeEmf: () => {},
    });
    expect(await process(first, NOW)).toMatchObject({ held: 0, completed: 0 });
    expect(sent).toMatchObject([{ truncated: true }]);
  });
});

describe('held-tails helpers', () => {
  it('reads a flush message and refuses anything else', () => {
    const request = { logGroup: GROUP, logStream: STREAM, owner: '1', streamKey: 's', occurrenceKey: 'o' };
    expect(parseFlushRequest(JSON.stringify(request))).toEqual(request);
    expect(parseFlushRequest('not json')).toBeUndefined();
    expect(parseFlushRequest('null')).toBeUndefined();
    expect(parseFlushRequest(JSON.stringify({ ...request, owner: 1 }))).toBeUndefined();
    expect(parseFlushRequest(JSON.stringify({ ...request, streamKey: '' }))).toBeUndefined();
  });

  it('keys a stream by group and stream, and bounds what is held', () => {
    expect(toStreamKey('a', 'b')).toMatch(/^[0-9a-f]{32}$/);
    expect(toStreamKey('a', 'b')).not.toBe(toStreamKey('a\nb', ''));
    expect(fitsHeld([{ id: '1', timestamp: 0, message: 'x' }])).toBe(true);
    expect(fitsHeld([{ id: '1', timestamp: 0, message: 'x'.repeat(MAX_HELD_BYTES) }])).toBe(false);
  });
});
