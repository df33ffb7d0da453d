/**
 * `sagewatch replay`: past log events (from CloudWatch Logs or files) through the processor's own
 * pipeline. A dry run by default: the summary, the incidents it would send, the EMF documents in a
 * file. `--put-metrics` backfills the metrics; `--publish` sends the incidents.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { createKinesisClient, readShardRange } from '../../lib/aws/kinesis-records.ts';
import { findLogGroupAccount, MAX_FILTER_PAGE_SIZE, readLogEventPages } from '../../lib/aws/log-events.ts';
import { createLogsClient } from '../../lib/aws/log-groups.ts';
import { createMetricsClient, putMetricData } from '../../lib/aws/metric-data.ts';
import { createSnsAlertPublisher } from '../../lib/aws/publish-alerts.ts';
import { toIncidentObject } from '../../lib/incidents/index.ts';
import { MetricsDetails } from '../../lib/metrics/dimensions.ts';
import { readProcessorConfig } from '../../lib/processor/config.ts';
import { DecodeError, decodeLogsData } from '../../lib/processor/decode.ts';
import {
  checkShardRange,
  PointerError,
  parseFailurePointer,
  type ShardRange,
} from '../../lib/processor/stream-pointer.ts';
import {
  AWS_OPTIONS,
  type CommandSpec,
  HELP_OPTION,
  JSON_OPTION,
  type OptionValues,
  readChoiceOption,
  readFlag,
  readIntegerOption,
  readString,
} from '../args.ts';
import { type ReplayEvent, toDeliveries, withPlaces } from '../deliveries.ts';
import { overlayOptions, readWithOptions } from '../env-options.ts';
import { InputError, UsageError } from '../exit-codes.ts';
import { detectLogFileFormat, type LogFileFormat, LogFileFormats, parseLogFile } from '../log-files.ts';
import { type MetricDataPlan, toMetricDataRequests } from '../metric-datums.ts';
import { replayDeliveries } from '../replay.ts';
import { renderIncidents, renderReplaySummary, summarizeReplay } from '../replay-summary.ts';
import { renderReplayReport } from '../report/html-report.ts';
import { diffReplays, type RulesDiff, renderRulesDiff } from '../rules-diff.ts';
import { formatCount } from '../table.ts';
import { parseTimeRange, type TimeRange } from '../time.ts';
import {
  awsClientConfig,
  checkAwsSetup,
  note,
  print,
  printJson,
  progressFor,
  readInput,
  readMetricDefinitions,
  readRulesFile,
} from './shared.ts';

/** Options that override the processor's variables. */
const OPTION_VARIABLES = {
  namespace: 'METRICS_NAMESPACE',
  detail: 'METRICS_DETAIL',
  'suppression-window': 'SUPPRESSION_WINDOW_MINUTES',
  'topic-arn': 'ALERTS_TOPIC_ARN',
} as const;

/** Where the EMF documents go unless `--metrics-file` says otherwise (relative to the working directory). */
const DEFAULT_METRICS_FILE = '.sagewatch/replay/emf.jsonl';

/** Default `--since` for a CloudWatch replay. */
const DEFAULT_SINCE = '1h';

/** How many unreadable lines are named on stderr before the rest are only counted. */
const PROBLEMS_SHOWN = 5;

