import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { clearCaches } from '@aws-lambda-powertools/parameters';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import type { LogsDelivery } from '../../lib/types.ts';
import { toSubscriptionEvent } from '../helpers/deliveries.ts';
import { captureOutput, fakeContext } from '../helpers/lambda-harness.ts';
import { motoClientConfig, resetMoto, subscribeQueue } from './moto.ts';

/*
 * The operator's rules against moto: the rules document and two Slack webhook URLs in SSM (the
 * webhooks point at a local server on 127.0.0.1 standing in for Slack), the alerts topic with an
 * SQS subscriber that filters on a route's `team` attribute and one that takes every JSON alert.
 * The real process-logs handler reads the rules at cold start; `sagewatch mute` writes a mute into
 * the same parameter; a bad document fails the cold start.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = resolve(ROOT, 'bin/sagewatch.ts');
const RULES_PARAMETER = '/sagewatch/it/rules';
const WEBHOOK_PATH = '/sagewatch/it/webhooks/';
const LOG_TIME = Date.parse('2026-11-26T09:20:00Z');

interface SampleDelivery {
  logGroup: string;
  logStream: string;
  events: Array<{ offsetSeconds: number; message: string }>;
}
const samples = JSON.parse(
  readFileSync(resolve(ROOT, 'samples/deliveries.json'), 'utf8'),
) as SampleDelivery[];
const sample = (prefix: string) => samples.find((s) => s.logStream.startsWith(prefix)) as SampleDelivery;
const ENDPOINT_MODEL = sample('AllTraffic/i-0a1b2c3d4e5f60718/model');
const CUDA = sample('llama-ft-2026-11-26-09-14-03-512/algo-3-');
const NOTEBOOK = sample('research-nb/');

let nextEventId = 39_000_000_000_000n;
function toDelivery(s: SampleDelivery, startMs: number): LogsDelivery {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: s.logGroup,
    logStream: s.logStream,
    subscriptionFilters: ['sagewatch'],
    logEvents: s.events.map((event) => ({
      id: String(nextEventId++),
      timestamp: startMs + event.offsetSeconds * 1000,
      message: event.message,
    })),
  };
}

const RULES = {
  version: 1,
  rules: [
    {
      id: 'efa-collnet-plugin-missing',
      pattern: 'Failed to find ncclCollNetPlugin',
      severity: 'warning',
      category: 'nccl',
      scope: { resourceType: 'TrainingJob', resourceName: 'llama-*' },
    },
  ],
  mutes: [{ id: 'research-notebooks', resourceName: 'research-*', until: '2026-12-31' }],
  routes: [
    {
      id: 'fraud-team',
      resourceName: 'fraud-*',
      slack: [`${WEBHOOK_PATH}fraud`],
      attributes: { team: 'fraud' },
    },
    { id: 'gpu-oncall', categories: ['cuda_oom'], minSeverity: 'critical', slack: [`${WEBHOOK_PATH}gpu`] },
  ],
};

const slack = { url: '', received: [] as { path: string; text: string }[] };
const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    slack.received.push({ path: req.url ?? '', text: Buffer.concat(parts).toString('utf8') });
    res.writeHead(200).end('ok');
  });
});

const sns = new SNSClient(motoClientConfig());
const sqs = new SQSClient(motoClientConfig());
const ssm = new SSMClient(motoClientConfig());
const queues = new Map<string, string>();
const workDir = mkdtempSync(join(tmpdir(), 'sagewatch-rules-'));
let topicArn = '';
let output: ReturnType<typeof captureOutput>;

async function putRules(document: unknown): Promise<void> {
  await ssm.send(
    new PutParameterCommand({
      Name: RULES_PARAMETER,
      Type: 'String',
      Value: JSON.stringify(document),
      Overwrite: true,
    }),
  );
}

/** Drains a queue: the JSON incidents it holds, with their message attributes. */
async function drain(queue: string): Promise<{ incident: Record<string, unknown>; team?: string }[]> {
  const url = queues.get(queue) as string;
  const received: { incident: Record<string, unknown>; team?: string }[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) return received;
    for (const message of Messages) {
      const team = message.MessageAttributes?.team?.StringValue;
      received.push({ incident: JSON.parse(message.Body ?? '{}'), ...(team ? { team } : {}) });
    }
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: Messages.map((message, i) => ({
          Id: String(i),
          ReceiptHandle: message.ReceiptHandle ?? '',
        })),
      }),
    );
  }
}

async function coldHandler() {
  vi.resetModules();
  clearCaches();
  const env = {
    AWS_ENDPOINT_URL: inject('motoEndpoint'),
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    ALERTS_TOPIC_ARN: topicArn,
    SUPPRESSION_TABLE: '',
    METRICS_DETAIL: '',
    METRIC_DEFINITIONS: '',
    OPERATOR_RULES_PARAMETER: RULES_PARAMETER,
    ROUTE_WEBHOOK_PATH: WEBHOOK_PATH,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const { handler } = await import('../../functions/process-logs.ts');
  return async (deliveries: readonly LogsDelivery[]) => {
    for (const delivery of deliveries) await handler(toSubscriptionEvent(delivery), fakeContext());
  };
}

function runCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: workDir,
    AWS_ENDPOINT_URL: inject('motoEndpoint'),
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(workDir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: workDir, env });
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
    child.stdin.end('');
  });
}

