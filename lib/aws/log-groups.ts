/**
 * CloudWatch Logs side of the subscriber: list SageMaker log groups, read their subscription filters,
 * and carry out the plans made by `lib/subscriptions/plan.ts`. The client is injected.
 *
 * Rate limits: accounts have thousands of groups and these control-plane APIs have low per-account
 * TPS quotas. The client uses the SDK's adaptive retry mode (client-side rate limiting plus
 * exponential backoff on ThrottlingException) with more attempts than the default, and the work runs
 * with a small, fixed concurrency.
 */
import {
  CloudWatchLogsClient,
  type CloudWatchLogsClientConfig,
  DeleteSubscriptionFilterCommand,
  DescribeLogGroupsCommand,
  type LogGroup,
  PutRetentionPolicyCommand,
  PutSubscriptionFilterCommand,
  paginateDescribeLogGroups,
  paginateDescribeSubscriptionFilters,
} from '@aws-sdk/client-cloudwatch-logs';
import { SAGEMAKER_LOG_GROUP_PREFIX } from '../control-plane/config.ts';
import { describeError } from '../control-plane/report.ts';
import { type LimitedResult, mapLimited } from '../control-plane/run-limited.ts';
import type { Trigger } from '../control-plane/triggers.ts';
import type { SubscriptionConfig } from '../subscriptions/config.ts';
import {
  isOwnFilter,
  type LogGroupSummary,
  orderForReconcile,
  planLogGroup,
  type SubscriptionFilterSummary,
  selectLogGroup,
} from '../subscriptions/plan.ts';
import {
  type GroupOutcome,
  type RunReport,
  type RunTrigger,
  toPlannedOutcome,
  toRunReport,
} from '../subscriptions/report.ts';

/** SDK attempts per call (default 3): a reconcile over thousands of groups meets throttling. */
export const LOGS_MAX_ATTEMPTS = 10;

/** Groups worked on at once. Small on purpose: each group costs 1-3 calls against low TPS quotas. */
export const LOGS_CONCURRENCY = 3;

/** DescribeLogGroups returns at most 50 groups per page. */
const DESCRIBE_LOG_GROUPS_PAGE_SIZE = 50;

/** A CloudWatch Logs client set up for long reconciles. */
export function createLogsClient(config: CloudWatchLogsClientConfig = {}): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ retryMode: 'adaptive', maxAttempts: LOGS_MAX_ATTEMPTS, ...config });
}

/** What the subscriber's operations need. */
export interface SubscriberDeps {
  logs: CloudWatchLogsClient;
  config: SubscriptionConfig;
  /** Epoch milliseconds after which no new group is started (the rest are reported `deferred`). */
  deadlineMs: number;
  /** Clock, injectable for tests. */
  now?: () => number;
  /** In `[0, 1)`: where the name-ordered part of a reconcile starts (see `orderForReconcile`). */
  rotation?: number;
  concurrency?: number;
}

const errorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

function toSummary(group: LogGroup): LogGroupSummary | undefined {
  if (group.logGroupName === undefined) return undefined;
  return {
    name: group.logGroupName,
    ...(group.creationTime === undefined ? {} : { creationTime: group.creationTime }),
    ...(group.retentionInDays === undefined ? {} : { retentionInDays: group.retentionInDays }),
  };
}

/** Every log group under `prefix` (default `/aws/sagemaker/`), across all pages. */
export async function listLogGroups(
  logs: CloudWatchLogsClient,
  prefix: string = SAGEMAKER_LOG_GROUP_PREFIX,
): Promise<LogGroupSummary[]> {
  const groups: LogGroupSummary[] = [];
  const pages = paginateDescribeLogGroups(
    { client: logs, pageSize: DESCRIBE_LOG_GROUPS_PAGE_SIZE },
    { logGroupNamePrefix: prefix },
  );
  for await (const page of pages) {
    for (const group of page.logGroups ?? []) {
      const summary = toSummary(group);
      if (summary !== undefined) groups.push(summary);
    }
  }
  return groups;
}

/**
 * One log group by exact name, or `undefined` when it does not exist. DescribeLogGroups sorts by
 * name, and a name sorts before every longer name it prefixes, so the first result is enough.
 */
