import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { createClassifier } from '../../lib/classify/index.ts';
import { toIncidents } from '../../lib/incidents/index.ts';
import { processDelivery } from '../../lib/processor/process-delivery.ts';
import type { LogsDelivery } from '../../lib/types.ts';
import { toSubscriptionEvent } from '../helpers/deliveries.ts';
import { captureOutput, fakeContext } from '../helpers/lambda-harness.ts';
import { createSuppressionTable, motoClientConfig, resetMoto, subscribeQueue } from './moto.ts';

/*
 * The real process-logs handler against moto: a suppression table created as infra creates it, an
 * alerts topic, and SQS queues subscribed with attribute filter policies standing in for email,
 * automation and narrower consumers. One scenario in order: first deliveries, the same deliveries
 * again, a new occurrence inside the suppression window, and one after it.
 */

const TABLE = 'sagewatch-suppression';
const JOB = 'llama-ft-2026-11-26-09-14-03-512';
const MINUTE_MS = 60_000;
const WINDOW_MINUTES = 15;

/** Subscription filter policies (scope MessageAttributes), by queue name. */
const POLICIES: Record<string, Record<string, string[]>> = {
  'email-like': { severity: ['critical'], format: ['text'] },
  automation: { format: ['json'] },
  'endpoints-only': { resourceType: ['Endpoint'], format: ['json'] },
  'one-job': { resourceName: [JOB], format: ['json'] },
  'cuda-only': { category: ['cuda_oom'], format: ['json'] },
};
const QUEUES = Object.keys(POLICIES);
const JSON_QUEUES = QUEUES.filter((queue) => POLICIES[queue]?.format?.includes('json'));

/** Secrets in the endpoint sample: they must never reach a subscriber. */
const SAMPLE_SECRETS = [
  'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmcmF1ZC1tb2RlbCJ9',
];

interface SampleDelivery {
  logGroup: string;
  logStream: string;
  events: Array<{ offsetSeconds: number; message: string }>;
}

const samples = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../samples/deliveries.json'), 'utf8'),
) as SampleDelivery[];
const cudaSample = samples.find((sample) => sample.logStream.startsWith(`${JOB}/algo-3-`)) as SampleDelivery;

let nextEventId = 38_000_000_000_000n;

/** A delivery of a sample with fresh event ids, its events from `startMs` on. */
function toDelivery(sample: SampleDelivery, startMs: number): LogsDelivery {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: sample.logGroup,
    logStream: sample.logStream,
    subscriptionFilters: ['sagewatch'],
    logEvents: sample.events.map((event) => ({
      id: String(nextEventId++),
      timestamp: startMs + event.offsetSeconds * 1000,
      message: event.message,
    })),
  };
}

/** What a subscriber got: raw delivery, so the body is the published message itself. */
interface Received {
  body: string;
  attributes: Record<string, string | undefined>;
}

/** An incident as identified in a queue. */
interface Identity {
  fingerprint: string;
  severity: string;
  category: string;
  resourceType: string;
  resourceName?: string;
}

/** The incidents the deliveries hold, from the pure pipeline: the oracle for what is published. */
function expectedIdentities(deliveries: readonly LogsDelivery[], nowMs: number): Identity[] {
  const classify = createClassifier({ metricDefinitions: [] });
  return deliveries.flatMap((delivery) => {
    const processed = processDelivery(delivery, { classify, detail: 'host', nowMs });
    return toIncidents(processed.classified, processed.source).map(
      ({ fingerprint, severity, category, resourceType, resourceName }) => ({
        fingerprint,
        severity,
        category,
        resourceType,
        ...(resourceName === undefined ? {} : { resourceName }),
      }),
    );
  });
}

/** Whether an attribute filter policy of exact values lets a message with `attributes` through. */
function allows(policy: Record<string, string[]>, attributes: Record<string, string | undefined>): boolean {
  return Object.entries(policy).every(([name, values]) => values.includes(attributes[name] ?? ''));
}

