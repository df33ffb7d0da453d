/**
 * The alert context in words, compactly: a few aligned lines for email, a small block of figures
 * for Slack. Both show only what was read; one short line names what was not.
 *
 * @module
 */
import type { AlertContext, ContextPart, HostsSeen, MetricFigure, ResourceStatus } from './alert-context.ts';
import { RESOURCE_LABELS } from './describe.ts';
import { truncateText } from './fit-lines.ts';

/** What each part is called in the "not read" line. */
const PART_LABELS: Readonly<Record<ContextPart, string>> = {
  metrics: 'SageMaker metrics',
  status: 'status',
  hosts: 'other hosts',
};

function formatNumber(value: number, digits: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A value in its unit: `98.7%`, `12.5 ms` (SageMaker's latencies are microseconds), `42`. */
export function formatMetricValue(value: number, unit: MetricFigure['unit']): string {
  if (unit === 'Percent') return `${formatNumber(value, 1)}%`;
  if (unit === 'Microseconds') return `${formatNumber(value / 1000, 1)} ms`;
  return formatNumber(value, 2);
}

/**
 * One metric in a few numbers: `max 98.7%, last 97%`; sums `12 in 10 min, max 5/min, last 5`;
 * averages `max 90 ms, last 90 ms (1-min averages)`.
 */
export function describeFigure(figure: MetricFigure, windowMinutes: number): string {
  const v = (value: number) => formatMetricValue(value, figure.unit);
  if (figure.total !== undefined) {
    return `${v(figure.total)} in ${windowMinutes} min, max ${v(figure.max)}/min, last ${v(figure.last)}`;
  }
  const stat = figure.stat === 'Average' ? ' (1-min averages)' : '';
  return `max ${v(figure.max)}, last ${v(figure.last)}${stat}`;
}

/** `Failed (Training failed)`, `InService, 1 of 2 instances`. */
export function describeStatus(status: ResourceStatus): string {
  const parts = [status.status];
  if (status.secondaryStatus && status.secondaryStatus !== status.status) {
    parts[0] = `${status.status} (${status.secondaryStatus})`;
  }
  if (status.currentInstances !== undefined && status.desiredInstances !== undefined) {
    parts.push(`${status.currentInstances} of ${status.desiredInstances} instances`);
  }
  return parts.join(', ');
}

/** `algo-3 and 5 other hosts`; `undefined` when only this host saw the failure. */
export function describeHosts(
  instance: string | undefined,
  hosts: HostsSeen | undefined,
): string | undefined {
  if (hosts === undefined || hosts.count <= 1) return undefined;
  const others = hosts.count - 1;
  const more = hosts.atLeast ? '+' : '';
  const noun = others === 1 && !more ? 'other host' : 'other hosts';
  return `${instance ?? 'this host'} and ${others}${more} ${noun}`;
}

/** One short line naming what could not be read, or `undefined` when everything was. */
export function describeMissing(context: AlertContext): string | undefined {
  const missing = context.missing ?? [];
  if (missing.length === 0) return undefined;
  const late = missing.filter((m) => m.reason === 'timeout').map((m) => PART_LABELS[m.part]);
  const failed = missing.filter((m) => m.reason === 'error').map((m) => PART_LABELS[m.part]);
  const clauses = [];
  if (late.length > 0) clauses.push(`${late.join(', ')} not read in time`);
  if (failed.length > 0) clauses.push(`${failed.join(', ')} could not be read`);
  return `Left out: ${clauses.join('; ')}.`;
}

function windowMinutes(context: AlertContext): number {
  return Math.max(1, Math.round((context.endMs - context.startMs) / 60_000));
}

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** The heading of the context: `SageMaker, 10:55–11:05 UTC:`. */
export function describeContextWindow(context: AlertContext): string {
  return `SageMaker, ${hhmm(context.startMs)}–${hhmm(context.endMs)} UTC`;
}

/** The metric's name; an instance metric of a whole endpoint variant says so: `CPUUtilization (variant)`. */
export function figureLabel(figure: MetricFigure): string {
  const perVariant = figure.namespace !== 'AWS/SageMaker' && figure.dimensions.VariantName !== undefined;
  return perVariant ? `${figure.metricName} (variant)` : figure.metricName;
}

/** Label and value rows of the context, in display order. */
export function toContextRows(
  context: AlertContext,
  incident: { instance?: string },
): { label: string; value: string }[] {
  const rows: { label: string; value: string }[] = [];
  if (context.status) {
    const label = `${RESOURCE_LABELS[context.status.kind]} status`;
    rows.push({
      label: label.charAt(0).toUpperCase() + label.slice(1),
      value: describeStatus(context.status),
    });
    if (context.status.failureReason)
      rows.push({ label: 'FailureReason', value: context.status.failureReason });
  }
  for (const figure of context.metrics ?? []) {
    rows.push({ label: figureLabel(figure), value: describeFigure(figure, windowMinutes(context)) });
  }
  const hosts = describeHosts(incident.instance, context.hosts);
  if (hosts) rows.push({ label: 'Same failure', value: `on ${hosts} in this alert window` });
  return rows;
}

/**
 * The context as aligned lines for the plain-text email, under a heading; empty when the context
 * holds nothing to show.
 */
export function formatContextLines(context: AlertContext, incident: { instance?: string }): string[] {
  const rows = toContextRows(context, incident);
  const missing = describeMissing(context);
  if (rows.length === 0 && missing === undefined) return [];
  const width = Math.max(...rows.map((row) => row.label.length), 0) + 2;
  return [
    `${describeContextWindow(context)}:`,
    ...rows.map((row) => `  ${`${row.label}:`.padEnd(width)}${row.value}`),
    ...(missing ? [`  ${missing}`] : []),
  ];
}

/** Slack allows 10 fields per section; the context keeps to this many figures. */
export const SLACK_CONTEXT_MAX_FIELDS = 10;

/**
 * The context as Slack parts: up to ten short fields of figures, and notes (the failure reason,
 * what was left out) for a context block. Texts are escaped by `escapeText`.
 */
export function toSlackContextParts(
  context: AlertContext,
  incident: { instance?: string },
  escapeText: (text: string) => string,
): { heading: string; fields: string[]; notes: string[] } {
  const fields: string[] = [];
  const notes: string[] = [];
  for (const row of toContextRows(context, incident)) {
    if (row.label === 'FailureReason')
      notes.push(`*FailureReason:* ${escapeText(truncateText(row.value, 400))}`);
    else fields.push(`*${escapeText(row.label)}*\n${escapeText(row.value)}`);
  }
  const missing = describeMissing(context);
  if (missing) notes.push(`:hourglass: ${missing}`);
  return {
    heading: `*${describeContextWindow(context)}*`,
    fields: fields.slice(0, SLACK_CONTEXT_MAX_FIELDS),
    notes,
  };
}