export const replaySpec: CommandSpec = {
  name: 'replay',
  summary: "Run past log events through the processor's pipeline: what sagewatch would have said.",
  usage: [
    '--log-group <name> [--stream-prefix <prefix>] [--since <time>] [--until <time>] [options]',
    '<file>... [options]',
    '--pointer <file> | --stream <arn> --shard <id> --from <sequence> [--to <sequence>] [options]',
  ],
  description: [
    'Reads a log group with FilterLogEvents (paginated, with backoff), or files: JSON lines of log events ' +
      "(also `aws logs filter-log-events` output and dead-lettered subscription payloads), the console's CSV " +
      'export, or `aws logs tail` output (`-` reads standard input). Events are grouped per log stream into ' +
      'deliveries of at most 10,000, in time order, and each runs through the same code as the processor, ' +
      'as if processed when its last event was written.',
    'By default nothing is sent: it prints a summary and the incidents it would send, and writes the EMF ' +
      'documents to a file. --put-metrics backfills the metrics with PutMetricData, stamped with the original ' +
      'minutes (CloudWatch accepts the last 14 days); backfill only periods the processor did not cover, or use ' +
      'another --namespace, or the minutes count twice. --publish sends the incidents to the topic. The live ' +
      'suppression table is never used.',
    'With delivery=kinesis, a batch process-logs gave up on leaves a pointer (shard and sequence numbers) in the ' +
      'delivery-failures queue: --pointer reads that message (a file, or - for standard input) and replays the ' +
      'records from the stream, while the stream still retains them (DeliveryStreamRetentionHours, 24 h by ' +
      'default); --stream, --shard, --from and --to name a range directly.',
    "Settings default to the processor's variables: METRICS_NAMESPACE, METRICS_DETAIL, METRIC_DEFINITIONS, " +
      'SUPPRESSION_WINDOW_MINUTES, ALERTS_TOPIC_ARN, EMF_VALUE_COUNTS.',
  ],
  options: {
    'log-group': {
      type: 'string',
      value: 'name',
      description: 'Log group to read (or, with files, for events that name none).',
    },
    'stream-prefix': {
      type: 'string',
      value: 'prefix',
      description: 'Only log streams whose name starts with this.',
    },
    pointer: {
      type: 'string',
      value: 'file',
      description:
        "The delivery-failures queue's message (JSON with KinesisBatchInfo): replay those records from the stream.",
    },
    stream: { type: 'string', value: 'arn', description: 'The delivery stream to read records from.' },
    shard: {
      type: 'string',
      value: 'id',
      description: 'With --stream: the shard, e.g. shardId-000000000000.',
    },
    from: { type: 'string', value: 'sequence', description: 'With --stream: the first sequence number.' },
    to: {
      type: 'string',
      value: 'sequence',
      description: 'With --stream: the last sequence number (default: all the shard holds now).',
    },
    since: {
      type: 'string',
      value: 'time',
      description: `Start: 30m, 2h, 1d, ISO 8601 (UTC unless zoned) or epoch ms (default ${DEFAULT_SINCE} for a log group).`,
    },
    until: { type: 'string', value: 'time', description: 'End, same forms (default now).' },
    'page-size': {
      type: 'string',
      value: 'n',
      description: `Events per FilterLogEvents page (1–${MAX_FILTER_PAGE_SIZE}).`,
    },
    format: {
      type: 'string',
      value: 'format',
      description: `File format: auto, ${LogFileFormats.join(', ')} (default auto).`,
    },
    'log-stream': {
      type: 'string',
      value: 'name',
      description: 'With files: the log stream of events that name none.',
    },
    detail: {
      type: 'string',
      value: 'level',
      description: `Metric dimensions: ${MetricsDetails.join(', ')} (default host).`,
    },
    namespace: {
      type: 'string',
      value: 'name',
      description: 'CloudWatch namespace (default SageMaker/Logs).',
    },
    'metric-definitions': {
      type: 'string',
      value: 'json|file',
      description: 'Metric definitions as JSON, or a file holding it (default METRIC_DEFINITIONS).',
    },
    'suppression-window': {
      type: 'string',
      value: 'minutes',
      description: 'Suppression window (default 15).',
    },
    'metrics-file': {
      type: 'string',
      value: 'path',
      description: `Where to write the EMF documents (default ${DEFAULT_METRICS_FILE}).`,
    },
    report: {
      type: 'string',
      value: 'path',
      description:
        'Also write an HTML report: timeline, training metrics per host, HTTP per container, incidents (one file, no script).',
    },
    'put-metrics': { type: 'boolean', description: 'Backfill the metrics with PutMetricData.' },
    publish: { type: 'boolean', description: 'Publish the incidents to the alerts topic.' },
    'topic-arn': {
      type: 'string',
      value: 'arn',
      description: 'Alerts topic for --publish (default ALERTS_TOPIC_ARN).',
    },
    rules: {
      type: 'string',
      value: 'file',
      description:
        'An operator rules file to try (docs/configuration.md): the replay runs with it, and prints what it changes against a run without it.',
    },
    'baseline-rules': {
      type: 'string',
      value: 'file',
      description: 'With --rules: compare against this rules file (e.g. the deployed one) instead of none.',
    },
    ...JSON_OPTION,
    ...AWS_OPTIONS,
    ...HELP_OPTION,
  },
  positionals: { min: 0, max: Number.POSITIVE_INFINITY },
  examples: [
    'sagewatch replay --log-group /aws/sagemaker/TrainingJobs --stream-prefix my-job/ --since 2026-11-26T00:00Z --until 2026-11-26T08:00Z',
    'sagewatch replay events.jsonl',
    'sagewatch replay --log-group /aws/sagemaker/TrainingJobs --stream-prefix my-job/ --since 1d --report my-job.html',
    'aws logs tail /aws/sagemaker/TrainingJobs --since 1h > tail.txt && sagewatch replay tail.txt --log-group /aws/sagemaker/TrainingJobs',
    'sagewatch replay --log-group /aws/sagemaker/Endpoints/prod --since 6h --put-metrics --namespace SageMaker/Backfill',
    'aws sqs receive-message --queue-url <delivery-failures queue> --query "Messages[0].Body" --output text | sagewatch replay --pointer -',
  ],
};

