import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EmfHistogram, EmfValue } from '../../lib/metrics/emf.ts';
import { makeDelivery, toSubscriptionEvent } from '../helpers/deliveries.ts';
import { valuesOf } from '../helpers/emf-expand.ts';
import { captureOutput, fakeContext } from '../helpers/lambda-harness.ts';

/*
 * The process-logs handler end to end, without AWS: no topic (incidents are logged at warn) and
 * no table (the in-memory store). Each scenario imports the handler afresh, because it reads its
 * configuration once, at import.
 */

const MINUTE_MS = 60_000;
/**
 * The clock every scenario runs at: half a minute past a minute, so that a delivery stamped from a
 * minute ago (makeDelivery's default) stays inside one minute and writes the EMF documents the
 * assertions count, whatever the time the suite runs at.
 */
const NOW = Date.UTC(2026, 2, 2, 10, 30, 30);
const DAY_MS = 24 * 60 * MINUTE_MS;
/** CloudWatch's metric window: at most 14 days old, at most 2 hours ahead. */
const MAX_PAST_MS = 14 * DAY_MS;
const MAX_FUTURE_MS = 2 * 60 * MINUTE_MS;
/** EMF limits every document must keep. */
const MAX_METRICS = 100;
const MAX_VALUES = 100;
const MAX_DIMENSION_VALUE = 1024;
const MAX_DOCUMENT_BYTES = 256 * 1024;

const TRAINING_GROUP = '/aws/sagemaker/TrainingJobs';
const TRAINING_STREAM = 'bert-ft-2026-03-02/algo-1-1772445600';
const ENDPOINT_GROUP = '/aws/sagemaker/Endpoints/big-ep';
const ENDPOINT_STREAM = 'AllTraffic/i-0123456789abcdef0';

interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
  [member: string]: unknown;
}

type Line = Record<string, unknown>;
type Invoke = (event: unknown) => Promise<unknown>;

let output: ReturnType<typeof captureOutput>;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

/** Imports the handler afresh with `env` (no topic, no table unless given). */
async function loadHandler(env: Record<string, string> = {}) {
  vi.resetModules();
  const base = {
    AWS_REGION: 'us-east-1',
    METRICS_NAMESPACE: 'SageMaker/Logs',
    METRICS_DETAIL: '',
    ALERTS_TOPIC_ARN: '',
    SUPPRESSION_TABLE: '',
    METRIC_DEFINITIONS: '',
    ALERT_CONTEXT: 'false',
  };
  for (const [name, value] of Object.entries({ ...base, ...env })) vi.stubEnv(name, value);
  const { handler } = await import('../../functions/process-logs.ts');
  // Same module graph as the handler's, so instanceof holds.
  const { DecodeError } = await import('../../lib/processor/decode.ts');
  const invoke: Invoke = (event) => handler(event, fakeContext());
  return { invoke, DecodeError };
}

/** Output written since `from` (a count of lines). */
function linesSince(from: number): Line[] {
  return output.lines().slice(from);
}

function emfOf(lines: Line[]): EmfDocument[] {
  return lines.filter((line): line is EmfDocument => '_aws' in line);
}

/** Every dimension name a document's directives list. */
function dimensionsOf(document: EmfDocument): string[] {
  return document._aws.CloudWatchMetrics.flatMap((directive) => directive.Dimensions.flat());
}

/** The derived metrics (the processor's own Powertools metrics carry the `service` dimension). */
function derivedEmf(lines: Line[]): EmfDocument[] {
  return emfOf(lines).filter((document) => !dimensionsOf(document).includes('service'));
}

/** A metric of the processor itself (Powertools, dimension `service`). */
function processorMetric(lines: Line[], name: string): unknown {
  return emfOf(lines).find((document) => dimensionsOf(document).includes('service') && name in document)?.[
    name
  ];
}

/**
 * What each document says under the dimension set `dimensions`: one view per document that lists
 * the set, holding only the metrics of the directives that list it (a document may carry several
 * sets and directives).
 */
