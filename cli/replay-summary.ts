/**
 * What a replay found, per log stream and in total, as data (for `--json`) and as text.
 */

import { formatEmail, type Incident } from '../lib/incidents/index.ts';
import type { AlertToSend } from '../lib/processor/alerting.ts';
import type { DeliveryReport } from '../lib/processor/delivery-processor.ts';
import { createLogKeyedRecord } from '../lib/text/log-keyed-record.ts';
import type { ResourceType } from '../lib/types.ts';
import { formatCount, renderTable } from './table.ts';

/** One log stream's share of a replay. */
export interface StreamSummary {
  logGroup: string;
  logStream: string;
  resourceType: ResourceType;
  resourceName?: string;
  /** SageMaker's `Host` dimension value. */
  host?: string;
  /** The instance (`algo-1`, an instance id). */
  instance?: string;
  /** The container or channel (`data-log`, ...). */
  container?: string;
  deliveries: number;
  events: number;
  bytes: number;
  errors: number;
  warnings: number;
  /** Events outside CloudWatch's metric window when processed: classified, not counted in metrics. */
  outOfWindow: number;
  /** Incidents sent (first of their fingerprint in the suppression window). */
  incidents: number;
  /** Incidents counted but not sent (suppressed). */
  suppressed: number;
  errorsByCategory: Record<string, number>;
  httpStatus: Record<string, number>;
  trainingMetrics: Record<string, { count: number; last: number }>;
}

/** Totals over every stream. */
export interface ReplayTotals {
  streams: number;
  deliveries: number;
  events: number;
  bytes: number;
  errors: number;
  warnings: number;
  outOfWindow: number;
  incidents: number;
  suppressed: number;
}

/** A replay, summarised. */
export interface ReplaySummary {
  streams: StreamSummary[];
  totals: ReplayTotals;
}

function addCounts(into: Record<string, number>, from: Readonly<Record<string, number | undefined>>): void {
  for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + (value ?? 0);
}

/** Folds the delivery reports of a replay into per-stream rows (ordered by group and stream) and totals. */
export function summarizeReplay(reports: readonly DeliveryReport[]): ReplaySummary {
  const streams = new Map<string, StreamSummary>();
  for (const { processed, alerts } of reports) {
    const { source, stats } = processed;
    const key = `${source.logGroup}\n${source.logStream}`;
    let row = streams.get(key);
    if (!row) {
      row = {
        logGroup: source.logGroup,
        logStream: source.logStream,
        resourceType: source.resourceType,
        deliveries: 0,
        events: 0,
        bytes: 0,
        errors: 0,
        warnings: 0,
        outOfWindow: 0,
        incidents: 0,
        suppressed: 0,
        errorsByCategory: {},
        // Status codes and metric names are read from log lines: records without a prototype.
        httpStatus: createLogKeyedRecord(),
        trainingMetrics: createLogKeyedRecord(),
      };
      if (source.resourceName !== undefined) row.resourceName = source.resourceName;
      if (source.host !== undefined) row.host = source.host;
      if (source.instance !== undefined) row.instance = source.instance;
      const container = source.container ?? source.channel;
      if (container !== undefined) row.container = container;
      streams.set(key, row);
    }
    row.deliveries++;
    row.events += stats.events;
    row.bytes += stats.bytes;
    row.errors += stats.errors;
    row.warnings += stats.warnings;
    row.outOfWindow += stats.outOfWindow;
    row.incidents += alerts.sent.length;
    row.suppressed += alerts.suppressed.length;
    addCounts(row.errorsByCategory, stats.errorsByCategory);
    addCounts(row.httpStatus, stats.httpStatus);
    for (const [name, { count, last }] of Object.entries(stats.trainingMetrics)) {
      const seen = row.trainingMetrics[name];
      row.trainingMetrics[name] = { count: (seen?.count ?? 0) + count, last };
    }
  }
  const rows = [...streams.values()].sort(
    (a, b) => compare(a.logGroup, b.logGroup) || compare(a.logStream, b.logStream),
  );
  const totals: ReplayTotals = {
    streams: rows.length,
    deliveries: 0,
    events: 0,
    bytes: 0,
    errors: 0,
    warnings: 0,
    outOfWindow: 0,
    incidents: 0,
    suppressed: 0,
  };
  for (const row of rows) {
    for (const key of [
      'deliveries',
      'events',
      'bytes',
      'errors',
      'warnings',
      'outOfWindow',
      'incidents',
      'suppressed',
    ] as const) {
      totals[key] += row[key];
    }
  }
  return { streams: rows, totals };
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** `a 3, b 1`: the largest counts first. */
function formatCounts(counts: Readonly<Record<string, number>>, separator = ' '): string {
  return Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || compare(a, b))
    .map(([key, count]) => `${key}${separator}${formatCount(count)}`)
    .join(', ');
}