/** Where the events came from, for the report. */
type InputReport =
  | {
      kind: 'cloudwatch';
      logGroup: string;
      streamPrefix?: string;
      since: string;
      until: string;
      pages: number;
      events: number;
    }
  | {
      kind: 'files';
      files: { path: string; format: LogFileFormat; events: number; unreadable: number }[];
      events: number;
    }
  | {
      kind: 'stream';
      streamArn: string;
      shardId: string;
      fromSequence: string;
      toSequence?: string;
      records: number;
      /** Records that are not CloudWatch Logs payloads (skipped, as process-logs skips them). */
      undecodable: number;
      events: number;
    };

function inRange(range: TimeRange | undefined, prefix: string | undefined) {
  return (event: ReplayEvent): boolean =>
    (range === undefined || (event.timestamp >= range.startMs && event.timestamp <= range.endMs)) &&
    (prefix === undefined || event.logStream.startsWith(prefix));
}

async function readFiles(
  files: readonly string[],
  values: OptionValues,
  range: TimeRange | undefined,
): Promise<{ events: ReplayEvent[]; input: InputReport }> {
  const chosen = readChoiceOption(values, 'format', ['auto', ...LogFileFormats] as const, 'auto');
  const keep = inRange(range, readString(values, 'stream-prefix'));
  const events: ReplayEvent[] = [];
  const report: { path: string; format: LogFileFormat; events: number; unreadable: number }[] = [];
  for (const path of files) {
    const text = await readInput(path);
    const format = chosen === 'auto' ? detectLogFileFormat(text) : chosen;
    if (format === undefined) {
      if (text.trim() === '') {
        report.push({ path, format: 'jsonl', events: 0, unreadable: 0 });
        continue;
      }
      throw new UsageError(`cannot tell the format of '${path}': pass --format ${LogFileFormats.join('|')}`);
    }
    const parsed = parseLogFile(text, format);
    for (const problem of parsed.problems.slice(0, PROBLEMS_SHOWN)) {
      note(`${path}:${problem.line}: skipped: ${problem.problem}`);
    }
    if (parsed.problems.length > PROBLEMS_SHOWN) {
      note(`${path}: ${parsed.problems.length - PROBLEMS_SHOWN} more unreadable lines skipped`);
    }
    const placed = withPlaces(parsed.events, {
      ...(readString(values, 'log-group') === undefined
        ? {}
        : { logGroup: readString(values, 'log-group') as string }),
      ...(readString(values, 'log-stream') === undefined
        ? {}
        : { logStream: readString(values, 'log-stream') as string }),
    });
    if (placed.missing.logGroup > 0) {
      throw new UsageError(
        `${formatCount(placed.missing.logGroup)} events in '${path}' name no log group: pass --log-group`,
      );
    }
    if (placed.missing.logStream > 0) {
      throw new UsageError(
        `${formatCount(placed.missing.logStream)} events in '${path}' name no log stream: pass --log-stream`,
      );
    }
    const kept = placed.events.filter(keep);
    // One by one: spreading a large array into push() overflows the stack.
    for (const event of kept) events.push(event);
    report.push({ path, format, events: kept.length, unreadable: parsed.problems.length });
  }
  return { events, input: { kind: 'files', files: report, events: events.length } };
}

