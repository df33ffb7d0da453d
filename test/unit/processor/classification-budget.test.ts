import { describe, expect, it, vi } from 'vitest';
import { classifyMessage } from '../../../lib/classify/index.ts';
import { MetricNames } from '../../../lib/metrics/aggregate.ts';
import {
  BudgetWatch,
  CHECK_EVERY_CHARS,
  CHECK_EVERY_EVENTS,
  DEFAULT_CLASSIFICATION_BUDGET_CAP_MS,
  toClassificationBudget,
} from '../../../lib/processor/classification-budget.ts';
import {
  createDeliveryProcessor,
  describeReport,
  isNotable,
} from '../../../lib/processor/delivery-processor.ts';
import { processDelivery } from '../../../lib/processor/process-delivery.ts';
import { createMemorySuppressionStore } from '../../../lib/processor/suppression.ts';
import type { Classification } from '../../../lib/types.ts';
import { makeDelivery } from '../../helpers/deliveries.ts';

const NOW = Date.UTC(2026, 2, 2, 10, 0, 0);

/** A clock that advances `stepMs` each time it is read. */
function steppingClock(stepMs: number, startMs = 0) {
  let time = startMs;
  const now = vi.fn(() => {
    const reading = time;
    time += stepMs;
    return reading;
  });
  return now;
}

describe('toClassificationBudget', () => {
  it('allows half the remaining time, at most the cap', () => {
    const now = () => 1_000;
    expect(toClassificationBudget(60_000, 20_000, now).deadlineMs).toBe(21_000);
    expect(toClassificationBudget(10_000, 20_000, now).deadlineMs).toBe(6_000);
    expect(toClassificationBudget(-5, 20_000, now).deadlineMs).toBe(1_000);
  });

  it('is capped by the default when no cap is configured', () => {
    const now = () => 0;
    expect(toClassificationBudget(900_000, undefined, now).deadlineMs).toBe(
      DEFAULT_CLASSIFICATION_BUDGET_CAP_MS,
    );
    expect(toClassificationBudget(10_000, undefined, now).deadlineMs).toBe(5_000);
  });
});

describe('BudgetWatch', () => {
  it('without a budget, allows everything and reads no clock', () => {
    const watch = new BudgetWatch(undefined);
    for (let i = 0; i < 1000; i++) expect(watch.allows(100_000)).toBe(true);
  });

  it('reads the clock on the first event, then once per CHECK_EVERY_EVENTS short events', () => {
    const now = vi.fn(() => 0);
    const watch = new BudgetWatch({ now, deadlineMs: 1 });
    for (let i = 0; i < CHECK_EVERY_EVENTS * 10 + 1; i++) watch.allows(10);
    expect(now).toHaveBeenCalledTimes(11);
  });

  it('reads it sooner when the events are long', () => {
    const now = vi.fn(() => 0);
    const watch = new BudgetWatch({ now, deadlineMs: 1 });
    for (let i = 0; i < 10; i++) watch.allows(CHECK_EVERY_CHARS);
    expect(now).toHaveBeenCalledTimes(10);
  });

  it('stops at the deadline and stays stopped', () => {
    const now = vi.fn(() => 0);
    const watch = new BudgetWatch({ now, deadlineMs: 100 });
    expect(watch.allows(1)).toBe(true);
    now.mockReturnValue(100);
    const allowed = Array.from({ length: CHECK_EVERY_EVENTS * 2 }, () => watch.allows(1));
    expect(allowed.filter(Boolean).length).toBe(CHECK_EVERY_EVENTS - 1);
    now.mockReturnValue(0);
    expect(watch.allows(1)).toBe(false);
  });
});

