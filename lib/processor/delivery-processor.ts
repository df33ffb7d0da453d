/**
 * The processor's pipeline, composed: the one factory the process-logs Lambda and `sagewatch replay`
 * both build, so the two cannot drift apart. Stages in the order data flows: decode (./decode.ts,
 * done by the caller, which owns the raw event) → classify and aggregate (./process-delivery.ts) →
 * group incidents (../incidents/, with ./incident-options.ts) → alert (./alerting.ts with
 * ./suppression.ts) → emit EMF.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { createContextClassifier, type MetricDefinition } from '../classify/index.ts';
import { type DetectedIncident, toIncidents } from '../incidents/index.ts';
import { MetricNames, toMinute } from '../metrics/aggregate.ts';
import type { MetricsDetail } from '../metrics/dimensions.ts';
import { isInMetricWindow, toEmfDocuments } from '../metrics/emf.ts';
import type { LogsDelivery } from '../types.ts';
import { type AlertOutcome, deliverAlerts, type PublishAlerts } from './alerting.ts';
import { toIncidentOptions } from './incident-options.ts';
import { type ProcessedDelivery, processDelivery } from './process-delivery.ts';
import type { SuppressionStore } from './suppression.ts';

/** The processor's settings that decide what a delivery turns into. */
export interface DeliveryProcessorConfig {
  /** CloudWatch namespace of the EMF documents. */
  namespace: string;
  detail: MetricsDetail;
  suppressionWindowMs: number;
  /** The log groups' Region: incidents name it, and their console links point into it. */
  region: string;
  /** Operator-defined metric definitions, already parsed. */
  metricDefinitions: readonly MetricDefinition[];
}

/** The edges of the pipeline, provided by the Lambda handler and by the CLI. */
export interface DeliveryProcessorIo {
  store: SuppressionStore;
  /** Sends alerts (SNS), or logs or collects them when no topic is configured. */
  publish: PublishAlerts<DetectedIncident>;
  /** Writes one EMF document (a JSON string) where CloudWatch Logs will read it. */
  writeEmf: (document: string) => void;
}

/** What happened to one delivery. */
export interface DeliveryReport {
  processed: ProcessedDelivery;
  alerts: AlertOutcome<DetectedIncident>;
  /** The same delivery had already been processed: no metrics were emitted again. */
  duplicate: boolean;
  emfDocuments: number;
}

/**
 * Processes one decoded DATA_MESSAGE delivery at `nowMs` (the time of processing, which decides
 * the metric window and the suppression window).
 */
export type DeliveryProcessor = (delivery: LogsDelivery, nowMs: number) => Promise<DeliveryReport>;

/** Identifies a delivery across retries and duplicates: its stream and the ids of its events. */
export function toDeliveryKey(delivery: LogsDelivery): string {
  const hash = createHash('sha256').update(delivery.logGroup).update('\n').update(delivery.logStream);
  for (const event of delivery.logEvents) hash.update('\n').update(event.id);
  return hash.digest('hex').slice(0, 32);
}

/**
 * Builds the processor's pipeline for one delivery at a time: classify and aggregate, group
 * incidents, alert (suppressed and idempotent), then emit the metrics.
 *
 * Order matters for at-least-once delivery: alerts go first, so a publishing failure rejects
 * before any metric is written (the async retry then redoes both, and suppression keeps what was
 * already sent from going twice); metrics are written only by the first processing of a
 * delivery, so a duplicate counts nothing twice.
 */
export function createDeliveryProcessor(
  config: DeliveryProcessorConfig,
  io: DeliveryProcessorIo,
): DeliveryProcessor {
  const classify = createContextClassifier({ metricDefinitions: [...config.metricDefinitions] });
  return async (delivery, nowMs) => {
    const processed = processDelivery(delivery, { classify, detail: config.detail, nowMs });
    const incidents = toIncidents(
      processed.classified,
      processed.source,
      toIncidentOptions(delivery, config.region),
    );
    const alerts = await deliverAlerts(incidents, {
      store: io.store,
      publish: io.publish,
      nowMs,
      windowMs: config.suppressionWindowMs,
    });
    // Stamped with the incident's last event, like every derived metric; never outside the window.
    const count = (name: string, incident: DetectedIncident, value: number) => {
      if (isInMetricWindow(toMinute(incident.lastSeenMs), nowMs)) {
        processed.metrics.addResourceCount(name, incident.lastSeenMs, value);
      }
    };
    // Metrics are written once per delivery (below), so a retry after a failed attempt counts here
    // what that attempt already decided: the alerts it sent and the occurrences it suppressed.
    const previouslySent = new Set(alerts.previouslySent);
    for (const { incident } of alerts.sent) count(MetricNames.incidents, incident, 1);
    for (const incident of alerts.suppressed)
      count(MetricNames.incidentsSuppressed, incident, incident.count);
    for (const incident of alerts.duplicates) {
      if (previouslySent.has(incident)) count(MetricNames.incidents, incident, 1);
      else count(MetricNames.incidentsSuppressed, incident, incident.count);
    }

    if (!(await io.store.claimDelivery(toDeliveryKey(delivery), nowMs))) {
      return { processed, alerts, duplicate: true, emfDocuments: 0 };
    }
    const documents = toEmfDocuments(config.namespace, processed.metrics.buckets(), {
      LogGroup: delivery.logGroup,
      LogStream: delivery.logStream,
    });
    for (const document of documents) io.writeEmf(document);
    return { processed, alerts, duplicate: false, emfDocuments: documents.length };
  };
}

/** The structured log line that closes a delivery: where, what was seen, what was alerted. */
export function describeReport(report: DeliveryReport): Record<string, unknown> {
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