async function readLogGroup(
  values: OptionValues,
  logGroup: string,
  range: TimeRange,
): Promise<{ events: ReplayEvent[]; input: InputReport; owner?: string; region: string }> {
  const logs = createLogsClient(awsClientConfig(values));
  const region = await checkAwsSetup(logs);
  const group = await findLogGroupAccount(logs, logGroup);
  if (group === undefined) throw new InputError(`log group '${logGroup}' does not exist in ${region}`);
  const streamPrefix = readString(values, 'stream-prefix');
  const progress = progressFor(values);
  const events: ReplayEvent[] = [];
  let pages = 0;
  try {
    for await (const page of readLogEventPages(logs, {
      logGroupName: logGroup,
      startTime: range.startMs,
      endTime: range.endMs,
      pageSize: readIntegerOption(values, 'page-size', MAX_FILTER_PAGE_SIZE, 1, MAX_FILTER_PAGE_SIZE),
      ...(streamPrefix === undefined ? {} : { logStreamNamePrefix: streamPrefix }),
    })) {
      pages++;
      for (const event of page) events.push(event);
      progress.update({
        label: 'fetching',
        done: events.length,
        unit: 'events',
        detail: `${formatCount(pages)} pages`,
      });
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') {
      throw new InputError(`log group '${logGroup}' does not exist in ${region}`);
    }
    throw error;
  } finally {
    progress.finish();
  }
  return {
    events,
    input: {
      kind: 'cloudwatch',
      logGroup,
      ...(streamPrefix === undefined ? {} : { streamPrefix }),
      since: new Date(range.startMs).toISOString(),
      until: new Date(range.endMs).toISOString(),
      pages,
      events: events.length,
    },
    ...(group.accountId === undefined ? {} : { owner: group.accountId }),
    region,
  };
}

/** The range of the delivery stream named by --pointer, or by --stream, --shard, --from and --to. */
async function readShardRangeOptions(values: OptionValues): Promise<ShardRange | undefined> {
  const pointer = readString(values, 'pointer');
  const streamArn = readString(values, 'stream');
  if (pointer === undefined && streamArn === undefined) return undefined;
  try {
    if (pointer !== undefined) {
      if (streamArn !== undefined) throw new UsageError('pass --pointer or --stream, not both');
      let text: string;
      try {
        text = await readInput(pointer);
      } catch (error) {
        throw new InputError(`--pointer: cannot read '${pointer}': ${(error as Error).message}`);
      }
      return parseFailurePointer(text);
    }
    const shardId = readString(values, 'shard');
    const fromSequence = readString(values, 'from');
    if (shardId === undefined || fromSequence === undefined)
      throw new UsageError('--stream needs --shard and --from (the sequence number to start at)');
    const toSequence = readString(values, 'to');
    return checkShardRange({
      streamArn: streamArn as string,
      shardId,
      fromSequence,
      ...(toSequence === undefined ? {} : { toSequence }),
    });
  } catch (error) {
    if (error instanceof PointerError) throw new UsageError(error.message);
    throw error;
  }
}

