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
import type { MetricDefinition } from '../classify/index.ts';
import {
  computeOccurrenceKey,
  type DetectedIncident,
  detectIncidents,
  mayContinueTraceback,
} from '../incidents/index.ts';
import { parseLogSource } from '../log-source.ts';
import { type MetricBucket, MetricNames, toMinute } from '../metrics/aggregate.ts';
import { boundLogName, type MetricsDetail } from '../metrics/dimensions.ts';
import { DocumentProperties, isInMetricWindow, toEmfDocuments } from '../metrics/emf.ts';
import { type Mute, NO_OPERATOR_RULES, type OperatorRules, partitionMuted } from '../operator-rules/index.ts';
import type { Classification, ClassifiedEvent, LogsDelivery } from '../types.ts';
import { type GatherAlertContext, withAlertContext } from './alert-context.ts';
import { type AlertOutcome, deliverAlerts, type PublishAlerts } from './alerting.ts';
import type { ClassificationBudget } from './classification-budget.ts';
import { fitsHeld, HOLD_SECONDS, type ScheduleFlush, toStreamKey } from './held-tails.ts';
import { toIncidentOptions } from './incident-options.ts';
import { type ProcessedDelivery, processDelivery } from './process-delivery.ts';
import { createStreamClassifiers } from './stream-classifier.ts';
import type { SuppressionStore } from './suppression.ts';

/** Occurrences of incidents an operator's mute silenced (resource dimensions, like `Incidents`). */
export const INCIDENTS_MUTED = 'IncidentsMuted';

/** The processor's settings that decide what a delivery turns into. */
export interface DeliveryProcessorConfig {
  /** CloudWatch namespace of the EMF documents. */
  namespace: string;
  detail: MetricsDetail;
  /** Values that repeat written once with their counts (default true; lib/metrics/emf.ts). */
  valueCounts?: boolean;
  suppressionWindowMs: number;
  /** The log groups' Region: incidents name it, and their console links point into it. */
  region: string;
  /** Operator-defined metric definitions, already parsed. */
  metricDefinitions: readonly MetricDefinition[];
  /** The operator's custom rules and mutes (docs/configuration.md); absent: none. */
  operatorRules?: OperatorRules;
}

/** The edges of the pipeline, provided by the Lambda handler and by the CLI. */
export interface DeliveryProcessorIo {
  store: SuppressionStore;
  /** Sends alerts (SNS), or logs or collects them when no topic is configured. */
  publish: PublishAlerts<DetectedIncident>;
  /** Writes one EMF document (a JSON string) where CloudWatch Logs will read it. */
  writeEmf: (document: string) => void;
  /** Gathers the context of the alerts to send, within its budget (./alert-context.ts); none without. */
  gatherContext?: GatherAlertContext;
  /**
   * Asks for a held traceback to be flushed later (held-tails.ts). Without it, a traceback cut at
   * the end of a delivery is alerted as it is, and nothing is held (the CLI's replay, the eval).
   */
  scheduleFlush?: ScheduleFlush;
}

/** What happened to one delivery. */
export interface DeliveryReport {
  processed: ProcessedDelivery;
  alerts: AlertOutcome<DetectedIncident>;
  /** Incidents an operator's mute silenced (counted in `IncidentsMuted`, never sent), with the mute. */
  muted: { incident: DetectedIncident; mute: Mute }[];
  /** The same delivery had already been processed: no metrics were emitted again. */
  duplicate: boolean;
  /** Events of a traceback cut at the end of the delivery, held for the next one (0: none). */
  held: number;
  /** Events of a traceback held by the previous delivery that this one completed (0: none). */
  completed: number;
  emfDocuments: number;
}

/** Per-call options of a {@link DeliveryProcessor}. */
export interface DeliveryOptions {
  /**
   * How long classifying the delivery's events may take (./classification-budget.ts); past it, the
   * rest are counted, not classified. Absent: no limit (the CLI's replay, the eval).
   */
  budget?: ClassificationBudget;
  /**
   * Takes the delivery's metric buckets instead of writing them as EMF documents: a Kinesis batch
   * merges the buckets of all its deliveries and writes them once (./kinesis-batch.ts). Called
   * exactly when the documents would have been written: only by the first processing of a delivery.
   */
  collectMetrics?: (buckets: MetricBucket[], delivery: LogsDelivery) => void;
}

/**
 * Processes one decoded DATA_MESSAGE delivery at `nowMs` (the time of processing, which decides
 * the metric window and the suppression window), with `options`.
 */
export type DeliveryProcessor = (
  delivery: LogsDelivery,
  nowMs: number,
  options?: DeliveryOptions,
) => Promise<DeliveryReport>;