export async function describeLogGroup(
  logs: CloudWatchLogsClient,
  name: string,
): Promise<LogGroupSummary | undefined> {
  const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 1 }));
  const first = page.logGroups?.[0];
  return first?.logGroupName === name ? toSummary(first) : undefined;
}

/** The subscription filters of one group (at most two exist, but the API pages anyway). */
export async function listSubscriptionFilters(
  logs: CloudWatchLogsClient,
  logGroupName: string,
): Promise<SubscriptionFilterSummary[]> {
  const filters: SubscriptionFilterSummary[] = [];
  for await (const page of paginateDescribeSubscriptionFilters({ client: logs }, { logGroupName })) {
    for (const filter of page.subscriptionFilters ?? []) {
      if (filter.filterName === undefined) continue;
      filters.push({
        filterName: filter.filterName,
        ...(filter.destinationArn === undefined ? {} : { destinationArn: filter.destinationArn }),
        ...(filter.roleArn === undefined ? {} : { roleArn: filter.roleArn }),
        ...(filter.filterPattern === undefined ? {} : { filterPattern: filter.filterPattern }),
      });
    }
  }
  return filters;
}

async function applyRetention(
  deps: SubscriberDeps,
  logGroupName: string,
  days: number,
): Promise<Partial<GroupOutcome>> {
  try {
    await deps.logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays: days }));
    return { retention: 'set' };
  } catch (error) {
    return { retention: 'failed', error: describeError(error) };
  }
}

/**
 * Brings one group in line: select, read filters, plan, put our filter where needed, set retention
 * where configured. Never throws: every problem becomes the group's outcome.
 */
export async function processLogGroup(deps: SubscriberDeps, group: LogGroupSummary): Promise<GroupOutcome> {
  const { logs, config } = deps;
  const logGroupName = group.name;
  const selection = selectLogGroup(logGroupName, config);
  if (!selection.selected) return { logGroupName, outcome: 'excluded', exclusion: selection.reason };

  let filters: SubscriptionFilterSummary[];
  try {
    filters = await listSubscriptionFilters(logs, logGroupName);
  } catch (error) {
    // Deleted between listing and now (endpoints come and go): nothing to subscribe.
    if (errorName(error) === 'ResourceNotFoundException') return { logGroupName, outcome: 'missing' };
    return { logGroupName, outcome: 'failed', error: describeError(error) };
  }

  const plan = planLogGroup(group, filters, config);
  let outcome = toPlannedOutcome(logGroupName, plan.subscription);
  if (plan.subscription.kind === 'create' || plan.subscription.kind === 'update') {
    try {
      await logs.send(
        new PutSubscriptionFilterCommand({
          logGroupName,
          filterName: config.filterName,
          filterPattern: config.filterPattern,
          destinationArn: config.destinationArn,
          // A stream destination: the role CloudWatch Logs assumes to write to it. The default
          // distribution (ByLogStream) keeps each log stream on one shard, in order.
          ...(config.roleArn === undefined ? {} : { roleArn: config.roleArn }),
        }),
      );
    } catch (error) {
      const name = errorName(error);
      if (name === 'ResourceNotFoundException') return { logGroupName, outcome: 'missing' };
      // Another tool took the free slot between our read and our write.
      if (name === 'LimitExceededException') {
        outcome = {
          logGroupName,
          outcome: 'skipped-limit',
          foreignFilters: filters.map((f) => f.filterName),
        };
      } else {
        outcome = { logGroupName, outcome: 'failed', error: describeError(error) };
      }
    }
  }
  if (plan.retentionDays === undefined) return outcome;
  return { ...outcome, ...(await applyRetention(deps, logGroupName, plan.retentionDays)) };
}

function toOutcomes(
  groups: readonly LogGroupSummary[],
  results: LimitedResult<GroupOutcome>[],
): GroupOutcome[] {
  return results.map((result, index) => {
    const logGroupName = groups[index]?.name ?? '';
    if (result.status === 'fulfilled') return result.value;
    if (result.status === 'not-started') return { logGroupName, outcome: 'deferred' };
    return { logGroupName, outcome: 'failed', error: describeError(result.reason) };
  });
}