function withDimensions(documents: EmfDocument[], dimensions: readonly string[]): EmfDocument[] {
  const views: EmfDocument[] = [];
  for (const document of documents) {
    const directives = document._aws.CloudWatchMetrics.filter((directive) =>
      directive.Dimensions.some((set) => set.join('|') === dimensions.join('|')),
    );
    if (directives.length === 0) continue;
    const view: EmfDocument = {
      _aws: {
        Timestamp: document._aws.Timestamp,
        CloudWatchMetrics: directives.map((directive) => ({ ...directive, Dimensions: [[...dimensions]] })),
      },
    };
    for (const name of dimensions) view[name] = document[name];
    for (const directive of directives) for (const { Name } of directive.Metrics) view[Name] = document[Name];
    views.push(view);
  }
  return views;
}

/** Sum of a summed metric over documents. */
function sumOf(documents: EmfDocument[], name: string): number {
  return documents.reduce((sum, document) => {
    const value = document[name];
    return sum + (typeof value === 'number' ? value : 0);
  }, 0);
}

function incidentsLogged(lines: Line[]): Array<Record<string, unknown>> {
  return lines
    .filter((line) => line.message === 'incident' && line.level === 'WARN')
    .map((line) => line.incident as Record<string, unknown>);
}

function deliveryReport(lines: Line[]): Record<string, unknown> | undefined {
  return lines.find((line) => line.message === 'delivery processed');
}

/** Checks one document against the EMF specification's limits; returns the problems found. */
function emfProblems(document: EmfDocument): string[] {
  const problems: string[] = [];
  if (document._aws.CloudWatchMetrics.length === 0) return ['no directive'];
  if (!Number.isInteger(document._aws.Timestamp)) problems.push('Timestamp is not an integer');
  for (const directive of document._aws.CloudWatchMetrics)
    problems.push(...directiveProblems(document, directive));
  const bytes = Buffer.byteLength(JSON.stringify(document));
  if (bytes > MAX_DOCUMENT_BYTES) problems.push(`${bytes} bytes`);
  return problems;
}

function directiveProblems(
  document: EmfDocument,
  directive: EmfDocument['_aws']['CloudWatchMetrics'][number],
): string[] {
  const problems: string[] = [];
  if (directive.Metrics.length === 0 || directive.Metrics.length > MAX_METRICS)
    problems.push(`${directive.Metrics.length} metrics`);
  for (const { Name } of directive.Metrics) {
    const value = document[Name];
    if (Array.isArray(value)) {
      if (value.length === 0 || value.length > MAX_VALUES) problems.push(`${Name}: ${value.length} values`);
      if (!value.every((v) => typeof v === 'number' && Number.isFinite(v)))
        problems.push(`${Name}: not numbers`);
    } else if (typeof value === 'object' && value !== null) {
      problems.push(...histogramProblems(Name, value as EmfHistogram));
    } else if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`${Name}: missing or not a number`);
    }
  }
  for (const set of directive.Dimensions) {
    for (const name of set) {
      const value = document[name];
      if (typeof value !== 'string' || value.length === 0 || value.length > MAX_DIMENSION_VALUE)
        problems.push(`dimension ${name}: ${JSON.stringify(value)}`);
    }
  }
  return problems;
}

/** Checks a histogram value (`Values`/`Counts` and its statistic set) against EMF's limits. */
function histogramProblems(name: string, value: EmfHistogram): string[] {
  const { Values, Counts } = value;
  if (!Array.isArray(Values) || !Array.isArray(Counts)) return [`${name}: not a histogram`];
  const problems: string[] = [];
  if (Values.length === 0 || Values.length > MAX_VALUES) problems.push(`${name}: ${Values.length} values`);
  if (Counts.length !== Values.length) problems.push(`${name}: ${Counts.length} counts`);
  if (![...Values, value.Max, value.Min, value.Sum].every((v) => Number.isFinite(v)))
    problems.push(`${name}: not numbers`);
  if (!Counts.every((c) => Number.isInteger(c) && c > 0)) problems.push(`${name}: counts not positive`);
  try {
    valuesOf(value);
  } catch (error) {
    problems.push(`${name}: ${(error as Error).message}`);
  }
  return problems;
}

