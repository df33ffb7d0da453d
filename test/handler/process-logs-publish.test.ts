import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PublishBatchCommand, type PublishBatchCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeDelivery, toSubscriptionEvent } from '../helpers/deliveries.ts';
import { captureOutput, fakeContext } from '../helpers/lambda-harness.ts';

/*
 * The process-logs handler publishing alerts to a mocked SNS, with the in-memory suppression store
 * (no SUPPRESSION_TABLE): two plain messages per alert, scrubbed, published before any metric is
 * written, re-sent after a failure exactly for what failed, suppressed inside the window.
 */

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:sagewatch-alerts';
const GROUP = '/aws/sagemaker/TrainingJobs';
const JOB = 'llama-ft-2026-03-02';
const STREAM = `${JOB}/algo-3-1772445600`;
const MINUTE_MS = 60_000;
/** SNS: a subject is fewer than 100 characters. */
const MAX_SUBJECT_CHARS = 99;

// Secrets inside the traceback: none may reach a published message or a log line.
const ACCESS_KEY_ID = 'AKIAZ7Q2M4X9C3V8B1N5';
const BEARER_TOKEN = 'tok9fG2kLmN3pQ7rS1vW8xY';
const URL_PASSWORD = 'Pa55w0rdXyzQ';
const SECRETS = [ACCESS_KEY_ID, BEARER_TOKEN, URL_PASSWORD];

/** A CUDA OOM traceback written one line per event, as containers write it. */
const CUDA_OOM = [
  'Traceback (most recent call last):',
  '  File "/opt/ml/code/train.py", line 88, in <module>',
  `    s3 = boto3.client('s3', aws_access_key_id='${ACCESS_KEY_ID}')`,
  '  File "/opt/ml/code/train.py", line 131, in load_weights',
  `    resp = session.get(url, headers={'Authorization': 'Bearer ${BEARER_TOKEN}'})`,
  '  File "/opt/ml/code/train.py", line 140, in fetch',
  `    weights = fetch('https://trainer:${URL_PASSWORD}@models.internal/v1/llama.bin')`,
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 22.06 GiB total capacity)',
];
/** A second, unrelated failure in the same stream. */
const MISSING_SHARD =
  "FileNotFoundError: [Errno 2] No such file or directory: '/opt/ml/input/data/train/shard-7'";

type Line = Record<string, unknown>;
type Entry = NonNullable<PublishBatchCommandInput['PublishBatchRequestEntries']>[number];

const sns = mockClient(SNSClient);
let output: ReturnType<typeof captureOutput>;

beforeEach(() => {
  sns.reset();
  acceptEverything();
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

/** SNS accepts every entry. */
function acceptEverything(): void {
  sns.reset();
  sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => ({
    Successful: (input.PublishBatchRequestEntries ?? []).map((entry) => ({
      Id: entry.Id,
      MessageId: `message-${entry.Id}`,
    })),
    Failed: [],
  }));
}

async function loadHandler(env: Record<string, string> = {}) {
  vi.resetModules();
  const base = {
    AWS_REGION: 'us-east-1',
    METRICS_NAMESPACE: 'SageMaker/Logs',
    ALERTS_TOPIC_ARN: TOPIC,
    SUPPRESSION_TABLE: '',
    SUPPRESSION_WINDOW_MINUTES: '15',
    METRIC_DEFINITIONS: '',
    // Context reads have their own tests (process-logs-context.test.ts); none here.
    ALERT_CONTEXT: 'false',
  };
  for (const [name, value] of Object.entries({ ...base, ...env })) vi.stubEnv(name, value);
  const { handler } = await import('../../functions/process-logs.ts');
  // Same module graph as the handler's, so instanceof holds.
  const { PublishError } = await import('../../lib/processor/alerting.ts');
  return { invoke: (event: unknown) => handler(event, fakeContext()), PublishError };
}

/** The entries of every PublishBatch call, one array per call. */
function publishedBatches(): Entry[][] {
  return sns
    .commandCalls(PublishBatchCommand)
    .map((call) => call.args[0].input.PublishBatchRequestEntries ?? []);
}

function attributesOf(entry: Entry | undefined): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(entry?.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
  );
}

function formatOf(entry: Entry): string | undefined {
  return entry.MessageAttributes?.format?.StringValue;
}

/** The incident a JSON entry carries. */
function incidentOf(entry: Entry | undefined): Record<string, unknown> {
  return JSON.parse(entry?.Message ?? 'null') as Record<string, unknown>;
}