/** Reads the records of a shard range back from the stream and decodes each as process-logs does. */
async function readStream(
  values: OptionValues,
  range: ShardRange,
): Promise<{ events: ReplayEvent[]; input: InputReport; owner?: string; region: string }> {
  const kinesis = createKinesisClient(awsClientConfig(values));
  const region = await checkAwsSetup(kinesis);
  const progress = progressFor(values);
  let records: Awaited<ReturnType<typeof readShardRange>>;
  try {
    records = await readShardRange(kinesis, range, {
      onPage: (done) => progress.update({ label: 'reading the stream', done, unit: 'records' }),
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'ResourceNotFoundException' || name === 'InvalidArgumentException') {
      throw new InputError(
        `cannot read ${range.shardId} of ${range.streamArn} at ${range.fromSequence}: ${(error as Error).message} ` +
          '(the stream keeps records DeliveryStreamRetentionHours, 24 h by default)',
      );
    }
    throw error;
  } finally {
    progress.finish();
  }
  const events: ReplayEvent[] = [];
  let undecodable = 0;
  let owner: string | undefined;
  for (const record of records) {
    try {
      const delivery = decodeLogsData(Buffer.from(record.data).toString('base64'));
      owner ??= delivery.owner;
      if (delivery.messageType !== 'DATA_MESSAGE') continue;
      for (const event of delivery.logEvents)
        events.push({ logGroup: delivery.logGroup, logStream: delivery.logStream, ...event });
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      undecodable++;
      if (undecodable <= PROBLEMS_SHOWN)
        note(`record ${record.sequenceNumber}: skipped: not a CloudWatch Logs payload (step ${error.step})`);
    }
  }
  return {
    events,
    input: {
      kind: 'stream',
      streamArn: range.streamArn,
      shardId: range.shardId,
      fromSequence: range.fromSequence,
      ...(range.toSequence === undefined ? {} : { toSequence: range.toSequence }),
      records: records.length,
      undecodable,
      events: events.length,
    },
    ...(owner === undefined ? {} : { owner }),
    region,
  };
}

/** The sources read, one line each, for the report's header. */
function describeSources(input: InputReport): string[] {
  if (input.kind === 'stream') return [describeStreamInput(input)];
  if (input.kind === 'cloudwatch') {
    return [
      `log group ${input.logGroup}${input.streamPrefix ? ` (streams ${input.streamPrefix}*)` : ''}, ${input.since} → ${input.until}: ${formatCount(input.events)} events in ${formatCount(input.pages)} pages`,
    ];
  }
  return input.files.map(
    (file) =>
      `${file.path === '-' ? 'standard input' : file.path} (${file.format}, ${formatCount(file.events)} events${file.unreadable > 0 ? `, ${formatCount(file.unreadable)} unreadable lines skipped` : ''})`,
  );
}

function describeStreamInput(input: Extract<InputReport, { kind: 'stream' }>): string {
  return (
    `${input.shardId} of ${input.streamArn}, ${input.fromSequence} → ${input.toSequence ?? 'latest'}: ` +
    `${formatCount(input.records)} records, ${formatCount(input.events)} events` +
    (input.undecodable > 0 ? `, ${formatCount(input.undecodable)} undecodable records skipped` : '')
  );
}

/** A path relative to the working directory when it lies below it, else absolute. */
function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown === '' || shown.startsWith('..') ? path : shown;
}

