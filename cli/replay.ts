/**
 * The replay: deliveries through the processor's own pipeline ({@link createDeliveryProcessor}),
 * one at a time, as the processor would have handled them when the events were new.
 */
import type { DetectedIncident } from '../lib/incidents/index.ts';
import type { MetricBucket } from '../lib/metrics/aggregate.ts';
import type { PublishAlerts } from '../lib/processor/alerting.ts';
import {
  createDeliveryProcessor,
  type DeliveryProcessorConfig,
  type DeliveryReport,
} from '../lib/processor/delivery-processor.ts';
import { createMemorySuppressionStore, type SuppressionStore } from '../lib/processor/suppression.ts';
import type { LogEvent, LogsDelivery } from '../lib/types.ts';

/** What a replay needs: the processor's settings and where alerts go. */
export interface ReplayOptions {
  /** The processor's settings; `region` is the log groups' Region. */
  config: DeliveryProcessorConfig;
  /** Sends (or collects) the alerts the processor would send. */
  publish: PublishAlerts<DetectedIncident>;
  /** Default: a fresh in-memory store, as a processor without a suppression table has. */
  store?: SuppressionStore;
  /** Called after each delivery with the running totals. */
  onProgress?: (progress: { deliveries: number; events: number }) => void;
}

/** Everything a replay produced. */
export interface ReplayResult {
  reports: DeliveryReport[];
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
 * Runs the deliveries, in the order given, through the processor's pipeline, built by the same
 * factory as the processor's. Rejects as the processor would: when publishing fails.
 */
export async function replayDeliveries(
  deliveries: readonly LogsDelivery[],
  options: ReplayOptions,
): Promise<ReplayResult> {
  const store = options.store ?? createMemorySuppressionStore(Number.MAX_SAFE_INTEGER);
  const result: ReplayResult = { reports: [], emfDocuments: [], buckets: [] };
  let events = 0;
  const processDelivery = createDeliveryProcessor(options.config, {
    store,
    publish: options.publish,
    writeEmf: (document) => result.emfDocuments.push(document),
  });
  for (const delivery of deliveries) {
    const report = await processDelivery(delivery, toReplayClock(delivery));
    result.reports.push(report);
    if (!report.duplicate)
      for (const bucket of report.processed.metrics.buckets()) result.buckets.push(bucket);
    events += delivery.logEvents.length;
    options.onProgress?.({ deliveries: result.reports.length, events });
  }
  return result;
}