/** Fingerprints of the JSON entries among `entries`. */
function fingerprintsOf(entries: Entry[]): string[] {
  return entries
    .filter((entry) => formatOf(entry) === 'json')
    .map((entry) => String(incidentOf(entry).fingerprint));
}

interface EmfDocument {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Dimensions: string[][] }> };
  [member: string]: unknown;
}

function emfOf(lines: Line[]): EmfDocument[] {
  return lines.filter((line): line is EmfDocument => '_aws' in line);
}

/** The derived metrics (the processor's own Powertools metrics carry the `service` dimension). */
function derivedEmf(lines: Line[]): EmfDocument[] {
  return emfOf(lines).filter(
    (document) => !document._aws.CloudWatchMetrics[0]?.Dimensions[0]?.includes('service'),
  );
}

/** Sum of a metric over the derived documents (of one dimension set, when given) of one invocation. */
function sumOf(lines: Line[], name: string, dimensions?: readonly string[]): number {
  return derivedEmf(lines)
    .filter(
      (document) =>
        dimensions === undefined ||
        document._aws.CloudWatchMetrics[0]?.Dimensions[0]?.join('|') === dimensions.join('|'),
    )
    .reduce((sum, document) => {
      const value = document[name];
      return sum + (typeof value === 'number' ? value : 0);
    }, 0);
}

/** Runs `invoke` and returns the lines it wrote, and its rejection if any. */
async function run(invoke: () => Promise<unknown>): Promise<{ lines: Line[]; error: unknown }> {
  const from = output.lines().length;
  const error = await invoke().then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  return { lines: output.lines().slice(from), error };
}

/** One delivery of the CUDA OOM (and optionally the missing shard 20 s later) from `startMs`. */
function failureDelivery(startMs: number, withMissingShard = false) {
  const messages = [
    'epoch 1 step 400 loss=1.02',
    ...CUDA_OOM,
    ...(withMissingShard ? Array.from({ length: 20 }, (_, i) => `epoch 1 step ${401 + i} loss=1.01`) : []),
    ...(withMissingShard ? [MISSING_SHARD] : []),
  ];
  return makeDelivery(GROUP, STREAM, messages, startMs);
}

