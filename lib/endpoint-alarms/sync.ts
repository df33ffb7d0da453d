/**
 * Pure reconciliation of an endpoint's alarms: compare what should exist with what DescribeAlarms
 * returned, and say what to create, update and delete. Running it again on the result is a no-op.
 */
import { type AlarmDefinition, parseAlarmName } from './alarms.ts';
import type { EndpointAlarmConfig } from './config.ts';

/** The part of a DescribeAlarms `MetricAlarm` that the comparison reads (SDK-compatible optionals). */
export interface ExistingAlarm {
  AlarmName?: string | undefined;
  AlarmArn?: string | undefined;
  AlarmDescription?: string | undefined;
  ActionsEnabled?: boolean | undefined;
  AlarmActions?: string[] | undefined;
  OKActions?: string[] | undefined;
  Namespace?: string | undefined;
  MetricName?: string | undefined;
  Dimensions?: { Name?: string | undefined; Value?: string | undefined }[] | undefined;
  Statistic?: string | undefined;
  ExtendedStatistic?: string | undefined;
  Period?: number | undefined;
  EvaluationPeriods?: number | undefined;
  DatapointsToAlarm?: number | undefined;
  Threshold?: number | undefined;
  ComparisonOperator?: string | undefined;
  TreatMissingData?: string | undefined;
}

/** What to do to one endpoint's alarms. */
export interface AlarmSyncPlan {
  create: AlarmDefinition[];
  update: AlarmDefinition[];
  unchanged: string[];
  delete: string[];
}

/**
 * The fields that decide whether an existing alarm matches its definition, in one canonical form.
 * Tags are left out: DescribeAlarms does not return them, and they derive from the name anyway.
 */
function toComparable(alarm: ExistingAlarm | AlarmDefinition): string {
  const sorted = (values: readonly string[] | undefined): string[] => [...(values ?? [])].sort();
  return JSON.stringify([
    alarm.AlarmDescription ?? '',
    alarm.ActionsEnabled ?? true,
    sorted(alarm.AlarmActions),
    sorted(alarm.OKActions),
    alarm.Namespace ?? '',
    alarm.MetricName ?? '',
    sorted((alarm.Dimensions ?? []).map((d) => `${d.Name ?? ''}=${d.Value ?? ''}`)),
    alarm.Statistic ?? '',
    alarm.ExtendedStatistic ?? '',
    alarm.Period ?? 0,
    alarm.EvaluationPeriods ?? 0,
    // CloudWatch's default for DatapointsToAlarm is EvaluationPeriods.
    alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods ?? 0,
    alarm.Threshold ?? 0,
    alarm.ComparisonOperator ?? '',
    alarm.TreatMissingData ?? 'missing',
  ]);
}

/**
 * Plans one endpoint's alarms. `existing` must be the alarms under that endpoint's own prefix
 * (`toEndpointAlarmPrefix`): every one of them that is not `desired` is deleted.
 */
export function planAlarmSync(
  desired: readonly AlarmDefinition[],
  existing: readonly ExistingAlarm[],
): AlarmSyncPlan {
  const byName = new Map(
    existing.flatMap((alarm) => (alarm.AlarmName ? [[alarm.AlarmName, alarm] as const] : [])),
  );
  const plan: AlarmSyncPlan = { create: [], update: [], unchanged: [], delete: [] };
  for (const definition of desired) {
    const current = byName.get(definition.AlarmName);
    if (current === undefined) plan.create.push(definition);
    else if (toComparable(current) === toComparable(definition)) plan.unchanged.push(definition.AlarmName);
    else plan.update.push(definition);
  }
  const wanted = new Set(desired.map((definition) => definition.AlarmName));
  plan.delete = [...byName.keys()].filter((name) => !wanted.has(name));
  return plan;
}

/** A tag as ListTagsForResource returns it. */
export interface ExistingTag {
  Key?: string | undefined;
  Value?: string | undefined;
}

/**
 * The tags of a definition that an existing alarm lacks or holds with another value: what
 * TagResource must set. PutMetricAlarm applies `Tags` only when it creates an alarm and ignores them
 * on an update, so an alarm created without them (by an older version, or tagged by hand since)
 * would otherwise never get them. Tags it has beyond the definition's are left alone.
 */
export function planMissingTags(
  desired: readonly { Key: string; Value: string }[],
  current: readonly ExistingTag[],
): { Key: string; Value: string }[] {
  const have = new Map(current.map((tag) => [tag.Key, tag.Value]));
  return desired.filter((tag) => have.get(tag.Key) !== tag.Value);
}

/**
 * Alarms of this stage whose endpoint no longer exists (a Deleting event that never arrived, or an
 * endpoint deleted while sagewatch was not deployed), grouped by endpoint. Names that do not parse
 * as ours are left alone.
 */
export function planOrphanAlarms(
  config: EndpointAlarmConfig,
  alarmNames: readonly string[],
  liveEndpoints: ReadonlySet<string>,
): { endpointName: string; alarmNames: string[] }[] {
  const orphans = new Map<string, string[]>();
  for (const name of alarmNames) {
    const parsed = parseAlarmName(config, name);
    if (parsed === undefined || liveEndpoints.has(parsed.endpointName)) continue;
    orphans.set(parsed.endpointName, [...(orphans.get(parsed.endpointName) ?? []), name]);
  }
  return [...orphans].map(([endpointName, names]) => ({ endpointName, alarmNames: names }));
}

/** What an endpoint's current status asks of its alarms. */
export type AlarmIntent = 'ensure' | 'remove' | 'keep';

/** Statuses (normalised: letters only, lower case) in which an endpoint serves and has variants. */
const SERVING_STATUSES: ReadonlySet<string> = new Set([
  'inservice',
  'updating',
  'systemupdating',
  'rollingback',
  'updaterollbackfailed',
]);

/**
 * `ensure` while the endpoint serves; `remove` once it is being deleted or is gone (`undefined`);
 * `keep` otherwise (Creating: wait for InService; Failed or OutOfService: leave the alarms to the
 * Deleting that follows, rather than silently dropping them).
 */
export function toAlarmIntent(normalisedStatus: string | undefined): AlarmIntent {
  if (normalisedStatus === undefined || normalisedStatus === 'deleting' || normalisedStatus === 'deleted') {
    return 'remove';
  }
  return SERVING_STATUSES.has(normalisedStatus) ? 'ensure' : 'keep';
}
