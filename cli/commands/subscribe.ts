/**
 * `sagewatch subscribe [--dry-run]`: the subscriber's reconcile of every /aws/sagemaker/ log group,
 * run with the operator's credentials, printing its report.
 */
import {
  createLogsClient,
  LOGS_CONCURRENCY,
  listLogGroups,
  listSubscriptionFilters,
  reconcileLogGroups,
} from '../../lib/aws/log-groups.ts';
import { readSubscriptionConfig } from '../../lib/subscriptions/config.ts';
import { hasFailures, toRunReport } from '../../lib/subscriptions/report.ts';
import {
  AWS_OPTIONS,
  type CommandSpec,
  HELP_OPTION,
  JSON_OPTION,
  type OptionValues,
  readFlag,
  readIntegerOption,
} from '../args.ts';
import { overlayOptions, readWithOptions } from '../env-options.ts';
import { ExitCodes } from '../exit-codes.ts';
import { planSubscriptions, renderSubscribeReport, SUBSCRIBE_OPTION_VARIABLES } from '../subscribe.ts';
import { awsClientConfig, checkAwsSetup, print, printJson } from './shared.ts';

/** Default `--max-minutes`: a reconcile of thousands of groups takes minutes, not hours. */
const DEFAULT_MAX_MINUTES = 60;

export const subscribeSpec: CommandSpec = {
  name: 'subscribe',
  summary:
    "Subscribe every /aws/sagemaker/ log group to the processor (the subscriber's reconcile), and report.",
  usage: ['[--dry-run] [--function-arn <arn>] [options]'],
  description: [
    'The same reconcile the subscribe-log-groups function runs on its schedule: groups are selected by the ' +
      "include/exclude patterns, never the processor's own; our filter is created or updated; groups whose " +
      'two filter slots are held by other tools are reported, never touched. --dry-run reads and plans only.',
    "Settings default to the function's variables: PROCESSOR_FUNCTION_ARN (required), DELIVERY_STREAM_ARN and " +
      'DELIVERY_ROLE_ARN (a stack deployed with delivery=kinesis), SUBSCRIPTION_FILTER_NAME, ' +
      'SUBSCRIPTION_FILTER_PATTERN, INCLUDE_PATTERNS, EXCLUDE_PATTERNS, SET_RETENTION_DAYS, OWN_LOG_GROUP_PREFIX.',
    'With --stream-arn, our filters deliver to the stream: a filter of ours that delivers to the function is ' +
      'updated to the stream, and the other way round without it; filters of other tools are never touched.',
  ],
  options: {
    'dry-run': { type: 'boolean', description: 'Plan and print; change nothing.' },
    'function-arn': {
      type: 'string',
      value: 'arn',
      description: 'The processor function (default PROCESSOR_FUNCTION_ARN).',
    },
    'stream-arn': {
      type: 'string',
      value: 'arn',
      description:
        'Deliver to this Kinesis data stream instead of the function (delivery=kinesis; default DELIVERY_STREAM_ARN).',
    },
    'role-arn': {
      type: 'string',
      value: 'arn',
      description:
        'With --stream-arn: the role CloudWatch Logs writes to the stream with (default DELIVERY_ROLE_ARN).',
    },
    'filter-name': {
      type: 'string',
      value: 'name',
      description: 'Our subscription filter name (default sagewatch).',
    },
    'filter-pattern': {
      type: 'string',
      value: 'pattern',
      description: 'Subscription filter pattern (default: every event).',
    },
    include: {
      type: 'string',
      multiple: true,
      value: 'pattern',
      description: 'Only groups matching (glob, or re:regex).',
    },
    exclude: {
      type: 'string',
      multiple: true,
      value: 'pattern',
      description: 'Leave groups matching alone.',
    },
    'retention-days': {
      type: 'string',
      value: 'days',
      description: 'Set this retention on groups that have none.',
    },
    'own-log-group-prefix': {
      type: 'string',
      value: 'prefix',
      description: "sagewatch's own log groups, never subscribed.",
    },
    'max-minutes': {
      type: 'string',
      value: 'n',
      description: `Stop starting new groups after this long (default ${DEFAULT_MAX_MINUTES}).`,
    },
    all: { type: 'boolean', description: 'List every group, not only those changed or needing a human.' },
    ...JSON_OPTION,
    ...AWS_OPTIONS,
    ...HELP_OPTION,
  },
  positionals: { min: 0, max: 0 },
  examples: [
    'sagewatch subscribe --dry-run --function-arn arn:aws:lambda:us-east-1:123456789012:function:sagewatch-prod-process-logs',
    'sagewatch subscribe --exclude "/aws/sagemaker/Endpoints/dev-*" --json',
    'sagewatch subscribe --function-arn arn:aws:lambda:us-east-1:123456789012:function:sagewatch-prod-process-logs --stream-arn arn:aws:kinesis:us-east-1:123456789012:stream/sagewatch-prod-logs --role-arn arn:aws:iam::123456789012:role/sagewatch-prod-logs-writer',
  ],
};

export async function runSubscribe(values: OptionValues): Promise<number> {
  const env = overlayOptions(process.env, SUBSCRIBE_OPTION_VARIABLES, values);
  const config = readWithOptions(SUBSCRIBE_OPTION_VARIABLES, values, () => readSubscriptionConfig(env));
  const maxMinutes = readIntegerOption(values, 'max-minutes', DEFAULT_MAX_MINUTES, 1, 24 * 60);
  const dryRun = readFlag(values, 'dry-run');
  const logs = createLogsClient(awsClientConfig(values));
  await checkAwsSetup(logs);

  const started = Date.now();
  const outcomes = dryRun
    ? await planSubscriptions(
        await listLogGroups(logs),
        config,
        (name) => listSubscriptionFilters(logs, name),
        LOGS_CONCURRENCY,
      )
    : await reconcileLogGroups({ logs, config, deadlineMs: started + maxMinutes * 60_000 });
  const report = toRunReport('manual', outcomes, Date.now() - started);

  if (readFlag(values, 'json')) printJson({ dryRun, report, groups: outcomes });
  else print(renderSubscribeReport(report, outcomes, { dryRun, all: readFlag(values, 'all') }));
  return hasFailures(report) ? ExitCodes.failure : ExitCodes.ok;
}
