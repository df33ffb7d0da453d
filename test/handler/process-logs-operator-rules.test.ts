import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clearCaches } from '@aws-lambda-powertools/parameters';
import { PublishBatchCommand, type PublishBatchCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, type GetParameterCommandInput, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeDelivery, toSubscriptionEvent } from '../helpers/deliveries.ts';
import { captureOutput, fakeContext } from '../helpers/lambda-harness.ts';

/*
 * The process-logs handler with the operator's rules document in SSM (OPERATOR_RULES_PARAMETER):
 * custom rules decide before the built-in ones, mutes (with an expiry) silence incidents but not
 * their metrics, routes add SNS attributes and post to two Slack webhooks (a local server stands
 * in for Slack), and a bad document fails the cold start naming the variable and the entry.
 */

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:sagewatch-alerts';
const RULES_PARAMETER = '/sagewatch/test/rules';
const WEBHOOK_PATH = '/sagewatch/test/webhooks/';
const GROUP = '/aws/sagemaker/TrainingJobs';
const JOB = 'vision-ft-2026-12-01';
const STREAM = `${JOB}/algo-1-1764148443`;
const MINUTE_MS = 60_000;

const CUDA_OOM =
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 22.06 GiB total capacity)';
const DATALOADER = 'ERROR: DataLoader worker (pid 4242) is killed by signal: Killed.';
const QUOTA = 'upstream answered QUOTA_EXHAUSTED, giving up on this batch';

type Line = Record<string, unknown>;
type Entry = NonNullable<PublishBatchCommandInput['PublishBatchRequestEntries']>[number];

/** Two Slack channels on one local server: /vision and /oncall; /gone answers 404. */
const slack = { url: '', received: [] as { path: string; body: Record<string, unknown> }[] };
const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    if (req.url === '/gone') {
      res.writeHead(404).end('no_service');
      return;
    }
    slack.received.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(parts).toString('utf8')) });
    res.writeHead(200).end('ok');
  });
});

const sns = mockClient(SNSClient);
const ssm = mockClient(SSMClient);
let output: ReturnType<typeof captureOutput>;

function rulesDocument(overrides: Record<string, unknown> = {}) {
  return {
    version: 1,
    rules: [
      {
        id: 'dataloader-killed',
        pattern: 'DataLoader worker \\(pid \\d+\\) is killed',
        severity: 'error',
        category: 'worker_died',
        scope: { resourceType: 'TrainingJob', resourceName: 'vision-*' },
      },
      { id: 'quota', pattern: 'QUOTA_EXHAUSTED', severity: 'error', category: 'throttling' },
    ],
    mutes: [{ id: 'oom-known', pattern: 'CUDA out of memory', until: '2026-12-10' }],
    routes: [
      {
        id: 'vision',
        resourceName: 'vision-*',
        slack: [`${WEBHOOK_PATH}vision`, `${WEBHOOK_PATH}oncall`],
        attributes: { team: 'vision' },
      },
      { id: 'broken', categories: ['throttling'], slack: [`${WEBHOOK_PATH}gone`] },
    ],
    ...overrides,
  };
}

function serveParameters(document: unknown): void {
  ssm.reset();
  ssm.on(GetParameterCommand).callsFake((input: GetParameterCommandInput) => {
    const name = input.Name ?? '';
    if (name === RULES_PARAMETER) {
      return { Parameter: { Name: name, Type: 'String', Value: JSON.stringify(document) } };
    }
    if (name.startsWith(WEBHOOK_PATH)) {
      return {
        Parameter: {
          Name: name,
          Type: 'SecureString',
          Value: `${slack.url}/${name.slice(WEBHOOK_PATH.length)}`,
        },
      };
    }
    const error = new Error(`Parameter ${name} not found.`);
    error.name = 'ParameterNotFound';
    throw error;
  });
}

