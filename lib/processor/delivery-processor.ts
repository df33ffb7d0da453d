import { createHash } from 'node:crypto';
import { MetricNames, toMinute } from '../metrics/aggregate.ts';
import { isInMetricWindow, toEmfDocuments } from '../metrics/emf.ts';
import type { LogsDelivery } from '../types.ts';
import { type Alertable, type AlertOutcome, deliverAlerts, type PublishAlerts } from './alerting.ts';
import { type ProcessedDelivery, type ProcessOptions, processDelivery } from './process-delivery.ts';
import type { SuppressionStore } from './suppression.ts';

/** What one delivery needs from the outside world; the Lambda handler and the CLI provide it. */
export interface DeliveryDependencies<I extends Alertable & { lastSeenMs: number }> extends ProcessOptions {
  namespace: string;
  /** Groups a processed delivery's error lines into incidents. */
  toIncidents: (processed: ProcessedDelivery) => I[];
  store: SuppressionStore;
  windowMs: number;
  /** Sends alerts (SNS), or logs them when no topic is configured. */
  publish: PublishAlerts<I>;
  /** Writes one EMF document (a JSON string) where CloudWatch Logs will read it. */
  writeEmf: (document: string) => void;
}

/** What happened to one delivery. */
export interface DeliveryReport<I> {
  processed: ProcessedDelivery;
  alerts: AlertOutcome<I>;
  /** The same delivery had already been processed: no metrics were emitted again. */
  duplicate: boolean;
  emfDocuments: number;
}

/** Identifies a delivery across retries and duplicates: its stream and the ids of its events. */
export function toDeliveryKey(delivery: LogsDelivery): string {
  const hash = createHash('sha256').update(delivery.logGroup).update('\n').update(delivery.logStream);
  for (const event of delivery.logEvents) hash.update('\n').update(event.id);
  return hash.digest('hex').slice(0, 32);
}

/**
 * The processor's pipeline for one decoded DATA_MESSAGE delivery: classify and aggregate, group
 * incidents, alert (suppressed and idempotent), then emit the metrics.
 *
 * Order matters for at-least-once delivery: alerts go first, so a publishing failure rejects
 * before any metric is written (the async retry then redoes both, and suppression keeps what was
 * already sent from going twice); metrics are written only by the first processing of a
 * delivery, so a duplicate counts nothing twice.
 */
export async function handleDelivery<I extends Alertable & { lastSeenMs: number }>(
  delivery: LogsDelivery,
  deps: DeliveryDependencies<I>,
): Promise<DeliveryReport<I>> {
  const processed = processDelivery(delivery, deps);
  const incidents = deps.toIncidents(processed);
  const alerts = await deliverAlerts(incidents, {
    store: deps.store,
    publish: deps.publish,
    nowMs: deps.nowMs,
    windowMs: deps.windowMs,
  });
  // Stamped with the incident's last event, like every derived metric; never outside the window.
  const count = (name: string, incident: I, value: number) => {
    if (isInMetricWindow(toMinute(incident.lastSeenMs), deps.nowMs)) {
      processed.metrics.addResourceCount(name, incident.lastSeenMs, value);
    }
  };
  // Metrics are written once per delivery (below), so a retry after a failed attempt counts here
  // what that attempt already decided: the alerts it sent and the occurrences it suppressed.
  const previouslySent = new Set(alerts.previouslySent);
  for (const { incident } of alerts.sent) count(MetricNames.incidents, incident, 1);
  for (const incident of alerts.suppressed) count(MetricNames.incidentsSuppressed, incident, incident.count);
  for (const incident of alerts.duplicates) {
    if (previouslySent.has(incident)) count(MetricNames.incidents, incident, 1);
    else count(MetricNames.incidentsSuppressed, incident, incident.count);
  }

  if (!(await deps.store.claimDelivery(toDeliveryKey(delivery), deps.nowMs))) {
    return { processed, alerts, duplicate: true, emfDocuments: 0 };
  }
  const documents = toEmfDocuments(deps.namespace, processed.metrics.buckets(), {
    LogGroup: delivery.logGroup,
    LogStream: delivery.logStream,
  });
  for (const document of documents) deps.writeEmf(document);
  return { processed, alerts, duplicate: false, emfDocuments: documents.length };
}

/** The structured log line that closes a delivery: where, what was seen, what was alerted. */
export function describeReport<I>(report: DeliveryReport<I>): Record<string, unknown> {
  return {
    source: report.processed.source,
    stats: report.processed.stats,
    incidents: {
      sent: report.alerts.sent.length,
      suppressed: report.alerts.suppressed.length,
      duplicate: report.alerts.duplicates.length,
    },
    duplicateDelivery: report.duplicate,
    emfDocuments: report.emfDocuments,
  };
}