describe('processDelivery with a classification budget', () => {
  const lines = Array.from({ length: 100 }, (_, i) =>
    i % 2 === 0 ? 'RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB' : `step ${i} loss: 0.5`,
  );

  it('classifies every event while the budget lasts', () => {
    const delivery = makeDelivery(
      '/aws/sagemaker/TrainingJobs',
      'job/algo-1-1772445600',
      lines,
      NOW - 60_000,
    );
    const now = steppingClock(1);
    const processed = processDelivery(delivery, {
      classify: classifyMessage,
      detail: 'host',
      nowMs: NOW,
      budget: { now, deadlineMs: 1_000_000 },
    });
    expect(processed.stats.classificationSkipped).toBe(0);
    expect(processed.stats.errors).toBe(50);
    // The clock is read once per CHECK_EVERY_EVENTS events, not per event.
    expect(now.mock.calls.length).toBeLessThanOrEqual(Math.ceil(100 / CHECK_EVERY_EVENTS) + 1);
  });

  it('counts the events past the deadline without classifying them, and says how many', () => {
    const delivery = makeDelivery(
      '/aws/sagemaker/TrainingJobs',
      'job/algo-1-1772445600',
      lines,
      NOW - 60_000,
    );
    const classify = vi.fn((message: string): Classification => classifyMessage(message));
    // Each reading moves 10 ms: the third reading (event 32) is past a deadline of 15 ms.
    const processed = processDelivery(delivery, {
      classify,
      detail: 'host',
      nowMs: NOW,
      budget: { now: steppingClock(10), deadlineMs: 15 },
    });
    const classifiedCount = 2 * CHECK_EVERY_EVENTS;
    expect(classify).toHaveBeenCalledTimes(classifiedCount);
    expect(processed.stats.events).toBe(100);
    expect(processed.stats.classificationSkipped).toBe(100 - classifiedCount);
    expect(processed.stats.errors).toBe(classifiedCount / 2);
    // Every event is still in LogEvents and LogBytes; the skipped ones in ClassificationSkipped.
    const sums = processed.metrics.buckets().flatMap((bucket) => [...bucket.sums]);
    const total = (name: string) =>
      sums.filter(([metric]) => metric === name).reduce((sum, [, { value }]) => sum + value, 0);
    const dimensionSets = processed.metrics
      .buckets()
      .filter((bucket) => bucket.sums.has(MetricNames.logEvents));
    expect(total(MetricNames.logEvents)).toBe(
      100 * new Set(dimensionSets.map((b) => JSON.stringify(b.dimensions))).size,
    );
    expect(total(MetricNames.classificationSkipped)).toBe(100 - classifiedCount);
    expect(processed.classified).toHaveLength(100);
    expect(processed.classified[99]?.classification).toEqual({ severity: 'info', category: 'none' });
  });

  it('classifies nothing when the budget is spent before the delivery starts', () => {
    const delivery = makeDelivery(
      '/aws/sagemaker/TrainingJobs',
      'job/algo-1-1772445600',
      lines,
      NOW - 60_000,
    );
    const classify = vi.fn(classifyMessage);
    const processed = processDelivery(delivery, {
      classify,
      detail: 'host',
      nowMs: NOW,
      budget: { now: () => 50, deadlineMs: 50 },
    });
    expect(classify).not.toHaveBeenCalled();
    expect(processed.stats.classificationSkipped).toBe(100);
    expect(processed.stats.events).toBe(100);
  });
});

describe('createDeliveryProcessor with a classification budget', () => {
  const CONFIG = {
    detail: 'host' as const,
    namespace: 'SageMaker/Logs',
    suppressionWindowMs: 15 * 60_000,
    region: 'us-east-1',
    metricDefinitions: [],
  };
  const LINES = ['RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB', 'step 1 loss: 0.5'];

  async function run(budget?: { now: () => number; deadlineMs: number }) {
    const written: string[] = [];
    const process = createDeliveryProcessor(CONFIG, {
      store: createMemorySuppressionStore(),
      publish: async () => [],
      writeEmf: (document) => written.push(document),
    });
    const delivery = makeDelivery(
      '/aws/sagemaker/TrainingJobs',
      'job/algo-1-1772445600',
      LINES,
      NOW - 60_000,
    );
    const report = await process(delivery, NOW, budget ? { budget } : undefined);
    return { report, written };
  }

  it('once spent, counts the events, classifies none, completes and says so', async () => {
    const { report, written } = await run({ now: () => 50, deadlineMs: 50 });
    expect(report.processed.stats).toMatchObject({ events: 2, errors: 0, classificationSkipped: 2 });
    expect(report.alerts.sent).toEqual([]);
    expect(isNotable(report)).toBe(true);
    expect(describeReport(report)).toMatchObject({ stats: { classificationSkipped: 2 } });
    const documents = written.map((json) => JSON.parse(json) as Record<string, unknown>);
    expect(documents.some((document) => document[MetricNames.classificationSkipped] === 2)).toBe(true);
    expect(documents.some((document) => document[MetricNames.logEvents] === 2)).toBe(true);
  });

  it('classifies everything while the budget lasts, and without one', async () => {
    for (const budget of [{ now: () => 0, deadlineMs: 1_000 }, undefined]) {
      const { report, written } = await run(budget);
      expect(report.processed.stats).toMatchObject({ events: 2, errors: 1, classificationSkipped: 0 });
      expect(written.join('\n')).not.toContain(MetricNames.classificationSkipped);
    }
  });
});