async function loadHandler(document: unknown, env: Record<string, string> = {}) {
  vi.resetModules();
  clearCaches();
  serveParameters(document);
  const base = {
    AWS_REGION: 'us-east-1',
    METRICS_NAMESPACE: 'SageMaker/Logs',
    ALERTS_TOPIC_ARN: TOPIC,
    SUPPRESSION_TABLE: '',
    METRIC_DEFINITIONS: '',
    OPERATOR_RULES_PARAMETER: RULES_PARAMETER,
    ROUTE_WEBHOOK_PATH: WEBHOOK_PATH,
  };
  for (const [name, value] of Object.entries({ ...base, ...env })) vi.stubEnv(name, value);
  const { handler } = await import('../../functions/process-logs.ts');
  return (event: unknown) => handler(event, fakeContext());
}

function publishedEntries(): Entry[] {
  return sns
    .commandCalls(PublishBatchCommand)
    .flatMap((call) => call.args[0].input.PublishBatchRequestEntries ?? []);
}

function jsonIncidents(): Record<string, unknown>[] {
  return publishedEntries()
    .filter((entry) => entry.MessageAttributes?.format?.StringValue === 'json')
    .map((entry) => JSON.parse(entry.Message ?? '{}') as Record<string, unknown>);
}

function derivedSum(lines: Line[], name: string): number {
  return lines
    .filter((line) => '_aws' in line && !JSON.stringify(line._aws).includes('"service"'))
    .reduce((sum, line) => sum + (typeof line[name] === 'number' ? (line[name] as number) : 0), 0);
}

function ownMetric(lines: Line[], name: string): unknown {
  return lines.find(
    (line) => '_aws' in line && JSON.stringify(line._aws).includes('"service"') && name in line,
  )?.[name];
}

