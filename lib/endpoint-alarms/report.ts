/**
 * The run report of the endpoint alarm manager and the metrics that go with it.
 */
import { describeError, REPORT_LIST_LIMIT } from '../control-plane/report.ts';
import type { AlarmIntent } from './sync.ts';

/** What happened to one endpoint's alarms. */
export interface EndpointAlarmResult {
  endpointName: string;
  intent: AlarmIntent;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Existing alarms whose tags were missing and were set again (TagResource). */
  retagged: number;
  /** Alarm names that could not be built (longer than CloudWatch allows). */
  tooLong: string[];
  /** Set when an AWS call failed for this endpoint. */
  error?: string;
}

/** How the run was started. */
export type AlarmRunTrigger =
  | 'endpoint-state-change'
  | 'log-group-created'
  | 'schedule'
  | 'manual'
  | 'deploy'
  | 'remove';

/** One run, summarised. */
export interface AlarmRunReport {
  trigger: AlarmRunTrigger;
  endpoints: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  retagged: number;
  failed: number;
  failures: { endpointName: string; error: string }[];
  tooLong: string[];
  durationMs: number;
}

/** The result for an endpoint before anything was done to its alarms. */
export function toEmptyResult(endpointName: string, intent: AlarmIntent): EndpointAlarmResult {
  return { endpointName, intent, created: 0, updated: 0, unchanged: 0, deleted: 0, retagged: 0, tooLong: [] };
}

/** A result for an endpoint whose AWS calls failed. */
export function toFailedResult(
  endpointName: string,
  intent: AlarmIntent,
  error: unknown,
): EndpointAlarmResult {
  return { ...toEmptyResult(endpointName, intent), error: describeError(error) };
}

/** Folds per-endpoint results (and orphan deletions) into the run report. */
export function toAlarmRunReport(
  trigger: AlarmRunTrigger,
  results: readonly EndpointAlarmResult[],
  durationMs: number,
): AlarmRunReport {
  const sum = (key: 'created' | 'updated' | 'unchanged' | 'deleted' | 'retagged'): number =>
    results.reduce((total, result) => total + result[key], 0);
  const failures = results.flatMap((r) =>
    r.error === undefined ? [] : [{ endpointName: r.endpointName, error: r.error }],
  );
  return {
    trigger,
    endpoints: results.length,
    created: sum('created'),
    updated: sum('updated'),
    unchanged: sum('unchanged'),
    deleted: sum('deleted'),
    retagged: sum('retagged'),
    failed: failures.length,
    failures: failures.slice(0, REPORT_LIST_LIMIT),
    tooLong: results.flatMap((r) => r.tooLong).slice(0, REPORT_LIST_LIMIT),
    durationMs,
  };
}

/** The metric each count is published as (unit Count). */
export const AlarmMetricNames = {
  created: 'EndpointAlarmsCreated',
  updated: 'EndpointAlarmsUpdated',
  deleted: 'EndpointAlarmsDeleted',
  retagged: 'EndpointAlarmsRetagged',
  failed: 'EndpointAlarmsFailed',
} as const satisfies Partial<Record<keyof AlarmRunReport, string>>;

/** The report as metrics, zeros included. */
export function toAlarmMetrics(report: AlarmRunReport): { name: string; value: number }[] {
  return Object.entries(AlarmMetricNames).map(([key, name]) => ({
    name,
    value: report[key as keyof typeof AlarmMetricNames],
  }));
}