function attributesOf(identity: Identity, format: 'json' | 'text'): Record<string, string | undefined> {
  return {
    severity: identity.severity,
    category: identity.category,
    resourceType: identity.resourceType,
    resourceName: identity.resourceName,
    format,
  };
}

const byFingerprint = (a: string, b: string) => a.localeCompare(b);

function textFingerprint(body: string): string {
  return /^Fingerprint: ([0-9a-f]{16})\b/m.exec(body)?.[1] ?? 'none';
}

describe('alert delivery: process-logs → SNS (filter policies) → SQS, suppression in DynamoDB', () => {
  const dynamodb = new DynamoDBClient(motoClientConfig());
  const sns = new SNSClient(motoClientConfig());
  const sqs = new SQSClient(motoClientConfig());
  const queueUrls = new Map<string, string>();
  let topicArn = '';
  let output: ReturnType<typeof captureOutput>;

  beforeAll(async () => {
    await resetMoto();
    await createSuppressionTable(dynamodb, TABLE);
    ({ TopicArn: topicArn = '' } = await sns.send(new CreateTopicCommand({ Name: 'sagewatch-alerts' })));
    for (const queue of QUEUES) {
      const queueUrl = await subscribeQueue(sns, sqs, topicArn, queue, {
        FilterPolicyScope: 'MessageAttributes',
        FilterPolicy: JSON.stringify(POLICIES[queue]),
        RawMessageDelivery: 'true',
      });
      queueUrls.set(queue, queueUrl);
    }
  });

  beforeEach(() => {
    output = captureOutput();
  });

  afterEach(() => {
    output.restore();
    vi.unstubAllEnvs();
  });

  afterAll(() => {
    vi.useRealTimers();
  });

  /** A cold start of the handler pointed at moto: only the table remembers earlier invocations. */
  async function coldHandler() {
    vi.resetModules();
    const env = {
      AWS_ENDPOINT_URL: inject('motoEndpoint'),
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      ALERTS_TOPIC_ARN: topicArn,
      SUPPRESSION_TABLE: TABLE,
      SUPPRESSION_WINDOW_MINUTES: String(WINDOW_MINUTES),
      METRICS_DETAIL: '',
      METRIC_DEFINITIONS: '',
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const { handler } = await import('../../functions/process-logs.ts');
    return async (deliveries: readonly LogsDelivery[]) => {
      for (const delivery of deliveries) await handler(toSubscriptionEvent(delivery), fakeContext());
    };
  }

  /** Receives (and deletes) everything a queue holds; moto delivers SNS → SQS synchronously. */
  async function drain(queue: string): Promise<Received[]> {
    const QueueUrl = queueUrls.get(queue) ?? '';
    const received: Received[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) return received;
      for (const message of Messages) {
        received.push({
          body: message.Body ?? '',
          attributes: Object.fromEntries(
            Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
          ),
        });
      }
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: Messages.map((message, i) => ({
            Id: String(i),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
    }
  }

  async function drainAll(): Promise<Record<string, Received[]>> {
    const all: Record<string, Received[]> = {};
    for (const queue of QUEUES) all[queue] = await drain(queue);
    return all;
  }

  async function scanTable(): Promise<Array<Record<string, AttributeValue>>> {
    const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: TABLE }));
    return Items.sort((a, b) => String(a.pk?.S).localeCompare(String(b.pk?.S)));
  }

  /** Fingerprints of the JSON incidents in a queue, and checks each is a schema-1 incident. */
  function jsonFingerprints(received: readonly Received[]): string[] {
    return received
      .map(({ body, attributes }) => {
        const incident = JSON.parse(body) as Record<string, unknown>;
        expect(incident.schemaVersion).toBe(1);
        // The attributes filtered on and the incident agree.
        expect(attributes).toMatchObject({
          severity: incident.severity,
          category: incident.category,
          resourceType: incident.resourceType,
          format: 'json',
        });
        return String(incident.fingerprint);
      })
      .sort(byFingerprint);
  }

  const start = Date.now();
  const firstDeliveries = samples.map((sample) => toDelivery(sample, start - 10 * MINUTE_MS));
  let expected: Identity[] = [];
  let tableAfterFirst: Array<Record<string, AttributeValue>> = [];

  it('first deliveries: each queue receives exactly what its filter policy allows', async () => {
    expected = expectedIdentities(firstDeliveries, start);
    // The samples hold what this scenario needs: a CUDA OOM, a dying endpoint worker, a notebook failure.
    expect(
      expected.filter((i) => i.category === 'cuda_oom' && i.resourceName === JOB).length,
    ).toBeGreaterThan(0);
    expect(
      expected.filter((i) => i.resourceType === 'Endpoint' && i.severity === 'critical').length,
    ).toBeGreaterThan(0);
    expect(expected.filter((i) => i.resourceType === 'NotebookInstance').length).toBeGreaterThan(0);
    expect(new Set(expected.map((i) => i.fingerprint)).size).toBe(expected.length);

    const invoke = await coldHandler();
    await invoke(firstDeliveries);
    const received = await drainAll();

    for (const queue of JSON_QUEUES) {
      const policy = POLICIES[queue] ?? {};
      const want = expected
        .filter((identity) => allows(policy, attributesOf(identity, 'json')))
        .map((identity) => identity.fingerprint)
        .sort(byFingerprint);
      expect({ queue, fingerprints: jsonFingerprints(received[queue] ?? []) }).toEqual({
        queue,
        fingerprints: want,
      });
    }
    // Sanity of the filters themselves: the narrow queues are narrow, and not empty.
    expect(received['cuda-only']?.length).toBeGreaterThan(0);
    expect(received['endpoints-only']?.length).toBeGreaterThan(0);
    expect(received['one-job']?.length).toBeLessThan(received.automation?.length ?? 0);

    // Email readers get plain text, critical only: one per critical incident.
    const email = received['email-like'] ?? [];
    const critical = expected.filter((identity) => identity.severity === 'critical');
    expect(email.map(({ body }) => textFingerprint(body)).sort(byFingerprint)).toEqual(
      critical.map((identity) => identity.fingerprint).sort(byFingerprint),
    );
    for (const { body, attributes } of email) {
      expect(() => JSON.parse(body)).toThrow();
      expect(body).toMatch(/^Severity:\s+critical$/m);
      expect(attributes).toMatchObject({ severity: 'critical', format: 'text' });
    }

    const everything = JSON.stringify(received);
    for (const secret of SAMPLE_SECRETS) expect(everything).not.toContain(secret);

    // Every sent alert holds its window in the table; every delivery is remembered.
    tableAfterFirst = await scanTable();
    const windows = tableAfterFirst.filter((item) => item.pk?.S?.startsWith('fp#'));
    expect(windows.map((item) => String(item.pk?.S).slice(3)).sort(byFingerprint)).toEqual(
      expected.map((identity) => identity.fingerprint).sort(byFingerprint),
    );
    for (const item of windows) {
      expect(item.suppressed).toEqual({ N: '0' });
      expect(item.occurrences?.SS).toHaveLength(1);
    }
    expect(tableAfterFirst.filter((item) => item.pk?.S?.startsWith('delivery#'))).toHaveLength(
      firstDeliveries.length,
    );
  });

  it('the same deliveries again: no message anywhere, no metric, and the table unchanged', async () => {
    expect(expected.length).toBeGreaterThan(0);
    const invoke = await coldHandler();
    await invoke(firstDeliveries);

    const received = await drainAll();
    for (const queue of QUEUES) expect({ queue, received: received[queue] }).toEqual({ queue, received: [] });
    const lines = output.lines();
    // Derived metrics carry the delivery's LogGroup; the processor's own do not.
    expect(lines.filter((line) => '_aws' in line && 'LogGroup' in line)).toEqual([]);
    const reports = lines.filter((line) => line.message === 'delivery processed');
    expect(reports).toHaveLength(firstDeliveries.length);
    for (const report of reports) expect(report.duplicateDelivery).toBe(true);
    // Every incident is recognised as already handled: a duplicate, not a suppressed repeat.
    const outcomes = reports.map((report) => report.incidents as Record<string, number>);
    expect(outcomes.reduce((sum, outcome) => sum + (outcome.duplicate ?? 0), 0)).toBe(expected.length);
    expect(outcomes.reduce((sum, outcome) => sum + (outcome.suppressed ?? 0) + (outcome.sent ?? 0), 0)).toBe(
      0,
    );
    // No double count: not one attribute of one item changed.
    expect(await scanTable()).toEqual(tableAfterFirst);
  });

  it('a new occurrence of the CUDA OOM inside the window is counted in the table, not sent', async () => {
    const invoke = await coldHandler();
    await invoke([toDelivery(cudaSample, start - 3 * MINUTE_MS)]);

    const received = await drainAll();
    for (const queue of QUEUES) expect({ queue, received: received[queue] }).toEqual({ queue, received: [] });
    const suppressed = output
      .lines()
      .reduce(
        (sum, line) => sum + (typeof line.IncidentsSuppressed === 'number' ? line.IncidentsSuppressed : 0),
        0,
      );
    // Suppression counts occurrences: an incident that held the OOM twice (traceback and the
    // toolkit's report) adds its count.
    const counts = cudaCounts();
    expect(suppressed).toBe([...counts.values()].reduce((sum, count) => sum + count, 0));
    const table = await scanTable();
    for (const [fingerprint, count] of counts) {
      const item = table.find((row) => row.pk?.S === `fp#${fingerprint}`);
      expect(item?.suppressed).toEqual({ N: String(count) });
      expect(item?.occurrences?.SS).toHaveLength(2);
    }
  });

  it('past the window, the next occurrence is sent again and says how many were suppressed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(start + (WINDOW_MINUTES + 1) * MINUTE_MS);
    const invoke = await coldHandler();
    await invoke([toDelivery(cudaSample, start + WINDOW_MINUTES * MINUTE_MS)]);

    const received = await drainAll();
    const want = cudaFingerprints();
    for (const queue of ['automation', 'cuda-only', 'one-job']) {
      const incidents = (received[queue] ?? []).map(
        ({ body }) => JSON.parse(body) as Record<string, unknown>,
      );
      expect(incidents.map((incident) => String(incident.fingerprint)).sort(byFingerprint)).toEqual(want);
      for (const incident of incidents) {
        expect(incident.suppressedBefore).toBe(cudaCounts().get(String(incident.fingerprint)));
      }
    }
    expect(received['endpoints-only']).toEqual([]);
    const email = received['email-like'] ?? [];
    expect(email.map(({ body }) => textFingerprint(body)).sort(byFingerprint)).toEqual(want);
    for (const { body } of email) {
      expect(body).toMatch(new RegExp(`^Suppressed:\\s+${cudaCounts().get(textFingerprint(body))}\\b`, 'm'));
    }
  });

  /** Occurrence counts of the incidents of the CUDA OOM stream, by fingerprint. */
  function cudaCounts(): Map<string, number> {
    const delivery = toDelivery(cudaSample, start - 10 * MINUTE_MS);
    const processed = processDelivery(delivery, {
      classify: createClassifier({}),
      detail: 'host',
      nowMs: start,
    });
    const counts = new Map(
      toIncidents(processed.classified, processed.source).map((i) => [i.fingerprint, i.count]),
    );
    expect(counts.size).toBeGreaterThan(0);
    return counts;
  }

  /** Fingerprints of the incidents of the CUDA OOM stream. */
  function cudaFingerprints(): string[] {
    const fingerprints = expectedIdentities([toDelivery(cudaSample, start - 10 * MINUTE_MS)], start).map(
      (identity) => identity.fingerprint,
    );
    expect(fingerprints.length).toBeGreaterThan(0);
    return fingerprints.sort(byFingerprint);
  }
});
