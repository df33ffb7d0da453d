import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetricBucket } from '../../../lib/metrics/aggregate.ts';
import {
  type EmfDocument,
  type EmfHistogram,
  type EmfValue,
  isInMetricWindow,
  MAX_DOCUMENT_BYTES,
  MAX_FUTURE_MS,
  MAX_METRICS_PER_DIRECTIVE,
  MAX_PAST_MS,
  MAX_VALUES_PER_METRIC,
  NAMESPACE_PATTERN,
  toEmfDocuments,
} from '../../../lib/metrics/emf.ts';
import { valuesOf } from '../../helpers/emf-expand.ts';

const T0 = Date.UTC(2026, 10, 26, 9, 30, 0);

function bucket(partial: Partial<MetricBucket> = {}): MetricBucket {
  return {
    dimensions: { TrainingJobName: 'job', Host: 'job/algo-1' },
    timestampMs: T0,
    sums: new Map([['LogEvents', { unit: 'Count', value: 3 }]]),
    samples: new Map(),
    ...partial,
  };
}

/** Checks one document against the EMF specification's rules. */
function assertValidEmf(json: string): EmfDocument {
  expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
  const doc = JSON.parse(json) as EmfDocument;
  expect(Number.isInteger(doc._aws.Timestamp)).toBe(true);
  for (const directive of doc._aws.CloudWatchMetrics) {
    expect(directive.Metrics.length).toBeLessThanOrEqual(MAX_METRICS_PER_DIRECTIVE);
    expect(directive.Dimensions.length).toBeGreaterThan(0);
    for (const set of directive.Dimensions) {
      expect(set.length).toBeLessThanOrEqual(30);
      for (const name of set) {
        expect(typeof doc[name]).toBe('string');
        expect((doc[name] as string).length).toBeGreaterThan(0);
      }
    }
    for (const metric of directive.Metrics) {
      const value = doc[metric.Name];
      if (Array.isArray(value)) {
        expect(value.length).toBeLessThanOrEqual(MAX_VALUES_PER_METRIC);
        for (const v of value) expect(Number.isFinite(v)).toBe(true);
      } else if (typeof value === 'object' && value !== null) {
        const { Values, Counts } = value as EmfHistogram;
        expect(Values.length).toBeGreaterThan(0);
        expect(Values.length).toBeLessThanOrEqual(MAX_VALUES_PER_METRIC);
        expect(Counts).toHaveLength(Values.length);
        // Throws where the statistic set disagrees with the values and counts.
        for (const v of valuesOf(value as EmfHistogram)) expect(Number.isFinite(v)).toBe(true);
      } else {
        expect(Number.isFinite(value)).toBe(true);
      }
    }
  }
  return doc;
}

