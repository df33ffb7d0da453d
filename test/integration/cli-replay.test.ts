/**
 * The `sagewatch` CLI against moto, run as a child process the way an operator runs it. A replay of
 * log groups filled with PutLogEvents (several streams, several FilterLogEvents pages) must give the
 * metrics and incidents the process-logs handler gives on the same events; `--put-metrics` data
 * must read back with GetMetricData at the original minutes; every file format must replay to the
 * same metrics; `subscribe --dry-run` must change nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeSubscriptionFiltersCommand,
  type FilteredLogEvent,
  PutLogEventsCommand,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsClient } from '../../lib/aws/metric-data.ts';
import type { Incident } from '../../lib/incidents/index.ts';
import { toSubscriptionEvent } from '../helpers/deliveries.ts';
import { captureOutput, fakeContext } from '../helpers/lambda-harness.ts';
import { motoClientConfig, resetMoto, subscribeQueue } from './moto.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = resolve(ROOT, 'bin/sagewatch.ts');
const TRAINING = '/aws/sagemaker/TrainingJobs';
const ENDPOINT = '/aws/sagemaker/Endpoints/fraud-pipeline-prod';
const JOB = 'llama-ft-2026-11-26-09-14-03-512';
const PROCESSOR_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:sagewatch-it-process-logs';
/** Small pages, so a few hundred events take several FilterLogEvents calls. */
const PAGE_SIZE = 20;
/** A whole minute, 20 minutes ago: inside every window, and minute buckets start on it. */
const START = Math.floor((Date.now() - 20 * 60_000) / 60_000) * 60_000;

interface Sample {
  logGroup: string;
  logStream: string;
  events: { offsetSeconds: number; message: string }[];
}

const samples = (
  JSON.parse(readFileSync(resolve(ROOT, 'samples/deliveries.json'), 'utf8')) as Sample[]
).filter((sample) => sample.logGroup === TRAINING || sample.logGroup === ENDPOINT);
// More minutes of training metrics on one host, and a message of several lines (a file format
// must keep it whole).
const algo1 = samples.find((sample) => sample.logStream.startsWith(`${JOB}/algo-1-`));
for (let i = 0; i < 40; i++) {
  algo1?.events.push({
    offsetSeconds: 120 + i * 6,
    message: `{'loss': ${(1 - i / 100).toFixed(4)}, 'epoch': 2}`,
  });
}
samples
  .find((sample) => sample.logStream.startsWith(`${JOB}/algo-3-`))
  ?.events.push({
    offsetSeconds: 17,
    message:
      'Traceback (most recent call last):\n  File "/opt/ml/code/eval.py", line 9, in <module>\nValueError: eval, failed',
  });

const logs = new CloudWatchLogsClient(motoClientConfig());
const cloudwatch = createMetricsClient(motoClientConfig());
const workDir = mkdtempSync(join(tmpdir(), 'sagewatch-cli-'));

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with this Node, a clean environment pointed at moto, and optional standard input. */
function runCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; input?: string } = {},
): Promise<CliResult> {
  const env: Record<string, string> = {};
  const merged = {
    PATH: process.env.PATH,
    HOME: workDir,
    AWS_ENDPOINT_URL: motoClientConfig().endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(workDir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...options.env,
  };
  for (const [name, value] of Object.entries(merged)) if (value !== undefined) env[name] = value;
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
    child.stdin.end(options.input ?? '');
  });
}

async function runJson<T>(args: readonly string[]): Promise<T> {
  const result = await runCli([...args, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** JSON with object keys sorted, so documents compare whatever their member order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) =>
    member && typeof member === 'object' && !Array.isArray(member)
      ? Object.fromEntries(Object.entries(member).sort(([a], [b]) => (a < b ? -1 : 1)))
      : member,
  );
}

function readEmfFile(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => canonical(JSON.parse(line)))
    .sort();
}

async function filterAll(logGroupName: string): Promise<FilteredLogEvent[]> {
  const events: FilteredLogEvent[] = [];
  for await (const page of paginateFilterLogEvents({ client: logs }, { logGroupName })) {
    events.push(...(page.events ?? []));
  }
  return events;
}

