/**
 * Metric names come from log lines, so they can be anything: `__proto__`, `constructor`, the EMF
 * document's own members, sagewatch's dimension names. Whatever they are, no built-in changes and
 * every EMF document stays valid with its own members intact.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyMessage } from '../../../lib/classify/index.ts';
import { MetricNames } from '../../../lib/metrics/aggregate.ts';
import { boundLogName, DIMENSION_NAMES, MAX_LOG_NAME_LENGTH } from '../../../lib/metrics/dimensions.ts';
import {
  DocumentProperties,
  type EmfDocument,
  MAX_DOCUMENT_BYTES,
  RESERVED_ROOT_NAMES,
  toEmfDocuments,
} from '../../../lib/metrics/emf.ts';
import { createDeliveryProcessor } from '../../../lib/processor/delivery-processor.ts';
import { processDelivery } from '../../../lib/processor/process-delivery.ts';
import { createMemorySuppressionStore } from '../../../lib/processor/suppression.ts';
import type { Classification, LogsDelivery } from '../../../lib/types.ts';
import { makeDelivery } from '../../helpers/deliveries.ts';

const NOW = Date.UTC(2026, 2, 2, 10, 0, 0);
const NAMESPACE = 'SageMaker/Logs';
const GROUP = '/aws/sagemaker/TrainingJobs';
const STREAM = 'bert-ft-2026-03-02/algo-1-1772445600';

/** Names an attacker would try, and anything else. */
const metricName = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'isPrototypeOf',
    '__defineGetter__',
    'count',
    'last',
    '_aws',
    'LogGroup',
    'LogStream',
    'Timestamp',
    'CloudWatchMetrics',
    ...DIMENSION_NAMES,
    ...Object.values(MetricNames),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
);
const metricValue = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });
const metricPairs = fc.array(fc.tuple(metricName, metricValue), { minLength: 1, maxLength: 12 });

/** What the built-ins look like before any test runs. */
function snapshotBuiltIns() {
  return {
    object: Object.getOwnPropertyNames(Object.prototype).sort(),
    objectStatics: Object.getOwnPropertyNames(Object).sort(),
    fn: Object.getOwnPropertyNames(Function.prototype).sort(),
    toString: Object.prototype.toString,
    hasOwnProperty: Object.prototype.hasOwnProperty,
  };
}
const BUILT_INS = snapshotBuiltIns();

afterEach(() => {
  expect(snapshotBuiltIns()).toEqual(BUILT_INS);
});

function expectBuiltInsIntact(): void {
  expect(snapshotBuiltIns()).toEqual(BUILT_INS);
  const plain: Record<string, unknown> = {};
  expect(plain.count).toBeUndefined();
  expect(plain.last).toBeUndefined();
  expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
}

/** Checks one EMF document: valid JSON within the cap, its own members as sagewatch wrote them. */
function expectValidDocument(json: string, stream = STREAM): void {
  expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
  const document = JSON.parse(json) as EmfDocument;
  expect(Object.hasOwn(document, '_aws')).toBe(true);
  expect(Number.isInteger(document._aws.Timestamp)).toBe(true);
  expect(document[DocumentProperties.logStream]).toBe(stream);
  const directives = document._aws.CloudWatchMetrics;
  expect(directives.length).toBeGreaterThan(0);
  const dimensionNames = new Set(directives.flatMap((directive) => directive.Dimensions.flat()));
  expect(dimensionNames.size).toBeGreaterThan(0);
  for (const name of dimensionNames) {
    expect(typeof document[name]).toBe('string');
    expect((document[name] as string).length).toBeGreaterThan(0);
  }
  if (dimensionNames.has('ResourceType')) expect(document.ResourceType).toBe('TrainingJob');
  for (const directive of directives) {
    expect(directive.Namespace).toBe(NAMESPACE);
    expect(directive.Metrics.length).toBeGreaterThan(0);
    for (const { Name } of directive.Metrics) {
      expect(RESERVED_ROOT_NAMES.has(Name)).toBe(false);
      expect(dimensionNames.has(Name)).toBe(false);
      const value = document[Name];
      const values = Array.isArray(value) ? value : [value];
      expect(values.length).toBeGreaterThan(0);
      for (const one of values) expect(Number.isFinite(one)).toBe(true);
    }
  }
}