describe('toEmfDocuments', () => {
  it('writes one document per minute, stamped with that minute', () => {
    const docs = toEmfDocuments('SageMaker/Logs', [bucket(), bucket({ timestampMs: T0 + 60_000 })], {
      LogStream: 'job/algo-1-1',
    });
    expect(docs).toHaveLength(2);
    const first = assertValidEmf(docs[0] as string);
    expect(first).toEqual({
      _aws: {
        Timestamp: T0,
        CloudWatchMetrics: [
          {
            Namespace: 'SageMaker/Logs',
            Dimensions: [['TrainingJobName', 'Host']],
            Metrics: [{ Name: 'LogEvents', Unit: 'Count' }],
          },
        ],
      },
      LogStream: 'job/algo-1-1',
      TrainingJobName: 'job',
      Host: 'job/algo-1',
      LogEvents: 3,
    });
    expect(assertValidEmf(docs[1] as string)._aws.Timestamp).toBe(T0 + 60_000);
  });

  it('splits value arrays at 100 and keeps every value exactly once', () => {
    const values = Array.from({ length: 250 }, (_, i) => i);
    const docs = toEmfDocuments('ns', [bucket({ samples: new Map([['loss', { unit: 'None', values }]]) })]);
    expect(docs).toHaveLength(3);
    const parsed = docs.map(assertValidEmf);
    expect(parsed.flatMap((d) => (d.loss as number[]) ?? [])).toEqual(values);
    // Sums are emitted once, in the first document only.
    expect(parsed.filter((d) => 'LogEvents' in d)).toHaveLength(1);
  });

  it('writes values that repeat once each, with their counts and statistic set', () => {
    // Integer latencies from an access log repeat; the learning rate is constant between steps.
    const latency = Array.from({ length: 5 }, () => [12, 9, 12, 12, 40, 9, 12, 12, 9, 12, 12, 12]).flat();
    const docs = toEmfDocuments('ns', [
      bucket({
        samples: new Map([
          ['ContainerRequestLatency', { unit: 'Milliseconds', values: latency }],
          ['learning_rate', { unit: 'None', values: Array(17).fill(0.0002) }],
        ]),
      }),
    ]);
    expect(docs).toHaveLength(1);
    const doc = assertValidEmf(docs[0] as string);
    expect(doc.ContainerRequestLatency).toEqual({
      Values: [9, 12, 40],
      Counts: [15, 40, 5],
      Max: 40,
      Min: 9,
      Count: 60,
      Sum: 815,
    });
    expect(doc.learning_rate).toMatchObject({ Values: [0.0002], Counts: [17], Count: 17 });
    expect(valuesOf(doc.ContainerRequestLatency as EmfValue)).toEqual([...latency].sort((a, b) => a - b));
    // The unit is the metric's, whatever shape its value takes.
    expect(doc._aws.CloudWatchMetrics[0]?.Metrics).toContainEqual({
      Name: 'ContainerRequestLatency',
      Unit: 'Milliseconds',
    });
  });

  it('writes plain arrays only when value counts are switched off (EMF_VALUE_COUNTS=false)', () => {
    const values = Array.from({ length: 250 }, (_, i) => 10 + (i % 7));
    const samples = () => new Map([['ContainerRequestLatency', { unit: 'Milliseconds' as const, values }]]);
    const off = toEmfDocuments('ns', [bucket({ samples: samples() })], {}, { valueCounts: false }).map(
      assertValidEmf,
    );
    expect(off).toHaveLength(3);
    expect(off.flatMap((d) => d.ContainerRequestLatency as number[])).toEqual(values);
    const on = toEmfDocuments('ns', [bucket({ samples: samples() })]).map(assertValidEmf);
    expect(on).toHaveLength(1);
    expect(on[0]?.ContainerRequestLatency).toMatchObject({ Values: [10, 11, 12, 13, 14, 15, 16] });
  });

  it('keeps a plain array where values do not repeat, or repeat too little to be shorter', () => {
    const docs = toEmfDocuments('ns', [
      bucket({
        samples: new Map([
          ['loss', { unit: 'None', values: [1.5723, 1.4622, 1.3598] }],
          ['grad_norm', { unit: 'None', values: [0.7512, 0.6512, 0.7512] }],
        ]),
      }),
    ]);
    const doc = assertValidEmf(docs[0] as string);
    expect(doc.loss).toEqual([1.5723, 1.4622, 1.3598]);
    expect(doc.grad_norm).toEqual([0.7512, 0.6512, 0.7512]);
  });

  it('keeps a plain array where the sum of the values would not be a finite number', () => {
    const values = Array(40).fill(Number.MAX_VALUE / 4);
    const doc = assertValidEmf(
      toEmfDocuments('ns', [bucket({ samples: new Map([['x', { unit: 'None', values }]]) })])[0] as string,
    );
    expect(doc.x).toEqual(values);
  });

  it('splits a histogram at 100 distinct values and keeps every value, once', () => {
    // 1,000 values, 250 distinct: three histograms of at most 100 distinct values, in three rounds.
    const values = Array.from({ length: 1_000 }, (_, i) => (i * 7) % 250);
    const docs = toEmfDocuments('ns', [
      bucket({ samples: new Map([['ContainerRequestLatency', { unit: 'Milliseconds', values }]]) }),
    ]);
    const parsed = docs.map(assertValidEmf);
    expect(parsed).toHaveLength(3);
    const histograms = parsed.map((d) => d.ContainerRequestLatency as EmfHistogram);
    expect(histograms.map((h) => h.Values.length)).toEqual([100, 100, 50]);
    expect(histograms.flatMap((h) => valuesOf(h))).toEqual([...values].sort((a, b) => a - b));
    // Sums are emitted once, in the first document only.
    expect(parsed.filter((d) => 'LogEvents' in d)).toHaveLength(1);
  });

  it('keeps every value of any sample, in whichever shape is shorter (property)', () => {
    const value = fc.oneof(
      fc.integer({ min: 0, max: 30 }),
      fc.constantFrom(0.0002, 1e-12, 123456.789, -3.5, 0),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 700 }), (values) => {
        const docs = toEmfDocuments('ns', [
          bucket({ samples: new Map([['ContainerRequestLatency', { unit: 'Milliseconds', values }]]) }),
        ]);
        const written = docs
          .map(assertValidEmf)
          .flatMap((d) => valuesOf(d.ContainerRequestLatency as EmfValue))
          .sort((a, b) => a - b);
        // JSON writes -0 as 0: compare as CloudWatch reads the document.
        expect(written).toEqual(
          values.map((v) => JSON.parse(JSON.stringify(v)) as number).sort((a, b) => a - b),
        );
        const plainBytes = values.reduce((sum, v) => sum + JSON.stringify(v).length + 1, 0);
        const writtenBytes = docs.reduce(
          (sum, d) => sum + JSON.stringify(JSON.parse(d).ContainerRequestLatency).length,
          0,
        );
        // Never much longer than the plain arrays (the choice is made on an estimate).
        expect(writtenBytes).toBeLessThanOrEqual(plainBytes + 16 * docs.length);
      }),
      { numRuns: 200 },
    );
  });

  it('splits directives at 100 metrics', () => {
    const samples: MetricBucket['samples'] = new Map(
      Array.from({ length: 230 }, (_, i) => [`m${i}`, { unit: 'None', values: [i] }]),
    );
    const docs = toEmfDocuments('ns', [bucket({ samples })]);
    // Three directives of at most 100 metrics; they agree on every member, so one document holds them.
    const directives = docs.map(assertValidEmf).flatMap((d) => d._aws.CloudWatchMetrics);
    expect(directives.map((directive) => directive.Metrics.length)).toEqual([100, 100, 31]);
    const names = directives.flatMap((directive) => directive.Metrics.map((m) => m.Name));
    expect(new Set(names).size).toBe(231);
  });

  it('writes a metric with the same value under several dimension sets once, in one directive', () => {
    const sums = () => new Map([['LogEvents', { unit: 'Count' as const, value: 3 }]]);
    const docs = toEmfDocuments('ns', [
      bucket({ dimensions: { ResourceType: 'TrainingJob' }, sums: sums() }),
      bucket({ dimensions: { TrainingJobName: 'job' }, sums: sums() }),
      bucket({
        dimensions: { TrainingJobName: 'job', Host: 'job/algo-1' },
        sums: sums(),
        samples: new Map([['loss', { unit: 'None', values: [0.5, 0.4] }]]),
      }),
    ]);
    expect(docs).toHaveLength(1);
    expect(assertValidEmf(docs[0] as string)).toEqual({
      _aws: {
        Timestamp: T0,
        CloudWatchMetrics: [
          {
            Namespace: 'ns',
            Dimensions: [['ResourceType'], ['TrainingJobName'], ['TrainingJobName', 'Host']],
            Metrics: [{ Name: 'LogEvents', Unit: 'Count' }],
          },
          {
            Namespace: 'ns',
            Dimensions: [['TrainingJobName', 'Host']],
            // None, EMF's default unit, is left out.
            Metrics: [{ Name: 'loss' }],
          },
        ],
      },
      ResourceType: 'TrainingJob',
      TrainingJobName: 'job',
      Host: 'job/algo-1',
      LogEvents: 3,
      loss: [0.5, 0.4],
    });
  });

  it('splits documents where values differ: one per error category beside the total', () => {
    const errors = (value: number) => new Map([['ErrorEvents', { unit: 'Count' as const, value }]]);
    const docs = toEmfDocuments('ns', [
      bucket({ dimensions: { ResourceType: 'TrainingJob' }, sums: errors(3) }),
      bucket({ dimensions: { ResourceType: 'TrainingJob', ErrorCategory: 'cuda_oom' }, sums: errors(1) }),
      bucket({ dimensions: { ResourceType: 'TrainingJob', ErrorCategory: 'nccl' }, sums: errors(1) }),
      bucket({ dimensions: { ResourceType: 'TrainingJob', ErrorCategory: 'timeout' }, sums: errors(1) }),
    ]).map(assertValidEmf);
    expect(docs.map((d) => [d.ErrorCategory, d.ErrorEvents])).toEqual([
      [undefined, 3],
      ['cuda_oom', 1],
      ['nccl', 1],
      ['timeout', 1],
    ]);
  });

  it('halves a document that would exceed the size limit', () => {
    const big = 'v'.repeat(3000);
    const samples: MetricBucket['samples'] = new Map(
      Array.from({ length: 99 }, (_, i) => [
        `metric-${i}-${big}`.slice(0, 255),
        { unit: 'None', values: Array.from({ length: 100 }, (_, j) => -Math.PI * 1e-10 * (j + 1)) },
      ]),
    );
    const docs = toEmfDocuments('ns', [bucket({ samples })]);
    expect(docs.length).toBeGreaterThan(1);
    docs.forEach(assertValidEmf);
  });
});

