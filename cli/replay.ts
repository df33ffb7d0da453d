/**
 * The replay: deliveries through the processor's own pipeline ({@link handleDelivery}), one at a
 * time, as the processor would have handled them when the events were new.
 */

import { type DetectedIncident, type ToIncidentsOptions, toIncidents } from '../lib/incidents/index.ts';
import type { MetricBucket } from '../lib/metrics/aggregate.ts';
import type { MetricsDetail } from '../lib/metrics/dimensions.ts';
import type { PublishAlerts } from '../lib/processor/alerting.ts';
import { type DeliveryReport, handleDelivery } from '../lib/processor/delivery-processor.ts';
import { toIncidentOptions } from '../lib/processor/incident-options.ts';
import { createMemorySuppressionStore, type SuppressionStore } from '../lib/processor/suppression.ts';
import type { Classification, LogEvent, LogsDelivery } from '../lib/types.ts';
import { UNKNOWN_OWNER } from './deliveries.ts';

/**
 * The options the process-logs handler gives `toIncidents` for a delivery. An owner the replay
 * could not learn (files) is left out rather than shown as a made-up account.
 */
export function toProcessorIncidentOptions(delivery: LogsDelivery, region: string): ToIncidentsOptions {
  return toIncidentOptions(delivery, region, delivery.owner === UNKNOWN_OWNER ? undefined : delivery.owner);
}

/** What a replay needs: the processor's settings and where alerts go. */
export interface ReplayOptions {
  classify: (message: string) => Classification;
  detail: MetricsDetail;
  namespace: string;
  /** The suppression window (ms). */
  windowMs: number;
  /** The log groups' region, for incidents and their console links. */
  region: string;
  /** Sends (or collects) the alerts the processor would send. */
  publish: PublishAlerts<DetectedIncident>;
  /** Default: a fresh in-memory store, as a processor without a suppression table has. */
  store?: SuppressionStore;
  /** Called after each delivery with the running totals. */
  onProgress?: (progress: { deliveries: number; events: number }) => void;
}

/** Everything a replay produced. */
export interface ReplayResult {
  reports: DeliveryReport<DetectedIncident>[];
  /** The EMF documents, in the order the processor would have written them. */
  emfDocuments: string[];
  /** The metric buckets behind those documents (for a backfill with PutMetricData). */
  buckets: MetricBucket[];
}

/**
 * The time a delivery is processed in a replay: when its last event was written, as if the
 * processor had run live. Suppression windows and the metric window are then those the processor
 * would have applied at the time; a backfill checks CloudWatch's window against the real clock.
 */
export function toReplayClock(delivery: LogsDelivery): number {
  let latest = Number.NEGATIVE_INFINITY;
  for (const event of delivery.logEvents as LogEvent[]) latest = Math.max(latest, event.timestamp);
  return latest;
}

/**
 * Runs the deliveries, in the order given, through {@link handleDelivery} with the same
 * dependencies the processor gives it. Rejects as the processor would: when publishing fails.
 */
export async function replayDeliveries(
  deliveries: readonly LogsDelivery[],
  options: ReplayOptions,
): Promise<ReplayResult> {
  const store = options.store ?? createMemorySuppressionStore(Number.MAX_SAFE_INTEGER);
  const result: ReplayResult = { reports: [], emfDocuments: [], buckets: [] };
  let events = 0;
  for (const delivery of deliveries) {
    const report = await handleDelivery(delivery, {
      classify: options.classify,
      detail: options.detail,
      namespace: options.namespace,
      nowMs: toReplayClock(delivery),
      toIncidents: (processed) =>
        toIncidents(
          processed.classified,
          processed.source,
          toProcessorIncidentOptions(delivery, options.region),
        ),
      store,
      windowMs: options.windowMs,
      publish: options.publish,
      writeEmf: (document) => result.emfDocuments.push(document),
    });
    result.reports.push(report);
    if (!report.duplicate)
      for (const bucket of report.processed.metrics.buckets()) result.buckets.push(bucket);
    events += delivery.logEvents.length;
    options.onProgress?.({ deliveries: result.reports.length, events });
  }
  return result;
}