interface ReplayOutput {
  input: { kind: string; pages?: number; events: number };
  dryRun: boolean;
  summary: {
    streams: {
      logStream: string;
      events: number;
      errors: number;
      incidents: number;
      suppressed: number;
      errorsByCategory: Record<string, number>;
    }[];
    totals: { events: number; errors: number; incidents: number; suppressed: number; deliveries: number };
  };
  incidents: Incident[];
  metrics: { file: string; emfDocuments: number };
  putMetrics?: { namespace: string; requests: number; datums: number; skippedOutOfWindow: number };
}

/**
 * The process-logs handler itself, fed the same events: one subscription payload per stream, in the
 * order of their first events (as a replay orders them). Returns its EMF documents and the
 * incidents it logged (no topic is configured, so it logs instead of publishing).
 */
async function runHandler(events: FilteredLogEvent[], logGroup: string) {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    METRICS_DETAIL: 'host',
    METRICS_NAMESPACE: 'SageMaker/Logs',
    // The replay gathers no alert context; neither does the handler it is compared with.
    ALERT_CONTEXT: 'false',
  });
  delete process.env.ALERTS_TOPIC_ARN;
  delete process.env.SUPPRESSION_TABLE;
  delete process.env.METRIC_DEFINITIONS;
  const { handler } = (await import('../../functions/process-logs.ts')) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  const byStream = new Map<string, FilteredLogEvent[]>();
  for (const event of events) {
    const stream = event.logStreamName ?? '';
    byStream.set(stream, [...(byStream.get(stream) ?? []), event]);
  }
  const streams = [...byStream].map(([logStream, streamEvents]) => ({
    logStream,
    events: [...streamEvents].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0)),
  }));
  streams.sort(
    (a, b) =>
      (a.events[0]?.timestamp ?? 0) - (b.events[0]?.timestamp ?? 0) || (a.logStream < b.logStream ? -1 : 1),
  );
  const output = captureOutput();
  try {
    for (const { logStream, events: streamEvents } of streams) {
      const payload = {
        messageType: 'DATA_MESSAGE',
        owner: '123456789012',
        logGroup,
        logStream,
        subscriptionFilters: ['sagewatch'],
        logEvents: streamEvents.map((event) => ({
          id: event.eventId,
          timestamp: event.timestamp,
          message: event.message,
        })),
      };
      await handler(toSubscriptionEvent(payload), fakeContext());
    }
  } finally {
    output.restore();
  }
  const lines = output.lines();
  return {
    emf: lines
      // The derived documents carry LogStream; the processor's own (Powertools) ones do not.
      .filter((line) => '_aws' in line && 'LogStream' in line)
      .map(canonical)
      .sort(),
    incidents: lines.filter((line) => line.message === 'incident').map((line) => line.incident as Incident),
    reports: lines.filter((line) => line.message === 'delivery processed') as {
      incidents: { sent: number; suppressed: number };
    }[],
  };
}

/** An incident as JSON with sorted keys; `suppressedBefore: 0` and absent mean the same. */
const incidentKey = (incident: Incident): string => {
  const { suppressedBefore, ...rest } = incident;
  return canonical(suppressedBefore ? { ...rest, suppressedBefore } : rest);
};

beforeAll(async () => {
  await resetMoto();
  for (const logGroupName of [TRAINING, ENDPOINT, '/aws/sagemaker/ProcessingJobs']) {
    await logs.send(new CreateLogGroupCommand({ logGroupName }));
  }
  for (const sample of samples) {
    await logs.send(
      new CreateLogStreamCommand({ logGroupName: sample.logGroup, logStreamName: sample.logStream }),
    );
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: sample.logGroup,
        logStreamName: sample.logStream,
        logEvents: [...sample.events]
          .sort((a, b) => a.offsetSeconds - b.offsetSeconds)
          .map((event) => ({ timestamp: START + event.offsetSeconds * 1000, message: event.message })),
      }),
    );
  }
});

afterAll(() => {
  logs.destroy();
  cloudwatch.destroy();
});