describe('process-logs with ALERTS_TOPIC_ARN: what is published', () => {
  it('a CUDA OOM traceback is one PublishBatch of two entries (json + text), attributed and scrubbed', async () => {
    const { invoke } = await loadHandler();
    const { lines, error } = await run(() =>
      invoke(toSubscriptionEvent(failureDelivery(Date.now() - 5 * MINUTE_MS))),
    );
    expect(error).toBeUndefined();

    const batches = publishedBatches();
    expect(batches).toHaveLength(1);
    const entries = batches[0] ?? [];
    expect(entries.map((entry) => [entry.Id, formatOf(entry)])).toEqual([
      ['0-json', 'json'],
      ['0-text', 'text'],
    ]);
    expect(sns.commandCalls(PublishBatchCommand)[0]?.args[0].input.TopicArn).toBe(TOPIC);
    for (const entry of entries) {
      expect(attributesOf(entry)).toEqual({
        severity: 'critical',
        resourceType: 'TrainingJob',
        category: 'cuda_oom',
        resourceName: JOB,
        format: formatOf(entry),
      });
      expect(entry.Subject?.length).toBeGreaterThan(0);
      expect(entry.Subject?.length).toBeLessThanOrEqual(MAX_SUBJECT_CHARS);
      expect(entry.Subject).not.toMatch(/[\r\n]/);
    }

    const [json, text] = entries as [Entry, Entry];
    const incident = incidentOf(json);
    expect(incident).toMatchObject({
      schemaVersion: 1,
      severity: 'critical',
      category: 'cuda_oom',
      resourceType: 'TrainingJob',
      resourceName: JOB,
      logGroup: GROUP,
      logStream: STREAM,
    });
    expect(incident.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    // The text entry is for people: plain text that names the same incident.
    expect(() => JSON.parse(text.Message ?? '')).toThrow();
    expect(text.Message).toContain(`Fingerprint: ${incident.fingerprint}`);
    expect(text.Message).toContain('torch.OutOfMemoryError: CUDA out of memory');

    // The scrubbed traces of the secrets are there (the context was kept), the secrets are not.
    expect(JSON.stringify(incident.context)).toContain('[REDACTED:aws-access-key-id]');
    const published = JSON.stringify(sns.commandCalls(PublishBatchCommand).map((call) => call.args[0].input));
    const logged = JSON.stringify(lines);
    for (const secret of SECRETS) {
      expect(published).not.toContain(secret);
      expect(logged).not.toContain(secret);
    }
    // Metrics follow the successful publish.
    expect(sumOf(lines, 'Incidents')).toBe(1);
  });

  it('without ALERTS_TOPIC_ARN nothing is published; the incident is logged, scrubbed, at warn', async () => {
    const { invoke } = await loadHandler({ ALERTS_TOPIC_ARN: '' });
    const { lines, error } = await run(() =>
      invoke(toSubscriptionEvent(failureDelivery(Date.now() - 5 * MINUTE_MS))),
    );
    expect(error).toBeUndefined();

    expect(sns.calls()).toHaveLength(0);
    const warned = lines.filter((line) => line.message === 'incident');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({
      level: 'WARN',
      incident: { schemaVersion: 1, category: 'cuda_oom', severity: 'critical', resourceName: JOB },
    });
    const logged = JSON.stringify(lines);
    for (const secret of SECRETS) expect(logged).not.toContain(secret);
    expect(sumOf(lines, 'Incidents')).toBe(1);
  });
  // The toolkit's `ErrorMessage` repeats the exception cut short, so its headline and fingerprint
  // differ from the traceback's; still one OOM must page people once.
  it('the sample CUDA OOM (traceback + toolkit failure block) is one alert', async () => {
    const samples = JSON.parse(
      readFileSync(resolve(import.meta.dirname, '../../samples/deliveries.json'), 'utf8'),
    ) as Array<{ logGroup: string; logStream: string; events: Array<{ message: string }> }>;
    const sample = samples.find((candidate) =>
      candidate.events.some((event) => event.message.includes('CUDA out of memory')),
    );
    expect(sample).toBeDefined();
    const { invoke } = await loadHandler();
    const delivery = makeDelivery(
      sample?.logGroup ?? '',
      sample?.logStream ?? '',
      (sample?.events ?? []).map((event) => event.message),
      Date.now() - 5 * MINUTE_MS,
    );
    const { error } = await run(() => invoke(toSubscriptionEvent(delivery)));
    expect(error).toBeUndefined();
    const alerts = publishedBatches()
      .flat()
      .filter((entry) => formatOf(entry) === 'json');
    expect(alerts.map((entry) => incidentOf(entry).category)).toEqual(['cuda_oom']);
  });
});

describe('process-logs with ALERTS_TOPIC_ARN: failures and retries', () => {
  it('a partly failed PublishBatch rejects before any metric; the retry re-sends only the failed alert', async () => {
    const { invoke, PublishError } = await loadHandler();
    const event = toSubscriptionEvent(failureDelivery(Date.now() - 5 * MINUTE_MS, true));
    sns.reset();
    sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
      const entries = input.PublishBatchRequestEntries ?? [];
      return {
        Successful: entries
          .filter((entry) => entry.Id !== '0-json')
          .map((entry) => ({ Id: entry.Id, MessageId: `message-${entry.Id}` })),
        Failed: [{ Id: '0-json', Code: 'InternalError', Message: 'internal error', SenderFault: false }],
      };
    });

    const first = await run(() => invoke(event));
    expect(first.error).toBeInstanceOf(PublishError);
    // Both incidents were attempted, in one request.
    const [attempted] = publishedBatches();
    expect(attempted).toHaveLength(4);
    const [failedFingerprint, sentFingerprint] = fingerprintsOf(attempted ?? []);
    expect(failedFingerprint).toBeDefined();
    expect(sentFingerprint).toBeDefined();
    expect(failedFingerprint).not.toBe(sentFingerprint);
    // Metrics are written only after every alert is out: none now, so the retry counts them once.
    expect(emfOf(first.lines)).toEqual([]);
    expect(first.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'alert not published',
        id: '0-json',
        code: 'InternalError',
      }),
    );

    acceptEverything();
    const retry = await run(() => invoke(event));
    expect(retry.error).toBeUndefined();
    const batches = publishedBatches();
    expect(batches).toHaveLength(1);
    const resent = batches[0] ?? [];
    expect(resent.map(formatOf)).toEqual(['json', 'text']);
    expect(fingerprintsOf(resent)).toEqual([failedFingerprint]);
    expect(resent[1]?.Message).toContain(`Fingerprint: ${failedFingerprint}`);
    expect(sumOf(retry.lines, 'LogEvents', ['ResourceType'])).toBe(CUDA_OOM.length + 22);

    // And a third delivery of the same payload sends nothing more.
    sns.resetHistory();
    const again = await run(() => invoke(event));
    expect(again.error).toBeUndefined();
    expect(publishedBatches()).toEqual([]);
    expect(derivedEmf(again.lines)).toEqual([]);
  });

  // An alert that went out in a failed attempt is a `duplicate` on the retry; the retry, which is
  // the attempt that writes the metrics, still counts it.
  it('after a partial failure and its retry, Incidents counts both alerts that went out', async () => {
    const { invoke } = await loadHandler();
    const event = toSubscriptionEvent(failureDelivery(Date.now() - 5 * MINUTE_MS, true));
    sns.reset();
    sns.on(PublishBatchCommand).resolves({
      Successful: [
        { Id: '1-json', MessageId: 'a' },
        { Id: '1-text', MessageId: 'b' },
        { Id: '0-text', MessageId: 'c' },
      ],
      Failed: [{ Id: '0-json', Code: 'InternalError', SenderFault: false }],
    });
    const first = await run(() => invoke(event));
    expect(first.error).toBeDefined();

    acceptEverything();
    const retry = await run(() => invoke(event));
    expect(retry.error).toBeUndefined();
    expect(sumOf(first.lines, 'Incidents') + sumOf(retry.lines, 'Incidents')).toBe(2);
  });

  it('throttling rejects before any metric; a later retry sends the alert once', async () => {
    const { invoke } = await loadHandler();
    const event = toSubscriptionEvent(failureDelivery(Date.now() - 5 * MINUTE_MS));
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    sns.reset();
    sns.on(PublishBatchCommand).rejects(throttled);

    const first = await run(() => invoke(event));
    expect(first.error).toMatchObject({ name: 'ThrottlingException' });
    expect(emfOf(first.lines)).toEqual([]);

    const second = await run(() => invoke(event));
    expect(second.error).toMatchObject({ name: 'ThrottlingException' });
    expect(emfOf(second.lines)).toEqual([]);

    acceptEverything();
    const third = await run(() => invoke(event));
    expect(third.error).toBeUndefined();
    const batches = publishedBatches();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.map(formatOf)).toEqual(['json', 'text']);
    expect(sumOf(third.lines, 'Incidents')).toBe(1);
    expect(sumOf(third.lines, 'LogEvents', ['ResourceType'])).toBe(CUDA_OOM.length + 1);

    sns.resetHistory();
    const fourth = await run(() => invoke(event));
    expect(fourth.error).toBeUndefined();
    expect(publishedBatches()).toEqual([]);
  });
});

