/**
 * Pure planning for the log group subscriber: which groups to consider, what to do to each one, and
 * in which order to visit them. The AWS calls that gather the input and carry out the plan live in
 * `lib/aws/log-groups.ts`.
 */
import type { SubscriptionConfig } from './config.ts';
import { findMatchingPattern } from './patterns.ts';

/** CloudWatch Logs allows at most two subscription filters per log group (PutSubscriptionFilter). */
export const MAX_SUBSCRIPTION_FILTERS_PER_GROUP = 2;

/** A log group as DescribeLogGroups reports it, reduced to what planning needs. */
export interface LogGroupSummary {
  name: string;
  /** Milliseconds since the epoch. */
  creationTime?: number;
  /** Absent when the group never expires (SageMaker creates its groups that way). */
  retentionInDays?: number;
}

/** A subscription filter as DescribeSubscriptionFilters reports it. */
export interface SubscriptionFilterSummary {
  filterName: string;
  destinationArn?: string;
  /** The role CloudWatch Logs writes to a stream destination with (none for Lambda). */
  roleArn?: string;
  filterPattern?: string;
}

/** Why a group is left alone without looking at its filters. */
export const ExclusionReasons = ['own-log-group', 'not-included', 'excluded-pattern'] as const;

/** One of {@link ExclusionReasons}. */
export type ExclusionReason = (typeof ExclusionReasons)[number];

/** Whether a group is sagewatch's business at all. */
export type Selection = { selected: true } | { selected: false; reason: ExclusionReason; pattern?: string };

/**
 * Decides from the name alone whether a group may be touched. sagewatch's own groups are refused
 * first, whatever the patterns say: subscribing the processor to its own output would loop.
 */
export function selectLogGroup(name: string, config: SubscriptionConfig): Selection {
  if (name === config.processorLogGroup) return { selected: false, reason: 'own-log-group' };
  if (config.ownLogGroupPrefix !== undefined && name.startsWith(config.ownLogGroupPrefix)) {
    return { selected: false, reason: 'own-log-group' };
  }
  if (findMatchingPattern(name, config.include) === undefined)
    return { selected: false, reason: 'not-included' };
  const excludedBy = findMatchingPattern(name, config.exclude);
  if (excludedBy !== undefined)
    return { selected: false, reason: 'excluded-pattern', pattern: excludedBy.source };
  return { selected: true };
}

/** What to do about the subscription of one selected group. */
export type SubscriptionAction =
  /** No filter of ours: add one. */
  | { kind: 'create' }
  /**
   * Our filter exists but points elsewhere (another destination or role: `delivery` was switched
   * between the processor and the stream) or filters differently: overwrite it (same name).
   */
  | { kind: 'update'; previousDestinationArn?: string; previousFilterPattern?: string }
  /** Already delivering to the processor (by our filter, or by another filter with our destination). */
  | { kind: 'none'; filterName: string }
  /** Both slots are taken by other tools' filters: never touch them, report the group. */
  | { kind: 'skip-limit'; foreignFilters: string[] };

/** The plan for one selected group. */
export interface GroupPlan {
  logGroupName: string;
  subscription: SubscriptionAction;
  /** Set when retention management is on and the group has no retention yet. */
  retentionDays?: number;
}

/** Plans one selected group from its current filters. Pure; never throws. */
export function planLogGroup(
  group: LogGroupSummary,
  filters: readonly SubscriptionFilterSummary[],
  config: SubscriptionConfig,
): GroupPlan {
  const retention =
    config.retentionDays !== undefined && group.retentionInDays === undefined
      ? { retentionDays: config.retentionDays }
      : {};
  return { logGroupName: group.name, subscription: planSubscription(filters, config), ...retention };
}

function planSubscription(
  filters: readonly SubscriptionFilterSummary[],
  config: SubscriptionConfig,
): SubscriptionAction {
  const ours = filters.find((filter) => filter.filterName === config.filterName);
  if (ours !== undefined) {
    const samePattern = (ours.filterPattern ?? '') === config.filterPattern;
    const sameRole = ours.roleArn === config.roleArn;
    if (ours.destinationArn === config.destinationArn && sameRole && samePattern) {
      return { kind: 'none', filterName: ours.filterName };
    }
    return {
      kind: 'update',
      ...(ours.destinationArn === undefined ? {} : { previousDestinationArn: ours.destinationArn }),
      ...(ours.filterPattern === undefined ? {} : { previousFilterPattern: ours.filterPattern }),
    };
  }
  // Another filter already delivering to the processor (an older filter name, say): a second one
  // would deliver every event twice.
  const sameDestination = filters.find((filter) => filter.destinationArn === config.destinationArn);
  if (sameDestination !== undefined) return { kind: 'none', filterName: sameDestination.filterName };
  if (filters.length >= MAX_SUBSCRIPTION_FILTERS_PER_GROUP) {
    return { kind: 'skip-limit', foreignFilters: filters.map((filter) => filter.filterName) };
  }
  return { kind: 'create' };
}

/**
 * Whether removing sagewatch (custom resource Delete) should delete this group's filter: only a
 * filter that carries our name AND delivers to our processor or our delivery stream is ours to remove.
 */
export function isOwnFilter(filter: SubscriptionFilterSummary, config: SubscriptionConfig): boolean {
  return (
    filter.filterName === config.filterName &&
    filter.destinationArn !== undefined &&
    config.ownDestinationArns.includes(filter.destinationArn)
  );
}

/** Code-point order (not locale order): log group names are ASCII and the order must be stable. */
function byName(a: LogGroupSummary, b: LogGroupSummary): number {
  if (a.name === b.name) return 0;
  return a.name < b.name ? -1 : 1;
}

/** Groups created this recently are visited first: they are the likeliest to be unsubscribed. */
export const RECENT_GROUP_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The order in which a reconcile visits groups when it may run out of time: groups created in the
 * last {@link RECENT_GROUP_WINDOW_MS} first (newest first), then the rest by name, starting at a
 * position chosen by `rotation` (in `[0, 1)`) and wrapping around. Runs cut short by the deadline
 * therefore cover different older groups each time instead of always the same alphabetical head.
 */
export function orderForReconcile<T extends LogGroupSummary>(
  groups: readonly T[],
  nowMs: number,
  rotation: number,
): T[] {
  const ageOf = (group: T): number => nowMs - (group.creationTime ?? Number.NEGATIVE_INFINITY);
  const recent = groups
    .filter((group) => ageOf(group) <= RECENT_GROUP_WINDOW_MS)
    .sort((a, b) => ageOf(a) - ageOf(b));
  const older = groups.filter((group) => ageOf(group) > RECENT_GROUP_WINDOW_MS).sort(byName);
  const clamped = Math.min(Math.max(rotation, 0), 0.999_999);
  const start = Math.floor(clamped * older.length);
  return [...recent, ...older.slice(start), ...older.slice(0, start)];
}