/** A CloudWatch Logs event carrying raw gzip bytes of `json` (which may hold invalid UTF-8). */
function rawEvent(json: Buffer): { awslogs: { data: string } } {
  return { awslogs: { data: gzipSync(json).toString('base64') } };
}

/** Inside the payloads below: it must never reach a log line or the error Lambda logs. */
const MARKER = 'QX7ZK2M9';

describe('process-logs: payloads that cannot be decoded reject with a DecodeError, and are not logged', () => {
  const cases: Array<[string, unknown, string]> = [
    ['not base64', { awslogs: { data: `${MARKER}!!! not base64 ***` } }, 'base64'],
    [
      'base64 but not gzip',
      { awslogs: { data: Buffer.from(`${MARKER} plain text, not gzip`).toString('base64') } },
      'gzip',
    ],
    [
      'gzip but not JSON',
      // A corrupted payload: V8's JSON.parse messages quote the text around the error.
      rawEvent(Buffer.from(`{"messageType": ${MARKER}, "logEvents": []}`)),
      'json',
    ],
    [
      'JSON of the wrong schema',
      toSubscriptionEvent({ messageType: 'DATA_MESSAGE', owner: MARKER, logEvents: `${MARKER} events` }),
      'schema',
    ],
    [
      'an unknown messageType',
      toSubscriptionEvent({ ...makeDelivery(TRAINING_GROUP, TRAINING_STREAM, ['x']), messageType: MARKER }),
      'schema',
    ],
  ];

  it.each(cases)(
    '%s → rejects at its step; the payload stays out of the logs',
    async (_name, event, step) => {
      const { invoke, DecodeError } = await loadHandler();

      const error = await invoke(event).then(
        () => undefined,
        (rejected: unknown) => rejected,
      );

      // Rejecting (not resolving) is what makes Lambda retry, then park the payload in the DLQ.
      expect(error).toBeInstanceOf(DecodeError);
      expect(error).toMatchObject({ step });
      const lines = output.lines();
      expect(lines).toContainEqual(
        expect.objectContaining({ level: 'ERROR', message: 'undecodable delivery', step }),
      );
      expect(JSON.stringify(lines)).not.toContain(MARKER);
      // The Lambda runtime logs the rejection's message too.
      expect(String(error)).not.toContain(MARKER);
      expect(derivedEmf(lines)).toEqual([]);
    },
  );
});