describe('sagewatch replay from CloudWatch Logs', () => {
  for (const logGroup of [TRAINING, ENDPOINT]) {
    it(`gives the handler's metrics and incidents for ${logGroup}, over several pages`, async () => {
      const events = await filterAll(logGroup);
      const metricsFile = join(workDir, `emf-${logGroup.replaceAll('/', '_')}.jsonl`);
      const replay = await runJson<ReplayOutput>([
        'replay',
        '--log-group',
        logGroup,
        '--since',
        '1h',
        '--page-size',
        String(PAGE_SIZE),
        '--metrics-file',
        metricsFile,
      ]);
      expect(replay.input.kind).toBe('cloudwatch');
      expect(replay.input.events).toBe(events.length);
      expect(replay.input.pages).toBeGreaterThanOrEqual(Math.ceil(events.length / PAGE_SIZE));
      expect(replay.input.pages).toBeGreaterThan(2);
      expect(replay.dryRun).toBe(true);
      expect(replay.summary.totals.events).toBe(events.length);
      expect(replay.summary.streams.length).toBe(new Set(events.map((e) => e.logStreamName)).size);
      expect(replay.summary.streams.length).toBeGreaterThan(1);

      const handler = await runHandler(events, logGroup);
      const emf = readEmfFile(metricsFile);
      expect(emf.length).toBe(replay.metrics.emfDocuments);
      expect(emf.length).toBeGreaterThan(0);
      expect(emf).toEqual(handler.emf);

      expect(replay.incidents.map(incidentKey).sort()).toEqual(handler.incidents.map(incidentKey).sort());
      expect(replay.incidents.length).toBeGreaterThan(0);
      const handlerSuppressed = handler.reports.reduce((n, report) => n + report.incidents.suppressed, 0);
      expect(replay.summary.totals.suppressed).toBe(handlerSuppressed);
    });
  }

  it('reads only the streams under --stream-prefix and the time range asked for', async () => {
    const replay = await runJson<ReplayOutput>([
      'replay',
      '--log-group',
      TRAINING,
      '--stream-prefix',
      `${JOB}/algo-1-`,
      '--since',
      new Date(START + 120_000).toISOString(),
      '--until',
      String(START + 179_999),
      '--metrics-file',
      join(workDir, 'prefix.jsonl'),
    ]);
    expect(replay.summary.streams.map((row) => row.logStream)).toEqual([algo1?.logStream]);
    // The extra loss lines are 6 s apart from +120 s: ten fall in that minute.
    expect(replay.summary.totals.events).toBe(10);
  });

  it('prints a summary table and the incidents it would send, as text', async () => {
    const result = await runCli(['replay', '--log-group', TRAINING, '--since', '1h', '--page-size', '50']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^Replayed \\d+ events of ${TRAINING}, .* → .*, \\d+ pages$`, 'm'),
    );
    expect(result.stdout).toMatch(/^Resource +Instance +Container +Events +Errors/m);
    expect(result.stdout).toMatch(/^TrainingJob llama-ft-2026-11-26-09-14-03-512 +algo-3 +\d+ +\d+/m);
    expect(result.stdout).toContain('Incidents it would send');
    expect(result.stdout).toMatch(/^Subject: \[sagewatch\]\[critical\] cuda_oom in TrainingJob/m);
    expect(result.stdout).toMatch(/EMF documents written to \.sagewatch\/replay\/emf\.jsonl$/m);
    expect(readFileSync(join(workDir, '.sagewatch/replay/emf.jsonl'), 'utf8').length).toBeGreaterThan(0);
    // Not a terminal: no progress line.
    expect(result.stderr).toBe('');
  });

  it('says when a log group does not exist (exit 4)', async () => {
    const result = await runCli(['replay', '--log-group', '/aws/sagemaker/Nope', '--since', '1h']);
    expect(result.code).toBe(4);
    expect(result.stderr).toBe("sagewatch: log group '/aws/sagemaker/Nope' does not exist in us-east-1\n");
  });

  it('names AWS_REGION and --region when no region is configured (exit 3)', async () => {
    const result = await runCli(['replay', '--log-group', TRAINING], { env: { AWS_REGION: undefined } });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no AWS Region: set AWS_REGION, pass --region/);
  });

  it('says how to provide credentials when there are none (exit 3)', async () => {
    const result = await runCli(['replay', '--log-group', TRAINING], {
      env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no AWS credentials: set AWS_PROFILE/);
    const withProfile = await runCli(['replay', '--log-group', TRAINING, '--profile', 'ghost'], {
      env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
    });
    expect(withProfile.code).toBe(3);
    expect(withProfile.stderr).toMatch(/profile 'ghost'/);
  });
});

describe('sagewatch replay --put-metrics', () => {
  it('backfills metrics that GetMetricData reads back at the original minutes', async () => {
    const namespace = 'SageMaker/Backfill';
    const events = await filterAll(TRAINING);
    const replay = await runJson<ReplayOutput>([
      'replay',
      '--log-group',
      TRAINING,
      '--since',
      '1h',
      '--put-metrics',
      '--namespace',
      namespace,
      '--metrics-file',
      join(workDir, 'backfill.jsonl'),
    ]);
    expect(replay.dryRun).toBe(false);
    expect(replay.putMetrics).toMatchObject({ namespace, requests: 1, skippedOutOfWindow: 0 });
    expect(replay.putMetrics?.datums).toBeGreaterThan(10);

    const perMinute = new Map<number, number>();
    for (const event of events) {
      const minute = Math.floor((event.timestamp ?? 0) / 60_000) * 60_000;
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    expect(perMinute.size).toBeGreaterThan(2);
    const host3 = `${JOB}/algo-3`;
    const query = (
      id: string,
      metric: string,
      dims: Record<string, string>,
      stat: string,
    ): MetricDataQuery => ({
      Id: id,
      MetricStat: {
        Metric: {
          Namespace: namespace,
          MetricName: metric,
          Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: 60,
        Stat: stat,
      },
    });
    const response = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(START - 60 * 60_000),
        EndTime: new Date(START + 60 * 60_000),
        MetricDataQueries: [
          query('events', 'LogEvents', { ResourceType: 'TrainingJob' }, 'Sum'),
          query('oom', 'ErrorEvents', { ResourceType: 'TrainingJob', ErrorCategory: 'cuda_oom' }, 'Sum'),
          query('loss', 'loss', { TrainingJobName: JOB, Host: `${JOB}/algo-1` }, 'SampleCount'),
          query('host3', 'ErrorEvents', { TrainingJobName: JOB, Host: host3 }, 'Sum'),
        ],
      }),
    );
    const series = (id: string) => {
      const result = response.MetricDataResults?.find((r) => r.Id === id);
      const points = new Map<number, number>();
      (result?.Timestamps ?? []).forEach((timestamp, i) => {
        points.set(timestamp.getTime(), result?.Values?.[i] ?? Number.NaN);
      });
      return points;
    };
    const total = (id: string) => [...series(id).values()].reduce((a, b) => a + b, 0);
    expect(series('events')).toEqual(perMinute);
    const ooms = replay.summary.streams.reduce((n, row) => n + (row.errorsByCategory.cuda_oom ?? 0), 0);
    expect(ooms).toBeGreaterThan(0);
    expect(total('oom')).toBe(ooms);
    const lossLines = events.filter(
      (e) => e.logStreamName === algo1?.logStream && /'loss'/.test(e.message ?? ''),
    );
    expect(lossLines.length).toBeGreaterThan(40);
    expect(total('loss')).toBe(lossLines.length);
    const algo3 = replay.summary.streams.find((row) => row.logStream.startsWith(`${JOB}/algo-3-`));
    expect(algo3?.errors).toBeGreaterThan(0);
    expect(total('host3')).toBe(algo3?.errors);
  });
});

describe('sagewatch replay --publish', () => {
  it('publishes the incidents it would send to the alerts topic, with their filter attributes', async () => {
    const sns = new SNSClient(motoClientConfig());
    const sqs = new SQSClient(motoClientConfig());
    const { TopicArn: topicArn = '' } = await sns.send(
      new CreateTopicCommand({ Name: 'sagewatch-it-alerts' }),
    );
    const queueUrl = await subscribeQueue(sns, sqs, topicArn, 'sagewatch-it-alerts');

    const replay = await runJson<ReplayOutput & { published?: { topicArn: string; incidents: number } }>([
      'replay',
      '--log-group',
      TRAINING,
      '--since',
      '1h',
      '--publish',
      '--topic-arn',
      topicArn,
      '--metrics-file',
      join(workDir, 'publish.jsonl'),
    ]);
    expect(replay.published).toEqual({ topicArn, incidents: replay.incidents.length });
    expect(replay.incidents.length).toBeGreaterThan(0);

    const bodies: {
      Message: string;
      Subject?: string;
      MessageAttributes?: Record<string, { Value: string }>;
    }[] = [];
    for (;;) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (!Messages?.length) break;
      for (const message of Messages) bodies.push(JSON.parse(message.Body ?? '{}'));
    }
    // The processor's two renderings of each alert: the JSON incident and the email text.
    const format = (body: (typeof bodies)[number]) => body.MessageAttributes?.format?.Value;
    expect(bodies).toHaveLength(2 * replay.incidents.length);
    const published = bodies
      .filter((body) => format(body) === 'json')
      .map((body) => JSON.parse(body.Message) as Incident);
    expect(published.map(incidentKey).sort()).toEqual(replay.incidents.map(incidentKey).sort());
    const texts = bodies.filter((body) => format(body) === 'text');
    expect(texts).toHaveLength(replay.incidents.length);
    expect(texts[0]?.Subject).toMatch(/^\[sagewatch\]/);
    expect(bodies[0]?.MessageAttributes?.severity?.Value).toMatch(/^(critical|error|warning)$/);
    sns.destroy();
    sqs.destroy();
  });

  it('asks for the topic when none is configured (exit 2)', async () => {
    const result = await runCli(['replay', '--log-group', TRAINING, '--publish']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'sagewatch: --publish needs the alerts topic: pass --topic-arn or set ALERTS_TOPIC_ARN\n',
    );
  });
});

describe('sagewatch replay from files', () => {
  let events: FilteredLogEvent[];
  let fromCloudWatch: string[];

  beforeAll(async () => {
    events = await filterAll(TRAINING);
    const file = join(workDir, 'reference.jsonl');
    await runJson<ReplayOutput>(['replay', '--log-group', TRAINING, '--since', '1h', '--metrics-file', file]);
    fromCloudWatch = readEmfFile(file);
  });

  const csvField = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const tailTime = (ms: number) => new Date(ms).toISOString().replace('Z', '000+00:00');

  const formats: Record<string, () => { text: string; args: string[] }> = {
    'JSON lines of log events': () => ({
      text: events.map((event) => JSON.stringify({ ...event, logGroupName: TRAINING })).join('\n'),
      args: [],
    }),
    'aws logs filter-log-events output': () => ({
      text: JSON.stringify({ events, searchedLogStreams: [] }, null, 4),
      args: ['--log-group', TRAINING],
    }),
    'the console CSV export': () => ({
      text: [
        'timestamp,message,logStreamName',
        ...events.map((e) => `${e.timestamp},${csvField(e.message ?? '')},${e.logStreamName}`),
      ].join('\r\n'),
      args: ['--log-group', TRAINING],
    }),
    'aws logs tail output': () => ({
      text: `${events.map((e) => `${tailTime(e.timestamp ?? 0)} ${e.logStreamName} ${e.message}`).join('\n')}\n`,
      args: ['--log-group', TRAINING],
    }),
  };

  for (const [name, build] of Object.entries(formats)) {
    it(`replays ${name} to the same metrics`, async () => {
      const { text, args } = build();
      const path = join(workDir, `${name.replaceAll(' ', '-')}.txt`);
      writeFileSync(path, text);
      const metricsFile = join(workDir, `${name.replaceAll(' ', '-')}.emf.jsonl`);
      const replay = await runJson<ReplayOutput>(['replay', path, ...args, '--metrics-file', metricsFile]);
      expect(replay.input.kind).toBe('files');
      expect(replay.summary.totals.events).toBe(events.length);
      expect(readEmfFile(metricsFile)).toEqual(fromCloudWatch);
    });
  }

  it('reads standard input for -', async () => {
    const text = events.map((event) => JSON.stringify({ ...event, logGroupName: TRAINING })).join('\n');
    const result = await runCli(['replay', '-', '--json', '--metrics-file', join(workDir, 'stdin.jsonl')], {
      input: text,
    });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as ReplayOutput).summary.totals.events).toBe(events.length);
  });

  it('says which file cannot be read (exit 4) and which format it cannot tell (exit 2)', async () => {
    const missing = await runCli(['replay', join(workDir, 'missing.jsonl')]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toBe(`sagewatch: cannot read '${join(workDir, 'missing.jsonl')}': no such file\n`);
    const odd = join(workDir, 'odd.txt');
    writeFileSync(odd, 'just words\n');
    const unknown = await runCli(['replay', odd]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('pass --format jsonl|csv|tail');
  });

  it('asks for --log-group when the events name none (exit 2)', async () => {
    const path = join(workDir, 'no-group.tail');
    writeFileSync(path, `${tailTime(START)} ${algo1?.logStream} hello\n`);
    const result = await runCli(['replay', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`sagewatch: 1 events in '${path}' name no log group: pass --log-group\n`);
  });
});

describe('sagewatch subscribe --dry-run', () => {
  it('plans every group and changes nothing', async () => {
    const groups = [TRAINING, ENDPOINT, '/aws/sagemaker/ProcessingJobs'];
    const result = await runJson<{
      dryRun: boolean;
      report: { groupsSeen: number; subscribed: number };
      groups: { logGroupName: string; outcome: string }[];
    }>(['subscribe', '--dry-run', '--function-arn', PROCESSOR_ARN]);
    expect(result.dryRun).toBe(true);
    expect(result.report).toMatchObject({ groupsSeen: 3, subscribed: 3 });
    expect(result.groups.map((group) => [group.logGroupName, group.outcome]).sort()).toEqual(
      groups.map((name) => [name, 'subscribed']).sort(),
    );
    for (const logGroupName of groups) {
      const { subscriptionFilters } = await logs.send(
        new DescribeSubscriptionFiltersCommand({ logGroupName }),
      );
      expect(subscriptionFilters ?? []).toEqual([]);
    }
    const text = await runCli(['subscribe', '--dry-run', '--function-arn', PROCESSOR_ARN]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Dry run: nothing was changed\.$/m);
    expect(text.stdout).toMatch(/^\/aws\/sagemaker\/TrainingJobs +would subscribe$/m);
  });

  it('names the variable and the option when the function ARN is missing (exit 3) or bad (exit 2)', async () => {
    const result = await runCli(['subscribe', '--dry-run']);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('sagewatch: PROCESSOR_FUNCTION_ARN: is required (or pass --function-arn)\n');
    const bad = await runCli(['subscribe', '--dry-run', '--function-arn', 'not-an-arn']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("sagewatch: --function-arn: 'not-an-arn' is not a Lambda function ARN\n");
  });
});

describe('sagewatch classify, parse-stream and help', () => {
  it('classifies standard input, one JSON line per message', async () => {
    const result = await runCli(['classify', '--json'], {
      input: 'RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB\nepoch 1 loss=0.25\n',
    });
    expect(result.code).toBe(0);
    const records = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      line: 1,
      severity: 'error',
      category: 'cuda_oom',
      ruleId: 'cuda-oom',
    });
    expect(records[1]).toMatchObject({ line: 2, severity: 'info', metrics: { loss: 0.25 } });
  });

  it('tries metric definitions from a file on a log file', async () => {
    const definitions = join(workDir, 'definitions.json');
    writeFileSync(definitions, '[{"Name": "eval:f1", "Regex": "F1 score is ([0-9.]+)"}]');
    const log = join(workDir, 'train.log');
    writeFileSync(log, 'epoch 1: F1 score is 0.81\nnothing here\n');
    const result = await runCli(['classify', log, '--metric-definitions', definitions, '--only', 'metrics']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^1 +info +none +- +eval:f1\*=0\.81 +epoch 1: F1 score is 0\.81$/m);
    expect(result.stdout).toContain('1 of 2 lines shown');
    const bad = await runCli([
      'classify',
      log,
      '--metric-definitions',
      '[{"Name": "x", "Regex": "no group"}]',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^sagewatch: --metric-definitions: /);
    const fromEnv = await runCli(['classify', log], { env: { METRIC_DEFINITIONS: '[{"Name": "x"}]' } });
    expect(fromEnv.code).toBe(3);
    expect(fromEnv.stderr).toMatch(/^sagewatch: METRIC_DEFINITIONS: /);
  });

  it('prints the LogSource of a stream as JSON', async () => {
    const result = await runCli(['parse-stream', ENDPOINT, 'AllTraffic/i-0a1b2c3d4e5f60718/model', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      resourceType: 'Endpoint',
      resourceName: 'fraud-pipeline-prod',
      variantName: 'AllTraffic',
      instance: 'i-0a1b2c3d4e5f60718',
      container: 'model',
    });
  });

  it('has --help for every command, and usage errors exit 2', async () => {
    for (const command of ['demo', 'replay', 'classify', 'parse-stream', 'subscribe']) {
      const result = await runCli([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: sagewatch ${command} `));
      expect(result.stdout).toContain('Options:');
    }
    const overview = await runCli(['--help']);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toContain('Exit codes: 0 ok, 1 runtime failure, 2 usage error');
    expect((await runCli([])).code).toBe(2);
    expect((await runCli(['replay', '--no-such-option'])).code).toBe(2);
    expect((await runCli(['parse-stream', 'only-one'])).code).toBe(2);
    expect((await runCli(['replay', '--log-group', TRAINING, '--since', 'soonish'])).code).toBe(2);
  });
});