describe('process-logs with ALERTS_TOPIC_ARN: suppression', () => {
  it('the same failure again within the window is counted, not sent; after it, the alert says how many', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const { invoke } = await loadHandler({ SUPPRESSION_WINDOW_MINUTES: '15' });

    const first = await run(() => invoke(toSubscriptionEvent(failureDelivery(start - 5 * MINUTE_MS))));
    expect(first.error).toBeUndefined();
    const [sent] = publishedBatches();
    const [fingerprint] = fingerprintsOf(sent ?? []);
    expect(fingerprint).toBeDefined();

    // Ten minutes later, a new occurrence (new events) of the same failure.
    vi.setSystemTime(start + 10 * MINUTE_MS);
    sns.resetHistory();
    const second = await run(() => invoke(toSubscriptionEvent(failureDelivery(start + 9 * MINUTE_MS))));
    expect(second.error).toBeUndefined();
    expect(publishedBatches()).toEqual([]);
    expect(sumOf(second.lines, 'IncidentsSuppressed')).toBe(1);
    expect(sumOf(second.lines, 'Incidents')).toBe(0);
    expect(second.lines).toContainEqual(
      expect.objectContaining({
        message: 'delivery processed',
        incidents: { sent: 0, suppressed: 1, duplicate: 0 },
      }),
    );

    // Past the window: sent again, saying one occurrence was suppressed since the last alert.
    vi.setSystemTime(start + 16 * MINUTE_MS);
    const third = await run(() => invoke(toSubscriptionEvent(failureDelivery(start + 15 * MINUTE_MS))));
    expect(third.error).toBeUndefined();
    const [resent] = publishedBatches();
    expect(fingerprintsOf(resent ?? [])).toEqual([fingerprint]);
    const json = resent?.find((entry) => formatOf(entry) === 'json');
    expect(incidentOf(json).suppressedBefore).toBe(1);
    expect(resent?.find((entry) => formatOf(entry) === 'text')?.Message).toMatch(/Suppressed:\s+1\b/);
    expect(sumOf(third.lines, 'Incidents')).toBe(1);
  });
});