export async function runReplay(values: OptionValues, files: string[]): Promise<number> {
  const nowMs = Date.now();
  const json = readFlag(values, 'json');
  const logGroup = readString(values, 'log-group');
  const shardRange = await readShardRangeOptions(values);
  if (files.length === 0 && logGroup === undefined && shardRange === undefined) {
    throw new UsageError(
      'nothing to replay: pass --log-group to read CloudWatch Logs, files, or --pointer/--stream (see sagewatch replay --help)',
    );
  }
  if (shardRange !== undefined && files.length > 0)
    throw new UsageError('pass files or a stream range, not both');
  const since = readString(values, 'since');
  const until = readString(values, 'until');
  // Files: every event unless a range is given; a log group: the last hour unless one is given.
  const range =
    (files.length === 0 && shardRange === undefined) || since !== undefined || until !== undefined
      ? parseTimeRange(
          since,
          until,
          nowMs,
          files.length === 0 && shardRange === undefined ? DEFAULT_SINCE : undefined,
        )
      : undefined;
  const regionOption = readString(values, 'region');
  const env = overlayOptions(
    { ...process.env, ...(regionOption === undefined ? {} : { AWS_REGION: regionOption }) },
    OPTION_VARIABLES,
    values,
  );
  const config = readWithOptions(OPTION_VARIABLES, values, () => readProcessorConfig(env));
  const definitions = readMetricDefinitions(values, config.metricDefinitionsJson);
  const publishing = readFlag(values, 'publish');
  if (publishing && config.alertsTopicArn === undefined) {
    throw new UsageError('--publish needs the alerts topic: pass --topic-arn or set ALERTS_TOPIC_ARN');
  }

  const source =
    shardRange !== undefined
      ? await readStream(values, shardRange)
      : files.length > 0
        ? { ...(await readFiles(files, values, range)), region: config.region }
        : await readLogGroup(values, logGroup as string, range as TimeRange);
  const deliveries = toDeliveries(
    source.events,
    'owner' in source && source.owner ? { owner: source.owner } : {},
  );

  let sns: SNSClient | undefined;
  if (publishing) {
    sns = new SNSClient({ maxAttempts: 6, retryMode: 'adaptive', ...awsClientConfig(values) });
    await checkAwsSetup(sns);
  }
  const topicArn = config.alertsTopicArn as string;
  const rules = readRulesFile(values);
  const baselineRules = readRulesFile(values, 'baseline-rules');
  if (baselineRules !== undefined && rules === undefined)
    throw new UsageError('--baseline-rules needs --rules');
  // The baseline runs first, sending nothing, so the run with the rules is the one reported.
  const baseline =
    rules === undefined
      ? undefined
      : await replayDeliveries(deliveries, {
          config: {
            ...config,
            region: source.region,
            metricDefinitions: definitions,
            ...(baselineRules === undefined ? {} : { operatorRules: baselineRules }),
          },
          publish: async () => [],
        });
  const progress = progressFor(values);
  const result = await replayDeliveries(deliveries, {
    config: {
      ...config,
      region: source.region,
      metricDefinitions: definitions,
      ...(rules === undefined ? {} : { operatorRules: rules }),
    },
    publish: sns ? createSnsAlertPublisher(sns, topicArn) : async () => [],
    onProgress: ({ events }) =>
      progress.update({ label: 'processing', done: events, total: source.events.length, unit: 'events' }),
  });
  progress.finish();

  const metricsFile = resolve(readString(values, 'metrics-file') ?? DEFAULT_METRICS_FILE);
  mkdirSync(dirname(metricsFile), { recursive: true });
  writeFileSync(metricsFile, result.emfDocuments.map((document) => `${document}\n`).join(''));

  let backfill: MetricDataPlan | undefined;
  if (readFlag(values, 'put-metrics')) {
    const cloudwatch = createMetricsClient(awsClientConfig(values));
    await checkAwsSetup(cloudwatch);
    backfill = toMetricDataRequests(result.buckets, Date.now());
    const plan = backfill;
    const sending = progressFor(values);
    await putMetricData(cloudwatch, config.namespace, plan.requests, (sent) =>
      sending.update({ label: 'put-metric-data', done: sent, total: plan.requests.length, unit: 'requests' }),
    );
    sending.finish();
  }

  const reportOption = readString(values, 'report');
  const reportFile = reportOption === undefined ? undefined : resolve(reportOption);
  if (reportFile !== undefined) {
    mkdirSync(dirname(reportFile), { recursive: true });
    writeFileSync(
      reportFile,
      renderReplayReport({ reports: result.reports, sources: describeSources(source.input) }),
    );
  }

  const summary = summarizeReplay(result.reports);
  const rulesDiff: RulesDiff | undefined =
    rules && baseline ? diffReplays(baseline.reports, result.reports, rules) : undefined;
  const sent = result.reports.flatMap((report) => report.alerts.sent);
  const suppressed = result.reports.flatMap((report) => report.alerts.suppressed);
  if (json) {
    printJson({
      input: source.input,
      dryRun: !publishing && !backfill,
      summary,
      incidents: sent.map(({ incident, suppressedBefore }) =>
        toIncidentObject(suppressedBefore > 0 ? { ...incident, suppressedBefore } : incident),
      ),
      suppressed: suppressed.map(({ fingerprint, title, count, logStream }) => ({
        fingerprint,
        title,
        count,
        logStream,
      })),
      metrics: { file: metricsFile, emfDocuments: result.emfDocuments.length },
      ...(reportFile === undefined ? {} : { report: reportFile }),
      ...(backfill
        ? {
            putMetrics: {
              namespace: config.namespace,
              requests: backfill.requests.length,
              datums: backfill.datums,
              skippedOutOfWindow: backfill.skippedOutOfWindow,
              skippedInvalid: backfill.skippedInvalid,
            },
          }
        : {}),
      ...(publishing ? { published: { topicArn, incidents: sent.length } } : {}),
      ...(rulesDiff ? { rules: { file: readString(values, 'rules'), ...rulesDiff } } : {}),
    });
    return 0;
  }

  const out: string[] = [];
  const { input } = source;
  out.push(
    input.kind === 'stream'
      ? `Replayed ${describeStreamInput(input)}`
      : input.kind === 'cloudwatch'
        ? `Replayed ${formatCount(input.events)} events of ${input.logGroup}${input.streamPrefix ? ` (streams ${input.streamPrefix}*)` : ''}, ${input.since} → ${input.until}, ${formatCount(input.pages)} pages`
        : `Replayed ${formatCount(input.events)} events from ${input.files.map((f) => `${f.path} (${f.format})`).join(', ')}`,
    '',
  );
  if (deliveries.length === 0) {
    out.push('No events in that range.');
  } else {
    for (const line of renderReplaySummary(summary)) out.push(line);
    out.push('');
    out.push(
      publishing
        ? `Incidents sent to ${topicArn} (${sent.length}):`
        : `Incidents it would send (${sent.length}; grouped, fingerprinted, secrets scrubbed):`,
      '',
    );
    for (const line of renderIncidents(sent)) out.push(line);
    if (suppressed.length > 0) {
      out.push(
        `${formatCount(suppressed.length)} more incidents suppressed (same fingerprint within the ${config.suppressionWindowMs / 60_000}-minute window)`,
      );
    }
  }
  const muted = result.reports.reduce((sum, report) => sum + report.muted.length, 0);
  if (muted > 0)
    out.push(
      `${formatCount(muted)} ${muted === 1 ? 'incident' : 'incidents'} muted by the operator rules (counted in IncidentsMuted, not sent)`,
    );
  out.push(`${formatCount(result.emfDocuments.length)} EMF documents written to ${displayPath(metricsFile)}`);
  if (reportFile !== undefined) out.push(`Report written to ${displayPath(reportFile)}`);
  if (backfill) {
    out.push(
      `Backfilled ${formatCount(backfill.datums)} metric data in ${formatCount(backfill.requests.length)} PutMetricData requests to ${config.namespace}` +
        (backfill.skippedOutOfWindow > 0
          ? `; ${formatCount(backfill.skippedOutOfWindow)} values skipped: older than 14 days (CloudWatch refuses them)`
          : ''),
    );
  }
  if (rulesDiff) {
    const against = readString(values, 'baseline-rules');
    out.push(
      '',
      ...renderRulesDiff(
        rulesDiff,
        `${readString(values, 'rules')}${against ? ` (against ${against})` : ' (against the built-in rules alone)'}`,
      ),
    );
  }
  print(out);
  return 0;
}