function emfSum(name: string): number {
  return output
    .lines()
    .filter((line) => '_aws' in line && !JSON.stringify(line._aws).includes('"service"'))
    .reduce((sum, line) => sum + (typeof line[name] === 'number' ? (line[name] as number) : 0), 0);
}

describe('operator rules: SSM → process-logs → SNS attributes and Slack routes', () => {
  beforeAll(async () => {
    await resetMoto();
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    slack.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ({ TopicArn: topicArn = '' } = await sns.send(new CreateTopicCommand({ Name: 'sagewatch-alerts' })));
    const policies = {
      'fraud-team': { team: ['fraud'], format: ['json'] },
      everything: { format: ['json'] },
    };
    for (const [queue, policy] of Object.entries(policies)) {
      queues.set(
        queue,
        await subscribeQueue(sns, sqs, topicArn, queue, {
          FilterPolicyScope: 'MessageAttributes',
          FilterPolicy: JSON.stringify(policy),
          RawMessageDelivery: 'true',
        }),
      );
    }
    for (const name of ['fraud', 'gpu']) {
      await ssm.send(
        new PutParameterCommand({
          Name: `${WEBHOOK_PATH}${name}`,
          Type: 'SecureString',
          Value: `${slack.url}/${name}`,
        }),
      );
    }
    await putRules(RULES);
  });

  beforeEach(async () => {
    slack.received = [];
    output = captureOutput();
    await drain('fraud-team');
    await drain('everything');
  });

  afterEach(() => {
    output.restore();
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  afterAll(async () => {
    await new Promise((ok) => server.close(ok));
  });

  it('routes by attribute and to two Slack webhooks, mutes the notebook, and a custom rule adds an incident', async () => {
    vi.useFakeTimers({ now: LOG_TIME + 5 * 60_000, toFake: ['Date'] });
    const run = await coldHandler();
    await run([
      toDelivery(ENDPOINT_MODEL, LOG_TIME),
      toDelivery(CUDA, LOG_TIME),
      toDelivery(NOTEBOOK, LOG_TIME),
      toDelivery(sample('llama-ft-2026-11-26-09-14-03-512/algo-1-'), LOG_TIME),
    ]);

    const fraud = await drain('fraud-team');
    // The endpoint sample's 5xx answers and its dying worker are one problem in one delivery: one
    // incident, headed by the worker's death (lib/incidents/, one problem one incident).
    expect(fraud.map(({ incident }) => incident.category).sort()).toEqual(['worker_died']);
    expect(fraud.every(({ team }) => team === 'fraud')).toBe(true);

    const everything = await drain('everything');
    expect(everything.map(({ incident }) => incident.category).sort()).toEqual([
      'cuda_oom',
      'nccl',
      'worker_died',
    ]);
    expect(everything.some(({ incident }) => incident.resourceType === 'NotebookInstance')).toBe(false);

    expect(slack.received.map(({ path }) => path).sort()).toEqual(['/fraud', '/gpu']);
    const cuda = everything.find(({ incident }) => incident.category === 'cuda_oom')?.incident;
    const gpuPost = slack.received.find(({ path }) => path === '/gpu')?.text ?? '';
    expect(gpuPost).toContain(
      `sagewatch mute --fingerprint ${String(cuda?.fingerprint)} --until 2026-12-03 --parameter ${RULES_PARAMETER}`,
    );
    // The endpoint sample's secrets never reach Slack.
    for (const { text } of slack.received) expect(text).not.toContain('sk_live_4eC39HqLyjWDarjtT1zdp7dc');

    expect(emfSum('IncidentsMuted')).toBe(4);
  });

  it('after the mute expires the notebook alerts again', async () => {
    const later = Date.parse('2027-01-04T10:00:00Z');
    vi.useFakeTimers({ now: later + 5 * 60_000, toFake: ['Date'] });
    const run = await coldHandler();
    await run([toDelivery(NOTEBOOK, later)]);
    const everything = await drain('everything');
    // The lifecycle sample holds two failures: the missing module and the missing conda command.
    expect(everything.map(({ incident }) => [incident.resourceType, incident.category]).sort()).toEqual([
      ['NotebookInstance', 'import_error'],
      ['NotebookInstance', 'user_script_error'],
    ]);
    expect(emfSum('IncidentsMuted')).toBe(0);
  });

  it('sagewatch mute writes the parameter (a dry run does not), and the next cold start mutes that fingerprint', async () => {
    vi.useFakeTimers({ now: LOG_TIME + 5 * 60_000, toFake: ['Date'] });
    const first = await coldHandler();
    await first([toDelivery(CUDA, LOG_TIME)]);
    const [cuda] = await drain('everything');
    const fingerprint = String(cuda?.incident.fingerprint);

    const dry = await runCli([
      'mute',
      '--fingerprint',
      fingerprint,
      '--until',
      '2027-01-31',
      '--parameter',
      RULES_PARAMETER,
      '--dry-run',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run, nothing written');
    const unchanged = await ssm.send(new GetParameterCommand({ Name: RULES_PARAMETER }));
    expect(JSON.parse(unchanged.Parameter?.Value ?? '{}')).toEqual(RULES);

    const wrote = await runCli([
      'mute',
      '--fingerprint',
      fingerprint,
      '--until',
      '2027-01-31',
      '--reason',
      'known, fix in #42',
      '--parameter',
      RULES_PARAMETER,
    ]);
    expect(wrote).toMatchObject({ code: 0, stderr: '' });
    const stored = JSON.parse(
      (await ssm.send(new GetParameterCommand({ Name: RULES_PARAMETER }))).Parameter?.Value ?? '{}',
    );
    expect(stored.mutes).toEqual([
      ...RULES.mutes,
      { fingerprint, until: '2027-01-31', reason: 'known, fix in #42' },
    ]);

    const bad = await runCli(['mute', '--fingerprint', 'not-hex', '--parameter', RULES_PARAMETER]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('mutes[2].fingerprint: 16 lower-case hex characters');

    slack.received = [];
    const second = await coldHandler();
    await second([toDelivery(CUDA, LOG_TIME + 60 * 60_000)]);
    expect(await drain('everything')).toEqual([]);
    expect(slack.received).toEqual([]);
    expect(emfSum('IncidentsMuted')).toBeGreaterThanOrEqual(1);
    await putRules(RULES);
  });

  it('a bad document in the parameter fails the cold start, naming the variable and the entry', async () => {
    await putRules({
      ...RULES,
      routes: [{ id: 'leaky', slack: ['https://hooks.slack.com/services/T0/B0/x'] }],
    });
    await expect(coldHandler()).rejects.toThrow(
      /^OPERATOR_RULES_PARAMETER: routes\[0\] \(id 'leaky'\)\.slack\[0\]: an SSM parameter name starting with \/, not a URL$/,
    );
    await putRules(RULES);
  });

  it('classify --rules and replay --rules dry runs show what the file would change', async () => {
    const rulesFile = join(workDir, 'rules.json');
    writeFileSync(rulesFile, JSON.stringify(RULES));
    const eventsFile = join(workDir, 'events.jsonl');
    writeFileSync(
      eventsFile,
      [NOTEBOOK, sample('llama-ft-2026-11-26-09-14-03-512/algo-1-')]
        .flatMap((s) =>
          s.events.map((event, i) =>
            JSON.stringify({
              logGroupName: s.logGroup,
              logStreamName: s.logStream,
              timestamp: LOG_TIME + event.offsetSeconds * 1000,
              message: event.message,
              eventId: `${s.logStream}-${i}`,
            }),
          ),
        )
        .join('\n'),
    );
    const replay = await runCli([
      'replay',
      eventsFile,
      '--rules',
      rulesFile,
      '--metrics-file',
      join(workDir, 'emf.jsonl'),
      '--json',
    ]);
    expect(replay.code).toBe(0);
    const report = JSON.parse(replay.stdout);
    expect(report.dryRun).toBe(true);
    expect(report.rules.changedLines).toEqual([
      expect.objectContaining({
        before: expect.objectContaining({ category: 'none' }),
        after: expect.objectContaining({ ruleId: 'custom/efa-collnet-plugin-missing' }),
      }),
    ]);
    expect(report.rules.added.map((incident: { category: string }) => incident.category)).toEqual(['nccl']);
    expect(report.rules.muted.map((incident: { mute: string }) => incident.mute)).toEqual([
      'research-notebooks',
      'research-notebooks',
    ]);
    expect(report.incidents.map((incident: { category: string }) => incident.category)).toEqual(['nccl']);

    const text = await runCli([
      'replay',
      eventsFile,
      '--rules',
      rulesFile,
      '--metrics-file',
      join(workDir, 'emf.jsonl'),
    ]);
    expect(text.stdout).toContain('Incidents muted (2):');
    expect(text.stdout).toContain('by mute research-notebooks');

    const classify = await runCli([
      'classify',
      eventsFile,
      '--format',
      'jsonl',
      '--rules',
      rulesFile,
      '--json',
    ]);
    expect(classify.code).toBe(0);
    const changed = classify.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((record) => record.changedFrom);
    expect(changed).toEqual([
      expect.objectContaining({
        ruleId: 'custom/efa-collnet-plugin-missing',
        changedFrom: expect.objectContaining({ ruleId: 'benign-nccl-info' }),
      }),
    ]);

    writeFileSync(
      join(workDir, 'bad.json'),
      JSON.stringify({
        version: 1,
        rules: [{ id: 'x', pattern: '(.*)*', severity: 'error', category: 'none' }],
      }),
    );
    const bad = await runCli(['classify', '-m', 'x', '--rules', join(workDir, 'bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("rules[0] (id 'x').pattern: not linear-time");
  });
});