/** A delivery classified by `classify`, and its EMF documents as the processor writes them. */
function process(delivery: LogsDelivery, classify: (message: string) => Classification) {
  const processed = processDelivery(delivery, { classify, detail: 'host', nowMs: NOW });
  const documents = toEmfDocuments(NAMESPACE, processed.metrics.buckets(), {
    [DocumentProperties.logStream]: boundLogName(delivery.logStream),
  });
  return { processed, documents };
}

const CONFIG = {
  detail: 'container' as const,
  namespace: NAMESPACE,
  suppressionWindowMs: 15 * 60_000,
  region: 'us-east-1',
  metricDefinitions: [],
};

/** The processor's whole pipeline, as the handler builds it; returns the documents it writes. */
async function processWholly(delivery: LogsDelivery) {
  const documents: string[] = [];
  const report = await createDeliveryProcessor(CONFIG, {
    store: createMemorySuppressionStore(),
    publish: async () => [],
    writeEmf: (document) => documents.push(document),
  })(delivery, NOW);
  return { report, documents };
}

describe('metric names from log lines', () => {
  it('never change a built-in and never break an EMF document (any names)', () => {
    fc.assert(
      fc.property(metricPairs, (pairs) => {
        // Own data properties, as a parser of the line would produce them.
        const metrics = Object.fromEntries(pairs) as Record<string, number>;
        const { processed, documents } = process(
          makeDelivery(GROUP, STREAM, ['a', 'b'], NOW - 60_000),
          () => ({ severity: 'info', category: 'none', metrics }),
        );
        expectBuiltInsIntact();
        expect(documents.length).toBeGreaterThan(0);
        for (const document of documents) expectValidDocument(document);
        // The run's stats hold each name as an entry of its own.
        for (const [name] of pairs) {
          expect(Object.hasOwn(processed.stats.trainingMetrics, name)).toBe(true);
          expect(processed.stats.trainingMetrics[name]?.count).toBe(2);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('read from a Python dict print, land in the stats and documents as entries, not built-ins', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            metricName.filter((name) => !/['\n\r\u2028\u2029]/.test(name)),
            fc.integer(),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        async (pairs) => {
          const line = `{${pairs.map(([name, value]) => `'${name}': ${value}`).join(', ')}, 'epoch': 1.0}`;
          const { report, documents } = await processWholly(
            makeDelivery(GROUP, STREAM, [line, line], NOW - 60_000),
          );
          expectBuiltInsIntact();
          expect(report.processed.stats.trainingMetrics.epoch?.count).toBe(2);
          for (const document of documents) expectValidDocument(document);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the issue line: constructor, toString and hasOwnProperty are metrics like any other', () => {
    const line =
      "{'constructor': 3, 'toString': 4, 'hasOwnProperty': 7, '__proto__': 1, 'loss': 0.5, 'epoch': 1.0}";
    const classification = classifyMessage(line);
    expect(classification.metrics?.constructor).toBe(3);
    expect(classification.metrics?.toString).toBe(4);
    expect(Object.hasOwn(classification.metrics ?? {}, '__proto__')).toBe(true);
    const { processed, documents } = process(
      makeDelivery(GROUP, STREAM, [line, line], NOW - 60_000),
      classifyMessage,
    );
    expectBuiltInsIntact();
    expect(processed.stats.trainingMetrics.constructor).toEqual({ count: 2, last: 3 });
    expect(processed.stats.trainingMetrics.hasOwnProperty).toEqual({ count: 2, last: 7 });
    expect(Object.getOwnPropertyDescriptor(processed.stats.trainingMetrics, '__proto__')?.value).toEqual({
      count: 2,
      last: 1,
    });
    const names = documents.flatMap((json) =>
      (JSON.parse(json) as EmfDocument)._aws.CloudWatchMetrics.flatMap((d) => d.Metrics.map((m) => m.Name)),
    );
    expect(names).toEqual(expect.arrayContaining(['constructor', 'toString', 'hasOwnProperty', 'loss']));
    expect(names).not.toContain('__proto__');
  });

  it('drops names the EMF document holds itself, and keeps the rest', () => {
    const metrics = Object.fromEntries([
      ['LogStream', 2],
      ['_aws', 3],
      ['__proto__', 4],
      ['TrainingJobName', 5],
      ['LogEvents', 6],
      ['loss', 0.5],
    ]) as Record<string, number>;
    const { documents } = process(makeDelivery(GROUP, STREAM, ['x'], NOW - 60_000), () => ({
      severity: 'info',
      category: 'none',
      metrics,
    }));
    const names = documents.flatMap((json) =>
      (JSON.parse(json) as EmfDocument)._aws.CloudWatchMetrics.flatMap((d) => d.Metrics.map((m) => m.Name)),
    );
    expect(names).toContain('loss');
    for (const reserved of ['LogStream', '_aws', '__proto__', 'TrainingJobName']) {
      expect(names).not.toContain(reserved);
    }
    for (const json of documents) expectValidDocument(json);
  });
});

describe('toEmfDocuments, handed metric names the aggregator would have dropped', () => {
  it('leaves them out rather than overwrite its own members, and builds no prototype', () => {
    const sums = new Map([
      ['LogEvents', { unit: 'Count' as const, value: 1 }],
      ['_aws', { unit: 'Count' as const, value: 9 }],
      ['LogStream', { unit: 'Count' as const, value: 9 }],
      ['ResourceType', { unit: 'Count' as const, value: 9 }],
      ['__proto__', { unit: 'Count' as const, value: 9 }],
    ]);
    const onlyReserved = new Map([['_aws', { unit: 'Count' as const, value: 9 }]]);
    const [json, ...rest] = toEmfDocuments(
      NAMESPACE,
      [
        { dimensions: { ResourceType: 'TrainingJob' }, timestampMs: NOW, sums, samples: new Map() },
        {
          dimensions: { ResourceType: 'TrainingJob', Host: 'algo-1' },
          timestampMs: NOW,
          sums: onlyReserved,
          samples: new Map(),
        },
      ],
      { [DocumentProperties.logStream]: STREAM },
    );
    expect(rest).toEqual([]);
    const document = JSON.parse(json as string) as EmfDocument;
    expect(document._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: NAMESPACE,
        Dimensions: [['ResourceType']],
        Metrics: [{ Name: 'LogEvents', Unit: 'Count' }],
      },
    ]);
    expect(document.LogStream).toBe(STREAM);
    expect(document.ResourceType).toBe('TrainingJob');
    expect(Object.hasOwn(document, '__proto__')).toBe(false);
    expectBuiltInsIntact();
  });
});

describe('log group and stream names longer than AWS allows', () => {
  it('boundLogName cuts a name to 512 characters and leaves shorter ones as they are', () => {
    expect(boundLogName('x'.repeat(5000))).toBe('x'.repeat(MAX_LOG_NAME_LENGTH));
    expect(boundLogName('x'.repeat(MAX_LOG_NAME_LENGTH))).toBe('x'.repeat(MAX_LOG_NAME_LENGTH));
    expect(boundLogName(STREAM)).toBe(STREAM);
  });

  it('are cut to 512 characters in dimension values and document properties', async () => {
    const longJob = `job-${'x'.repeat(300_000)}`;
    const stream = `${longJob}/algo-1-1772445600`;
    const { documents } = await processWholly(
      makeDelivery(
        `/aws/sagemaker/TrainingJobs${'y'.repeat(3000)}`,
        stream,
        ['x', 'loss: 0.5'],
        NOW - 60_000,
      ),
    );
    expect(documents.length).toBeGreaterThan(0);
    for (const json of documents) {
      const document = JSON.parse(json) as EmfDocument;
      expect(document.LogStream).toBe(stream.slice(0, MAX_LOG_NAME_LENGTH));
      for (const name of document._aws.CloudWatchMetrics.flatMap((d) => d.Dimensions.flat())) {
        expect((document[name] as string).length).toBeLessThanOrEqual(MAX_LOG_NAME_LENGTH);
      }
      expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
    }
  });
});