async function run(invoke: () => Promise<unknown>): Promise<{ lines: Line[]; error: unknown }> {
  const from = output.lines().length;
  const error = await invoke().then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  return { lines: output.lines().slice(from), error };
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  slack.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  ssm.restore();
  sns.restore();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  sns.reset();
  sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => ({
    Successful: (input.PublishBatchRequestEntries ?? []).map((entry) => ({
      Id: entry.Id,
      MessageId: `m-${entry.Id}`,
    })),
    Failed: [],
  }));
  slack.received = [];
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('process-logs with the operator rules', () => {
  it('a custom rule decides first, routes add attributes and post to both Slack webhooks with the mute command', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-01T12:00:00Z'), toFake: ['Date'] });
    const invoke = await loadHandler(rulesDocument());
    const { lines, error } = await run(() =>
      invoke(
        toSubscriptionEvent(
          makeDelivery(GROUP, STREAM, ['epoch 1 step 10 loss=1.0', DATALOADER], Date.now() - 2 * MINUTE_MS),
        ),
      ),
    );
    expect(error).toBeUndefined();

    const [incident] = jsonIncidents();
    expect(incident).toMatchObject({ category: 'worker_died', severity: 'error', resourceName: JOB });
    for (const entry of publishedEntries()) {
      expect(entry.MessageAttributes?.team?.StringValue).toBe('vision');
      expect(entry.MessageAttributes?.category?.StringValue).toBe('worker_died');
    }
    // The custom rule's category reaches the metrics too.
    expect(lines.some((line) => '_aws' in line && line.ErrorCategory === 'worker_died')).toBe(true);

    expect(slack.received.map(({ path }) => path).sort()).toEqual(['/oncall', '/vision']);
    const blocks = JSON.stringify(slack.received[0]?.body);
    expect(blocks).toContain(
      `sagewatch mute --fingerprint ${String(incident?.fingerprint)} --until 2026-12-08 --parameter ${RULES_PARAMETER}`,
    );
    // The processor's own metrics are written only when non-zero: no failure, no document.
    expect(ownMetric(lines, 'RouteDeliveryFailures')).toBeUndefined();
    const read = ssm.commandCalls(GetParameterCommand).map((call) => call.args[0].input.Name);
    expect(read).toContain(RULES_PARAMETER);
  });

  it('a muted incident still counts in LogEvents and ErrorEvents, raises no alert, and counts in IncidentsMuted; after the expiry it alerts', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-09T12:00:00Z'), toFake: ['Date'] });
    const invoke = await loadHandler(rulesDocument());
    const muted = await run(() =>
      invoke(
        toSubscriptionEvent(makeDelivery(GROUP, STREAM, ['step 1', CUDA_OOM], Date.now() - 2 * MINUTE_MS)),
      ),
    );
    expect(muted.error).toBeUndefined();
    expect(publishedEntries()).toEqual([]);
    expect(slack.received).toEqual([]);
    expect(derivedSum(muted.lines, 'LogEvents')).toBeGreaterThanOrEqual(2);
    expect(derivedSum(muted.lines, 'ErrorEvents')).toBeGreaterThanOrEqual(1);
    expect(derivedSum(muted.lines, 'IncidentsMuted')).toBe(1);
    expect(derivedSum(muted.lines, 'Incidents')).toBe(0);
    expect(muted.lines).toContainEqual(
      expect.objectContaining({
        message: 'delivery processed',
        muted: [expect.objectContaining({ mute: 'oom-known' })],
      }),
    );

    vi.setSystemTime(Date.parse('2026-12-10T00:05:00Z'));
    const expired = await run(() =>
      invoke(
        toSubscriptionEvent(makeDelivery(GROUP, STREAM, ['step 2', CUDA_OOM], Date.now() - 2 * MINUTE_MS)),
      ),
    );
    expect(expired.error).toBeUndefined();
    expect(jsonIncidents().map((incident) => incident.category)).toEqual(['cuda_oom']);
    expect(derivedSum(expired.lines, 'IncidentsMuted')).toBe(0);
  });

  it('a route that fails does not stop the others nor the delivery; the failure is counted and logged', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-01T12:00:00Z'), toFake: ['Date'] });
    const invoke = await loadHandler(rulesDocument());
    const { lines, error } = await run(() =>
      invoke(toSubscriptionEvent(makeDelivery(GROUP, STREAM, [QUOTA], Date.now() - 2 * MINUTE_MS))),
    );
    expect(error).toBeUndefined();
    expect(jsonIncidents().map((incident) => incident.category)).toEqual(['throttling']);
    expect(slack.received.map(({ path }) => path).sort()).toEqual(['/oncall', '/vision']);
    expect(ownMetric(lines, 'RouteDeliveryFailures')).toBe(1);
    const failed = lines.find((line) => line.message === 'alert route failed');
    expect(failed).toMatchObject({
      route: 'broken',
      parameter: `${WEBHOOK_PATH}gone`,
      ok: false,
      failure: 'webhook-gone',
    });
    expect(JSON.stringify(lines)).not.toContain(`${slack.url}/gone`);
  });

  it('a bad document fails the cold start, naming the variable and the entry', async () => {
    const bad = rulesDocument({
      rules: [{ id: 'greedy', pattern: '(a+)+$', severity: 'error', category: 'none' }],
    });
    await expect(loadHandler(bad)).rejects.toThrow(
      /^OPERATOR_RULES_PARAMETER: rules\[0\] \(id 'greedy'\)\.pattern: not linear-time/,
    );
    await expect(loadHandler(rulesDocument(), { ROUTE_WEBHOOK_PATH: '/elsewhere/' })).rejects.toThrow(
      /OPERATOR_RULES_PARAMETER: routes\[0\] \(id 'vision'\)\.slack: .* not under ROUTE_WEBHOOK_PATH/,
    );
    await expect(
      loadHandler(rulesDocument(), { OPERATOR_RULES_PARAMETER: '/sagewatch/test/missing' }),
    ).rejects.toThrow(/OPERATOR_RULES_PARAMETER: cannot read '\/sagewatch\/test\/missing'/);
  });
});
