/**
 * `sagewatch subscribe`: the subscriber's reconcile run from an operator's machine. Its settings come
 * from the same variables as the function's (PROCESSOR_FUNCTION_ARN, ...), which options override.
 * The dry run plans every group with the subscriber's own pure planner and changes nothing; the
 * report has the same shape either way, its outcomes read as "would" in a dry run.
 */

import { describeError } from '../lib/control-plane/report.ts';
import { mapLimited } from '../lib/control-plane/run-limited.ts';
import type { SubscriptionConfig } from '../lib/subscriptions/config.ts';
import {
  type LogGroupSummary,
  planLogGroup,
  type SubscriptionFilterSummary,
  selectLogGroup,
} from '../lib/subscriptions/plan.ts';
import { type GroupOutcome, type RunReport, toPlannedOutcome } from '../lib/subscriptions/report.ts';
import { formatCount, renderTable } from './table.ts';

/** Subscriber options of the CLI and the variables they override. */
export const SUBSCRIBE_OPTION_VARIABLES = {
  'function-arn': 'PROCESSOR_FUNCTION_ARN',
  'stream-arn': 'DELIVERY_STREAM_ARN',
  'role-arn': 'DELIVERY_ROLE_ARN',
  'filter-name': 'SUBSCRIPTION_FILTER_NAME',
  'filter-pattern': 'SUBSCRIPTION_FILTER_PATTERN',
  include: 'INCLUDE_PATTERNS',
  exclude: 'EXCLUDE_PATTERNS',
  'retention-days': 'SET_RETENTION_DAYS',
  'own-log-group-prefix': 'OWN_LOG_GROUP_PREFIX',
} as const;

/** Reads one group's subscription filters (DescribeSubscriptionFilters). */
export type ListFilters = (logGroupName: string) => Promise<SubscriptionFilterSummary[]>;

/**
 * Plans every group as the reconcile would treat it, without changing anything: the outcome each
 * group would have (`subscribed` = would subscribe, ...). Read errors become `failed` outcomes;
 * a group deleted meanwhile is `missing`.
 */
export async function planSubscriptions(
  groups: readonly LogGroupSummary[],
  config: SubscriptionConfig,
  listFilters: ListFilters,
  concurrency: number,
): Promise<GroupOutcome[]> {
  const plan = async (group: LogGroupSummary): Promise<GroupOutcome> => {
    const logGroupName = group.name;
    const selection = selectLogGroup(logGroupName, config);
    if (!selection.selected) return { logGroupName, outcome: 'excluded', exclusion: selection.reason };
    let filters: SubscriptionFilterSummary[];
    try {
      filters = await listFilters(logGroupName);
    } catch (error) {
      if (error instanceof Error && error.name === 'ResourceNotFoundException') {
        return { logGroupName, outcome: 'missing' };
      }
      return { logGroupName, outcome: 'failed', error: describeError(error) };
    }
    const { subscription, retentionDays } = planLogGroup(group, filters, config);
    const outcome = toPlannedOutcome(logGroupName, subscription);
    return retentionDays === undefined ? outcome : { ...outcome, retention: 'set' };
  };
  const results = await mapLimited(groups, concurrency, plan);
  // `plan` never rejects and nothing stops the run: every result is fulfilled.
  return results.map((result) => (result as { value: GroupOutcome }).value);
}

const DRY_RUN_WORDS: Readonly<Record<GroupOutcome['outcome'], string>> = {
  subscribed: 'would subscribe',
  updated: 'would update our filter',
  'already-subscribed': 'already subscribed',
  'skipped-limit': 'would skip: both filter slots taken',
  excluded: 'excluded',
  missing: 'gone (deleted meanwhile)',
  failed: 'failed',
  deferred: 'not reached',
  unsubscribed: 'would unsubscribe',
};

const RUN_WORDS: Readonly<Record<GroupOutcome['outcome'], string>> = {
  subscribed: 'subscribed',
  updated: 'updated our filter',
  'already-subscribed': 'already subscribed',
  'skipped-limit': 'skipped: both filter slots taken',
  excluded: 'excluded',
  missing: 'gone (deleted meanwhile)',
  failed: 'failed',
  deferred: 'not reached before the deadline',
  unsubscribed: 'unsubscribed',
};

function describeOutcome(outcome: GroupOutcome, dryRun: boolean): string {
  const words = (dryRun ? DRY_RUN_WORDS : RUN_WORDS)[outcome.outcome];
  const details: string[] = [];
  if (outcome.exclusion) details.push(outcome.exclusion);
  if (outcome.foreignFilters?.length) details.push(`filters: ${outcome.foreignFilters.join(', ')}`);
  if (outcome.retention === 'set') details.push(dryRun ? 'would set retention' : 'retention set');
  if (outcome.retention === 'failed') details.push('retention failed');
  if (outcome.error) details.push(outcome.error);
  return details.length > 0 ? `${words} (${details.join('; ')})` : words;
}

/**
 * The report as text: every group that is or would be changed, or needs a human, then the counts.
 * Groups already subscribed or excluded are counted, not listed, unless `all`.
 */
export function renderSubscribeReport(
  report: RunReport,
  outcomes: readonly GroupOutcome[],
  options: { dryRun: boolean; all?: boolean },
): string[] {
  const quiet: ReadonlySet<string> = new Set(['already-subscribed', 'excluded']);
  const listed = outcomes.filter(
    (outcome) => options.all || !quiet.has(outcome.outcome) || outcome.retention !== undefined,
  );
  const lines: string[] = [options.dryRun ? 'Dry run: nothing was changed.' : 'Reconcile done.', ''];
  if (listed.length > 0) {
    const table = renderTable(
      [{ header: 'Log group', maxWidth: 80 }, { header: options.dryRun ? 'Plan' : 'Outcome' }],
      listed.map((outcome) => [outcome.logGroupName, describeOutcome(outcome, options.dryRun)]),
    );
    // A loop, not push(...table): an account may have many thousands of groups.
    for (const line of table) lines.push(line);
    lines.push('');
  }
  const would = options.dryRun ? 'to subscribe' : 'subscribed';
  const counts = [
    `${formatCount(report.groupsSeen)} groups`,
    `${formatCount(report.subscribed)} ${would}`,
    `${formatCount(report.updated)} ${options.dryRun ? 'to update' : 'updated'}`,
    `${formatCount(report.alreadySubscribed)} already subscribed`,
    `${formatCount(report.skippedLimit)} skipped (filter limit)`,
    `${formatCount(report.excluded)} excluded`,
  ];
  if (report.retentionSet > 0) {
    counts.push(
      `${formatCount(report.retentionSet)} ${options.dryRun ? 'retention to set' : 'retention set'}`,
    );
  }
  if (report.missing > 0) counts.push(`${formatCount(report.missing)} gone`);
  if (report.deferred > 0) counts.push(`${formatCount(report.deferred)} not reached`);
  if (report.failed + report.retentionFailed > 0) {
    counts.push(`${formatCount(report.failed + report.retentionFailed)} failed`);
  }
  lines.push(counts.join(', '));
  if (report.skippedLimit > 0) {
    lines.push(
      "Groups skipped for the filter limit keep two other tools' filters (CloudWatch allows two): free one slot to subscribe them.",
    );
  }
  return lines;
}