/** The summary as a table, then totals, HTTP statuses and training metrics seen. */
export function renderReplaySummary(summary: ReplaySummary): string[] {
  const rows = summary.streams.map((row) => [
    [row.resourceType, row.resourceName].filter(Boolean).join(' '),
    row.instance ?? row.host ?? '',
    row.container ?? '',
    formatCount(row.events),
    formatCount(row.errors),
    formatCount(row.warnings),
    formatCount(row.incidents),
    formatCounts(row.errorsByCategory),
  ]);
  const lines = renderTable(
    [
      { header: 'Resource', maxWidth: 48 },
      { header: 'Instance', maxWidth: 40 },
      { header: 'Container', maxWidth: 24 },
      { header: 'Events', align: 'right' },
      { header: 'Errors', align: 'right' },
      { header: 'Warnings', align: 'right' },
      { header: 'Incidents', align: 'right' },
      { header: 'Error categories', maxWidth: 48 },
    ],
    rows,
  );
  const { totals } = summary;
  lines.push(
    '',
    `${formatCount(totals.events)} events (${formatCount(totals.bytes)} bytes) in ${formatCount(totals.streams)} streams, ` +
      `${formatCount(totals.deliveries)} deliveries: ${formatCount(totals.errors)} errors, ` +
      `${formatCount(totals.warnings)} warnings, ${formatCount(totals.incidents)} incidents to send, ` +
      `${formatCount(totals.suppressed)} suppressed`,
  );
  if (totals.outOfWindow > 0) {
    lines.push(
      `${formatCount(totals.outOfWindow)} events were outside CloudWatch's metric window (−14 days/+2 hours) when processed: classified, not counted`,
    );
  }
  const http: Record<string, number> = createLogKeyedRecord();
  const metrics = new Map<string, { count: number; last: number }>();
  for (const row of summary.streams) {
    addCounts(http, row.httpStatus);
    for (const [name, { count, last }] of Object.entries(row.trainingMetrics)) {
      metrics.set(name, { count: (metrics.get(name)?.count ?? 0) + count, last });
    }
  }
  if (Object.keys(http).length > 0) lines.push(`HTTP status: ${formatCounts(http, '×')}`);
  if (metrics.size > 0) {
    const described = [...metrics].map(
      ([name, { count, last }]) => `${name} (${formatCount(count)} values, last ${last})`,
    );
    lines.push(`Training metrics: ${described.join(', ')}`);
  }
  return lines;
}

/** The incidents a replay would send, as their email (subject and plain-text body). */
export function renderIncidents(sent: readonly AlertToSend<Incident>[]): string[] {
  const lines: string[] = [];
  for (const { incident, suppressedBefore } of sent) {
    const email = formatEmail(suppressedBefore > 0 ? { ...incident, suppressedBefore } : incident);
    lines.push(`Subject: ${email.subject}`, ...email.body.split('\n').map((line) => `  | ${line}`), '');
  }
  return lines;
}