function startGate(deps: SubscriberDeps): () => boolean {
  const now = deps.now ?? Date.now;
  return () => now() < deps.deadlineMs;
}

/** Reconciles every `/aws/sagemaker/` group. Groups not reached before the deadline are `deferred`. */
export async function reconcileLogGroups(deps: SubscriberDeps): Promise<GroupOutcome[]> {
  const now = deps.now ?? Date.now;
  const groups = orderForReconcile(await listLogGroups(deps.logs), now(), deps.rotation ?? 0);
  const results = await mapLimited(
    groups,
    deps.concurrency ?? LOGS_CONCURRENCY,
    (group) => processLogGroup(deps, group),
    startGate(deps),
  );
  return toOutcomes(groups, results);
}

/** Handles one newly created group (the CloudTrail event path). */
export async function subscribeLogGroup(deps: SubscriberDeps, logGroupName: string): Promise<GroupOutcome> {
  const selection = selectLogGroup(logGroupName, deps.config);
  if (!selection.selected) return { logGroupName, outcome: 'excluded', exclusion: selection.reason };
  try {
    const group = await describeLogGroup(deps.logs, logGroupName);
    if (group === undefined) return { logGroupName, outcome: 'missing' };
    return await processLogGroup(deps, group);
  } catch (error) {
    return { logGroupName, outcome: 'failed', error: describeError(error) };
  }
}

/**
 * Removes sagewatch's filters (name AND destination ours) from every `/aws/sagemaker/` group,
 * whatever the include/exclude patterns say now: they may have changed since the filter was put.
 * Only groups that had a filter of ours (or could not be checked) appear in the result.
 */
export async function removeSubscriptions(deps: SubscriberDeps): Promise<GroupOutcome[]> {
  const groups = await listLogGroups(deps.logs);
  const remove = async (group: LogGroupSummary): Promise<GroupOutcome | undefined> => {
    const logGroupName = group.name;
    try {
      const ours = (await listSubscriptionFilters(deps.logs, logGroupName)).find((f) =>
        isOwnFilter(f, deps.config),
      );
      if (ours === undefined) return undefined;
      await deps.logs.send(
        new DeleteSubscriptionFilterCommand({ logGroupName, filterName: ours.filterName }),
      );
      return { logGroupName, outcome: 'unsubscribed' };
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return { logGroupName, outcome: 'missing' };
      return { logGroupName, outcome: 'failed', error: describeError(error) };
    }
  };
  const results = await mapLimited(groups, deps.concurrency ?? LOGS_CONCURRENCY, remove, startGate(deps));
  return results.flatMap((result, index): GroupOutcome[] => {
    const logGroupName = groups[index]?.name ?? '';
    if (result.status === 'not-started') return [{ logGroupName, outcome: 'deferred' }];
    if (result.status === 'rejected')
      return [{ logGroupName, outcome: 'failed', error: describeError(result.reason) }];
    return result.value === undefined ? [] : [result.value];
  });
}

/**
 * Runs what a trigger asks for and folds the outcomes into the run report; `undefined` for triggers
 * the subscriber has nothing to do with (endpoint state changes, ignored or unrecognised events).
 * A custom resource Create or Update reconciles; Delete removes sagewatch's filters.
 */
export async function runSubscriptionTrigger(
  deps: SubscriberDeps,
  trigger: Trigger,
): Promise<RunReport | undefined> {
  const now = deps.now ?? Date.now;
  const started = now();
  const report = (kind: RunTrigger, outcomes: GroupOutcome[]): RunReport =>
    toRunReport(kind, outcomes, now() - started);
  switch (trigger.kind) {
    case 'reconcile':
      return report(trigger.source, await reconcileLogGroups(deps));
    case 'log-group-created':
      return report('log-group-created', [await subscribeLogGroup(deps, trigger.logGroupName)]);
    case 'custom-resource':
      return trigger.request.requestType === 'Delete'
        ? report('remove', await removeSubscriptions(deps))
        : report('deploy', await reconcileLogGroups(deps));
    default:
      return undefined;
  }
}
