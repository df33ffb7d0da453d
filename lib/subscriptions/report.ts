/**
 * The run report of the log group subscriber: per-group outcomes folded into counts, short lists of
 * the groups that need a human, and the metrics that go with them.
 */
import { REPORT_LIST_LIMIT } from '../control-plane/report.ts';
import type { ExclusionReason, SubscriptionAction } from './plan.ts';

/** What happened to one group's subscription in a run. */
export const SubscriptionOutcomes = [
  'subscribed',
  'updated',
  'already-subscribed',
  'skipped-limit',
  'excluded',
  'missing',
  'failed',
  'deferred',
  'unsubscribed',
] as const;

/** One of {@link SubscriptionOutcomes}. */
export type SubscriptionOutcome = (typeof SubscriptionOutcomes)[number];

/** The result for one group. */
export interface GroupOutcome {
  logGroupName: string;
  outcome: SubscriptionOutcome;
  /** Set with `excluded`. */
  exclusion?: ExclusionReason;
  /** Set with `skipped-limit`: the names of the filters that hold both slots. */
  foreignFilters?: string[];
  /** Set when retention management acted on this group. */
  retention?: 'set' | 'failed';
  /** Set with `failed`, or with `retention: 'failed'`: the AWS error name and message. */
  error?: string;
}

/**
 * The outcome of a group's planned subscription once carried out: what the dry run reports (read
 * as "would") and what the reconcile reports when its write succeeds. One step for both, so the
 * dry run cannot tell a different story from the run.
 */
export function toPlannedOutcome(logGroupName: string, subscription: SubscriptionAction): GroupOutcome {
  switch (subscription.kind) {
    case 'create':
      return { logGroupName, outcome: 'subscribed' };
    case 'update':
      return { logGroupName, outcome: 'updated' };
    case 'none':
      return { logGroupName, outcome: 'already-subscribed' };
    default:
      return { logGroupName, outcome: 'skipped-limit', foreignFilters: subscription.foreignFilters };
  }
}

/** How the run was started. */
export type RunTrigger = 'schedule' | 'manual' | 'log-group-created' | 'deploy' | 'remove';

/** One run, summarised. Logged as one structured line and turned into metrics. */
export interface RunReport {
  trigger: RunTrigger;
  groupsSeen: number;
  subscribed: number;
  updated: number;
  alreadySubscribed: number;
  skippedLimit: number;
  excluded: number;
  missing: number;
  failed: number;
  deferred: number;
  unsubscribed: number;
  retentionSet: number;
  retentionFailed: number;
  /** Groups whose two filter slots belong to other tools: someone has to free one. */
  skippedLimitGroups: { logGroupName: string; foreignFilters: string[] }[];
  failedGroups: { logGroupName: string; error: string }[];
  /** True when a list above was cut at {@link REPORT_LIST_LIMIT}. */
  listsTruncated: boolean;
  durationMs: number;
}

/** Folds per-group outcomes into the run report. */
export function toRunReport(
  trigger: RunTrigger,
  outcomes: readonly GroupOutcome[],
  durationMs: number,
): RunReport {
  const count = (outcome: SubscriptionOutcome): number =>
    outcomes.filter((o) => o.outcome === outcome).length;
  const skipped = outcomes.filter((o) => o.outcome === 'skipped-limit');
  const failed = outcomes.filter((o) => o.outcome === 'failed' || o.retention === 'failed');
  return {
    trigger,
    groupsSeen: outcomes.length,
    subscribed: count('subscribed'),
    updated: count('updated'),
    alreadySubscribed: count('already-subscribed'),
    skippedLimit: skipped.length,
    excluded: count('excluded'),
    missing: count('missing'),
    failed: count('failed'),
    deferred: count('deferred'),
    unsubscribed: count('unsubscribed'),
    retentionSet: outcomes.filter((o) => o.retention === 'set').length,
    retentionFailed: outcomes.filter((o) => o.retention === 'failed').length,
    skippedLimitGroups: skipped
      .slice(0, REPORT_LIST_LIMIT)
      .map((o) => ({ logGroupName: o.logGroupName, foreignFilters: o.foreignFilters ?? [] })),
    failedGroups: failed
      .slice(0, REPORT_LIST_LIMIT)
      .map((o) => ({ logGroupName: o.logGroupName, error: o.error ?? 'unknown error' })),
    listsTruncated: skipped.length > REPORT_LIST_LIMIT || failed.length > REPORT_LIST_LIMIT,
    durationMs,
  };
}

/** True when any AWS call failed in the run: the function then fails so the Lambda Errors alarm fires. */
export function hasFailures(report: RunReport): boolean {
  return report.failed > 0 || report.retentionFailed > 0;
}

/** The metric each report count is published as (unit Count, namespace from `METRICS_NAMESPACE`). */
export const ReportMetricNames = {
  subscribed: 'SubscriptionsCreated',
  updated: 'SubscriptionsUpdated',
  alreadySubscribed: 'SubscriptionsAlreadyPresent',
  skippedLimit: 'SubscriptionsSkippedLimit',
  excluded: 'LogGroupsExcluded',
  missing: 'LogGroupsMissing',
  failed: 'SubscriptionsFailed',
  deferred: 'LogGroupsDeferred',
  unsubscribed: 'SubscriptionsRemoved',
  retentionSet: 'RetentionPoliciesSet',
  retentionFailed: 'RetentionPoliciesFailed',
} as const satisfies Partial<Record<keyof RunReport, string>>;

/** The report as metrics: every count, zeros included, so alarms see data rather than gaps. */
export function toReportMetrics(report: RunReport): { name: string; value: number }[] {
  return Object.entries(ReportMetricNames).map(([key, name]) => ({
    name,
    value: report[key as keyof typeof ReportMetricNames],
  }));
}