describe('process-logs: deliveries that decode', () => {
  it('an empty DATA_MESSAGE resolves and emits no derived metric and no incident', async () => {
    const { invoke } = await loadHandler();
    await invoke(toSubscriptionEvent(makeDelivery(TRAINING_GROUP, TRAINING_STREAM, [])));

    // Nothing notable: nothing written at all at the default log level.
    expect(output.lines()).toEqual([]);
  });

  it('a healthy one-minute delivery writes one EMF document of at most 800 bytes and nothing else', async () => {
    const { invoke } = await loadHandler({ METRICS_DETAIL: 'host' });
    const minute = Math.floor((Date.now() - 3 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
    const delivery = makeDelivery(TRAINING_GROUP, TRAINING_STREAM, [
      'INFO:root:Saving checkpoint to /opt/ml/checkpoints/checkpoint-1200',
      "{'loss': 0.4498, 'grad_norm': 1.88, 'learning_rate': 1.79e-05, 'epoch': 0.43}",
      'INFO:root:Checkpoint saved',
    ]);
    delivery.logEvents.forEach((event, i) => {
      event.timestamp = minute + i * 1_000;
    });

    await invoke(toSubscriptionEvent(delivery));

    const lines = output.lines();
    expect(lines).toHaveLength(1);
    const [document] = derivedEmf(lines);
    expect(Buffer.byteLength(JSON.stringify(document))).toBeLessThanOrEqual(800);
    expect(emfProblems(document as EmfDocument)).toEqual([]);
  });

  it('at DEBUG, every delivery closes with its report line', async () => {
    const { invoke } = await loadHandler({ POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    await invoke(toSubscriptionEvent(makeDelivery(TRAINING_GROUP, TRAINING_STREAM, [])));
    expect(deliveryReport(output.lines())).toMatchObject({ stats: { events: 0 }, emfDocuments: 0 });
  });

  it('a CONTROL_MESSAGE resolves and is not processed: no EMF at all, no incident', async () => {
    const { invoke } = await loadHandler();
    const control = {
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      // The health check's own event: an error-looking line that must not be classified.
      logEvents: [
        {
          id: '',
          timestamp: Date.now(),
          message: 'CWL CONTROL MESSAGE: Checking health of destination. ERROR Traceback CUDA out of memory',
        },
      ],
    };
    await invoke(toSubscriptionEvent(control));

    const lines = output.lines();
    expect(emfOf(lines)).toEqual([]);
    expect(incidentsLogged(lines)).toEqual([]);
    expect(deliveryReport(lines)).toBeUndefined();
  });

  it('one 1 MB event is processed whole: LogBytes = 1,048,576, the incident is bounded', async () => {
    const { invoke } = await loadHandler();
    const head = 'RuntimeError: shard checksum mismatch ';
    const filler = 'abcdefghij klmnopqrst '.repeat(Math.ceil(1_048_576 / 22));
    const message = (head + filler).slice(0, 1_048_576);
    expect(Buffer.byteLength(message)).toBe(1_048_576);

    await invoke(toSubscriptionEvent(makeDelivery(TRAINING_GROUP, TRAINING_STREAM, [message])));

    const lines = output.lines();
    const rollup = withDimensions(derivedEmf(lines), ['ResourceType']);
    expect(sumOf(rollup, 'LogBytes')).toBe(1_048_576);
    expect(sumOf(rollup, 'LogEvents')).toBe(1);
    expect(sumOf(rollup, 'ErrorEvents')).toBe(1);
    const [incident, ...others] = incidentsLogged(lines);
    expect(others).toEqual([]);
    const context = incident?.context as string[];
    expect(context.length).toBeGreaterThan(0);
    expect(Buffer.byteLength(context.join('\n'))).toBeLessThanOrEqual(8 * 1024);
    for (const line of context) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(1024);
    expect(String(incident?.headline).length).toBeLessThanOrEqual(500);
    // The whole alert stays small, whatever the size of the event.
    expect(JSON.stringify(incident).length).toBeLessThan(32 * 1024);
  });

  it('binary content and invalid UTF-8 are processed and counted, never thrown on', async () => {
    const { invoke } = await loadHandler();
    const start = Date.now() - 5 * MINUTE_MS;
    const binary = 'ValueError: corrupt record \u0000\u0001\u0002\u0007\u001b\u007f\ud800 in shard 3';
    const delivery = makeDelivery(TRAINING_GROUP, TRAINING_STREAM, [binary, 'placeholder'], start);
    // Invalid UTF-8 bytes (0xff, 0xfe, a truncated 2-byte sequence) inside the second message.
    const json = JSON.stringify(delivery);
    const [before, after] = json.split('placeholder') as [string, string];
    const invalid = Buffer.concat([
      Buffer.from(`${before}ValueError: bad bytes `),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
      Buffer.from(` end${after}`),
    ]);
    const decodedInvalid = Buffer.from([...Buffer.from('ValueError: bad bytes '), 0xff, 0xfe, 0xc3, 0x28])
      .toString('utf8')
      .concat(' end');

    await invoke(rawEvent(invalid));

    const lines = output.lines();
    const rollup = withDimensions(derivedEmf(lines), ['ResourceType']);
    expect(sumOf(rollup, 'LogEvents')).toBe(2);
    expect(sumOf(rollup, 'ErrorEvents')).toBe(2);
    expect(sumOf(rollup, 'LogBytes')).toBe(Buffer.byteLength(binary) + Buffer.byteLength(decodedInvalid));
    expect(deliveryReport(lines)).toMatchObject({ stats: { events: 2, errors: 2 } });
  });

  it('CloudWatch octal escapes and ANSI colours do not hide a CUDA OOM', async () => {
    const { invoke } = await loadHandler();
    const octal =
      '#033[31mERROR#033[0m#011torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 15.77 GiB total capacity)';
    const ansi =
      '\u001b[1;31mERROR\u001b[0m torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 40.00 MiB (GPU 1; 15.77 GiB total capacity)';
    await invoke(toSubscriptionEvent(makeDelivery(TRAINING_GROUP, TRAINING_STREAM, [octal, ansi])));

    const lines = output.lines();
    const byCategory = withDimensions(derivedEmf(lines), ['ResourceType', 'ErrorCategory']);
    expect(byCategory.map((document) => [document.ErrorCategory, document.ErrorEvents])).toEqual([
      ['cuda_oom', 2],
    ]);
    const incidents = incidentsLogged(lines);
    expect(incidents.map((incident) => incident.category)).toEqual(['cuda_oom']);
    expect(incidents[0]?.count).toBe(2);
    expect(String(incidents[0]?.headline)).toContain('torch.OutOfMemoryError: CUDA out of memory');
    expect(JSON.stringify(incidents)).not.toMatch(/#033|\\u001b/);
  });

  it('events 30 days old or 3 hours ahead are classified and counted out of window, never stamped', async () => {
    const { invoke } = await loadHandler();
    const now = Date.now();
    const delivery = makeDelivery(TRAINING_GROUP, TRAINING_STREAM, [
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
      'epoch 3 finished',
      'epoch 4 finished',
    ]);
    const stamps = [now - 30 * DAY_MS, now + 3 * 60 * MINUTE_MS, now - MINUTE_MS];
    delivery.logEvents.forEach((event, i) => {
      event.timestamp = stamps[i] as number;
    });

    await invoke(toSubscriptionEvent(delivery));

    const lines = output.lines();
    expect(processorMetric(lines, 'EventsOutOfWindow')).toBe(2);
    // Classified all the same: the old CUDA OOM is an error and still an incident.
    expect(deliveryReport(lines)).toMatchObject({
      stats: { events: 3, errors: 1, outOfWindow: 2, errorsByCategory: { cuda_oom: 1 } },
    });
    expect(incidentsLogged(lines).map((incident) => incident.category)).toEqual(['cuda_oom']);
    const derived = derivedEmf(lines);
    expect(sumOf(withDimensions(derived, ['ResourceType']), 'LogEvents')).toBe(1);
    expect(sumOf(derived, 'ErrorEvents')).toBe(0);
    // Not even the incident counter may carry the old event's minute.
    expect(sumOf(derived, 'Incidents')).toBe(0);
    const after = Date.now();
    for (const document of emfOf(lines)) {
      expect(document._aws.Timestamp).toBeGreaterThanOrEqual(now - MAX_PAST_MS);
      expect(document._aws.Timestamp).toBeLessThanOrEqual(after + MAX_FUTURE_MS);
    }
  });

  it('an unknown log group is counted under ResourceType=Unknown', async () => {
    const { invoke } = await loadHandler();
    await invoke(
      toSubscriptionEvent(
        makeDelivery('/aws/sagemaker/QuantumTasks', 'task-17/worker-0', [
          'started',
          'ValueError: solver diverged',
        ]),
      ),
    );

    const derived = derivedEmf(output.lines());
    const rollup = withDimensions(derived, ['ResourceType']);
    expect(rollup.map((document) => document.ResourceType)).toEqual(['Unknown']);
    expect(sumOf(rollup, 'LogEvents')).toBe(2);
    expect(sumOf(rollup, 'ErrorEvents')).toBe(1);
    for (const document of derived) {
      if ('ResourceType' in document) expect(document.ResourceType).toBe('Unknown');
    }
  });

  it.each([
    ['true', 'histograms'],
    ['false', 'plain arrays of at most 100'],
  ])(
    '10,000 events: LogEvents sums to exactly 10,000, and every document is valid EMF (EMF_VALUE_COUNTS=%s: %s)',
    async (valueCounts) => {
      const { invoke } = await loadHandler({ EMF_VALUE_COUNTS: valueCounts });
      const count = 10_000;
      // 200 events a minute over 50 minutes: latency arrays must be split at 100 values.
      const start = Date.now() - 60 * MINUTE_MS;
      const messages = Array.from({ length: count }, (_, i) =>
        i % 50 === 0
          ? `2026-03-02 10:00:00,000 [ERROR] W-9000-model_1.0 MODEL_LOG - RuntimeError: bad input row ${i}`
          : `2026-03-02 10:00:00,000 [INFO ] W-9000-model_1.0 ACCESS_LOG - /169.254.178.2:${40000 + (i % 999)} "POST /invocations HTTP/1.1" ${i % 25 === 1 ? 503 : 200} ${10 + (i % 90)}`,
      );
      const delivery = makeDelivery(ENDPOINT_GROUP, ENDPOINT_STREAM, messages, start);
      delivery.logEvents.forEach((event, i) => {
        event.timestamp = start + i * 300;
      });

      await invoke(toSubscriptionEvent(delivery));

      const lines = output.lines();
      const derived = derivedEmf(lines);
      const rollup = withDimensions(derived, ['ResourceType']);
      expect(sumOf(rollup, 'LogEvents')).toBe(count);
      const failedRequests = messages.filter((message) => / 503 \d+$/.test(message)).length;
      const requests = count - count / 50;
      expect(sumOf(rollup, 'ContainerRequests')).toBe(requests);
      expect(sumOf(rollup, 'ContainerHttp5XX')).toBe(failedRequests);
      // Exceptions and 5xx responses are both errors.
      expect(sumOf(rollup, 'ErrorEvents')).toBe(count / 50 + failedRequests);
      // Every latency value arrives, once each, though a minute holds more than 100 of them: 90
      // distinct values repeat, so each minute writes them once with their counts.
      const latencies = rollup.flatMap((document) =>
        document.ContainerRequestLatency === undefined
          ? []
          : valuesOf(document.ContainerRequestLatency as EmfValue),
      );
      const expected = messages.flatMap((message) => /" \d{3} (\d+)$/.exec(message)?.[1] ?? []).map(Number);
      expect(latencies.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
      expect(latencies).toHaveLength(requests);
      const shapes = rollup.flatMap((document) => {
        const value = document.ContainerRequestLatency;
        if (value === undefined) return [];
        return [Array.isArray(value) ? `array of ${value.length}` : 'histogram'];
      });
      // A minute's 200 latencies hold 90 distinct values, each about twice: written once with
      // their counts (a minute cut short at either end may stay a plain array).
      if (valueCounts === 'true')
        expect(shapes.filter((shape) => shape === 'histogram').length).toBeGreaterThan(40);
      else {
        expect(shapes).toContain('array of 100');
        expect(shapes).not.toContain('histogram');
      }
      for (const document of emfOf(lines)) expect(emfProblems(document)).toEqual([]);
    },
  );

  it('stamps each document with the minute of its events, not the time of processing', async () => {
    const { invoke } = await loadHandler();
    const minute0 = Math.floor((Date.now() - 2 * 60 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
    const delivery = makeDelivery(TRAINING_GROUP, TRAINING_STREAM, ['step 1', 'step 2', 'step 3', 'step 4']);
    const offsets = [5_000, 59_000, 65_000, 125_000];
    delivery.logEvents.forEach((event, i) => {
      event.timestamp = minute0 + (offsets[i] as number);
    });

    await invoke(toSubscriptionEvent(delivery));

    const derived = derivedEmf(output.lines());
    const sets = [['ResourceType'], ['TrainingJobName'], ['TrainingJobName', 'Host']];
    for (const set of sets) {
      const documents = withDimensions(derived, set);
      expect(documents.map((document) => document._aws.Timestamp)).toEqual([
        minute0,
        minute0 + MINUTE_MS,
        minute0 + 2 * MINUTE_MS,
      ]);
      expect(documents.map((document) => document.LogEvents)).toEqual([2, 1, 1]);
    }
    // One document per minute carries all three sets (the counts are the same under each).
    expect(derived.map((document) => document._aws.Timestamp)).toEqual([
      minute0,
      minute0 + MINUTE_MS,
      minute0 + 2 * MINUTE_MS,
    ]);
  });

  it('the same payload twice: the second invocation emits no metric and no alert', async () => {
    const { invoke } = await loadHandler();
    const event = toSubscriptionEvent(
      makeDelivery(TRAINING_GROUP, TRAINING_STREAM, [
        'epoch 1 loss=0.5',
        'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
      ]),
    );

    await invoke(event);
    const first = output.lines();
    expect(derivedEmf(first).length).toBeGreaterThan(0);
    expect(incidentsLogged(first)).toHaveLength(1);
    // The processor's own metrics are written only when non-zero.
    expect(processorMetric(first, 'DuplicateDeliveries')).toBeUndefined();
    expect(emfOf(first).filter((document) => dimensionsOf(document).includes('service'))).toEqual([]);

    await invoke(event);
    const second = linesSince(first.length);
    expect(derivedEmf(second)).toEqual([]);
    expect(incidentsLogged(second)).toEqual([]);
    expect(processorMetric(second, 'DuplicateDeliveries')).toBe(1);
    expect(deliveryReport(second)).toMatchObject({
      duplicateDelivery: true,
      emfDocuments: 0,
      incidents: { sent: 0, suppressed: 0, duplicate: 1 },
    });
  });
});

describe('process-logs: configuration', () => {
  it('an invalid METRIC_DEFINITIONS fails the import with a ConfigError naming the variable', async () => {
    const error = await loadHandler({ METRIC_DEFINITIONS: '[{"Name": "loss", "Regex": ' }).then(
      () => undefined,
      (rejected: unknown) => rejected,
    );
    const { ConfigError } = await import('../../lib/errors.ts');
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ variable: 'METRIC_DEFINITIONS' });
    expect(String(error)).toContain('METRIC_DEFINITIONS');
  });

  it('METRICS_DETAIL=resource emits no Host dimension (host, the default, does)', async () => {
    const event = toSubscriptionEvent(
      makeDelivery(TRAINING_GROUP, TRAINING_STREAM, ["{'loss': 0.25}", 'step']),
    );
    const hasHost = (documents: EmfDocument[]) =>
      documents.some((document) => dimensionsOf(document).includes('Host') || 'Host' in document);

    const byDefault = await loadHandler();
    await byDefault.invoke(event);
    const first = output.lines();
    expect(hasHost(derivedEmf(first))).toBe(true);

    const coarse = await loadHandler({ METRICS_DETAIL: 'resource' });
    await coarse.invoke(event);
    const derived = derivedEmf(linesSince(first.length));
    expect(derived.length).toBeGreaterThan(0);
    expect(hasHost(derived)).toBe(false);
    // The training metric still has a home: the resource's own set.
    expect(withDimensions(derived, ['TrainingJobName']).some((document) => 'loss' in document)).toBe(true);
  });
});

describe('process-logs: flush messages from the flush queue', () => {
  const sqsEvent = (...bodies: string[]) => ({
    Records: bodies.map((body, i) => ({ messageId: `m-${i}`, eventSource: 'aws:sqs', body })),
  });

  it('reports a message that is not a flush request as failed (SQS retries it, then dead-letters it)', async () => {
    const { invoke } = await loadHandler();
    const request = {
      logGroup: TRAINING_GROUP,
      logStream: TRAINING_STREAM,
      owner: '123456789012',
      streamKey: 'k',
      occurrenceKey: 'o',
    };
    // Without a table nothing was held: the valid request finds nothing and succeeds.
    expect(await invoke(sqsEvent('{"not":"a request"}', JSON.stringify(request)))).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-0' }],
    });
    const logged = output.lines().map((line) => line.message);
    expect(logged).toContain('not a flush request');
    expect(logged).toContain('held traceback flushed');
  });

  it('without a table, alerts a traceback cut at the end of a delivery at once (nothing held)', async () => {
    const { invoke } = await loadHandler({
      FLUSH_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/sagewatch-test-flush',
    });
    await invoke(
      toSubscriptionEvent(
        makeDelivery(TRAINING_GROUP, TRAINING_STREAM, [
          'Traceback (most recent call last):',
          '  File "a.py", line 1',
        ]),
      ),
    );
    const incidents = output.lines().filter((line) => line.message === 'incident');
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.incident).toMatchObject({ truncated: true });
  });
});