/** Identifies a delivery across retries and duplicates: its stream and the ids of its events. */
export function toDeliveryKey(delivery: LogsDelivery): string {
  // The same bytes as one update per id (keys stay the same across versions), hashed in one call:
  // thousands of small updates cost more than the hashing itself.
  let text = `${delivery.logGroup}\n${delivery.logStream}`;
  for (const event of delivery.logEvents) text += `\n${event.id}`;
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
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
  const classifierFor = createStreamClassifiers(config);
  const operator = config.operatorRules ?? NO_OPERATOR_RULES;
  return async (delivery, nowMs, options = {}) => {
    // Custom rules in scope of this stream are tried before the built-in ones. Names longer than
    // CloudWatch allows (only a forged delivery has them) are cut before they become dimensions.
    const source = parseLogSource(boundLogName(delivery.logGroup), boundLogName(delivery.logStream));
    const classifyHere = classifierFor(source);
    const processed = processDelivery(delivery, {
      source,
      classify: classifyHere,
      detail: config.detail,
      nowMs,
      ...(options.budget ? { budget: options.budget } : {}),
    });
    // Hashed once: the held-traceback store and the duplicate-delivery claim both use it.
    const deliveryKey = toDeliveryKey(delivery);
    const stitched = await stitch(delivery, deliveryKey, processed, classifyHere, nowMs);
    const { held, completed } = stitched;
    // Mutes sit between incidents and alerting: a muted incident is counted, never decided or sent.
    const { alert: incidents, muted } = partitionMuted(stitched.incidents, operator.mutes, nowMs);
    const alerts = await deliverAlerts(incidents, {
      store: io.store,
      // Only alerts that are sent get context: suppressed ones never reach the publisher.
      publish: io.gatherContext ? withAlertContext(io.publish, io.gatherContext, () => nowMs) : io.publish,
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
    for (const { incident } of muted) count(INCIDENTS_MUTED, incident, incident.count);

    if (!(await io.store.claimDelivery(deliveryKey, nowMs))) {
      return { processed, alerts, muted, duplicate: true, emfDocuments: 0, held, completed };
    }
    if (options.collectMetrics !== undefined) {
      options.collectMetrics(processed.metrics.buckets(), delivery);
      return { processed, alerts, muted, duplicate: false, emfDocuments: 0, held, completed };
    }
    // One property to trace a document back: its log stream (the log group follows from the
    // ResourceType and the resource name among the dimensions).
    const documents = toEmfDocuments(
      config.namespace,
      processed.metrics.buckets(),
      { [DocumentProperties.logStream]: boundLogName(delivery.logStream) },
      { valueCounts: config.valueCounts ?? true },
    );
    for (const document of documents) io.writeEmf(document);
    return { processed, alerts, muted, duplicate: false, emfDocuments: documents.length, held, completed };
  };

  /**
   * Incidents of a delivery, one traceback one alert across deliveries (held-tails.ts): a held
   * traceback of the stream is put in front of the delivery's events (counted in no metric: the
   * delivery that held it counted them), and a traceback the delivery ends in is held.
   */
  async function stitch(
    delivery: LogsDelivery,
    deliveryKey: string,
    processed: ProcessedDelivery,
    classify: (message: string) => Classification,
    nowMs: number,
  ) {
    const options = toIncidentOptions(delivery, config.region);
    const schedule = io.scheduleFlush;
    const { source, classified: own } = processed;
    if (schedule === undefined)
      return { incidents: detectIncidents(own, source, options).incidents, held: 0, completed: 0 };
    const streamKey = toStreamKey(delivery.logGroup, delivery.logStream);
    let classified = own;
    const taken = mayContinueTraceback(delivery.logEvents)
      ? await io.store.take(streamKey, deliveryKey, nowMs)
      : undefined;
    if (taken !== undefined && taken.length > 0) {
      classified = [...taken.map((event) => ({ event, classification: classify(event.message) })), ...own];
    }
    const completed = taken?.length ?? 0;
    const detected = detectIncidents(classified, source, { ...options, holdCutTracebacks: true });
    if (detected.held.length === 0) return { incidents: detected.incidents, held: 0, completed };
    const events = detected.held.map((index) => (classified[index] as ClassifiedEvent).event);
    const first = events[0] as (typeof events)[number];
    const occurrenceKey = computeOccurrenceKey(delivery.logGroup, delivery.logStream, first.id);
    const outcome = fitsHeld(events)
      ? await io.store.hold({ streamKey, occurrenceKey, events, holderKey: deliveryKey, nowMs })
      : 'busy';
    if (outcome === 'busy') {
      // Another traceback of the stream waits, or this one is too large to hold: sent as it is.
      return { incidents: detectIncidents(classified, source, options).incidents, held: 0, completed };
    }
    // `done`: an earlier attempt of this delivery held it, and it has since been completed or sent.
    if (outcome !== 'done') {
      await schedule(
        {
          logGroup: delivery.logGroup,
          logStream: delivery.logStream,
          owner: delivery.owner,
          streamKey,
          occurrenceKey,
        },
        HOLD_SECONDS,
      );
    }
    return { incidents: detected.incidents, held: events.length, completed };
  }
}

/**
 * Whether a delivery is worth a log line at the default level: an incident was sent, suppressed or
 * seen again, events fell outside the metric window or were left unclassified past the
 * classification budget, or the delivery itself was a duplicate. A healthy delivery writes its
 * metrics and nothing else (its report is logged at DEBUG).
 */
export function isNotable(report: DeliveryReport): boolean {
  const { alerts, processed } = report;
  return (
    report.duplicate ||
    processed.stats.outOfWindow > 0 ||
    processed.stats.classificationSkipped > 0 ||
    alerts.sent.length + alerts.suppressed.length + alerts.duplicates.length > 0 ||
    report.muted.length > 0 ||
    report.held > 0 ||
    report.completed > 0
  );
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
    ...(report.muted.length > 0
      ? {
          muted: report.muted.map(({ incident, mute }) => ({
            fingerprint: incident.fingerprint,
            mute: mute.id,
          })),
        }
      : {}),
    duplicateDelivery: report.duplicate,
    tracebackEvents: { held: report.held, completed: report.completed },
    emfDocuments: report.emfDocuments,
  };
}