describe('toEmfDocuments, size limit across directives', () => {
  it('moves directives to documents of their own when together they would exceed the size limit', () => {
    const big = (prefix: string): MetricBucket['samples'] =>
      new Map(
        Array.from({ length: 60 }, (_, i) => [
          `${prefix}-${i}-${'v'.repeat(240)}`,
          { unit: 'None', values: Array.from({ length: 100 }, (_, j) => -Math.PI * 1e-10 * (j + 1)) },
        ]),
      );
    const docs = toEmfDocuments('ns', [
      bucket({ dimensions: { ResourceType: 'TrainingJob' }, sums: new Map(), samples: big('a') }),
      bucket({ dimensions: { TrainingJobName: 'job' }, sums: new Map(), samples: big('b') }),
    ]);
    expect(docs.length).toBeGreaterThan(1);
    const parsed = docs.map(assertValidEmf);
    expect(parsed.every((d) => d._aws.CloudWatchMetrics.length === 1)).toBe(true);
  });
});

describe('limits', () => {
  it('metric window is −14 days / +2 hours', () => {
    expect(isInMetricWindow(T0 - MAX_PAST_MS, T0)).toBe(true);
    expect(isInMetricWindow(T0 - MAX_PAST_MS - 1, T0)).toBe(false);
    expect(isInMetricWindow(T0 + MAX_FUTURE_MS, T0)).toBe(true);
    expect(isInMetricWindow(T0 + MAX_FUTURE_MS + 1, T0)).toBe(false);
  });

  it.each([
    ['SageMaker/Logs', true],
    ['My Team.Metrics#1:x', true],
    ['AWS/SageMaker', false],
    [':bad', false],
    ['', false],
    ['x'.repeat(256), false],
    ['emoji🙂', false],
  ])('namespace %s usable: %s', (namespace, ok) => {
    expect(NAMESPACE_PATTERN.test(namespace)).toBe(ok);
  });
});
