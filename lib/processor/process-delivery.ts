import type { ClassificationContext } from '../classify/index.ts';
import { parseLogSource } from '../log-source.ts';
import { MetricAggregator, MetricNames, toMinute } from '../metrics/aggregate.ts';
import { boundLogName, DIMENSION_NAMES, type MetricsDetail, planDimensions } from '../metrics/dimensions.ts';
import { isInMetricWindow } from '../metrics/emf.ts';
import { createLogKeyedRecord } from '../text/log-keyed-record.ts';
import type {
  Category,
  Classification,
  ClassifiedEvent,
  LogEvent,
  LogSource,
  LogsDelivery,
} from '../types.ts';
import { BudgetWatch, type ClassificationBudget } from './classification-budget.ts';

/** Counts for one delivery, for the run's structured log line and the demo's summary. */
export interface DeliveryStats {
  events: number;
  bytes: number;
  errors: number;
  warnings: number;
  /** Events stamped outside CloudWatch's metric window (−14 d / +2 h): classified, never emitted. */
  outOfWindow: number;
  /** Events counted but not classified: the delivery's classification budget was spent. */
  classificationSkipped: number;
  errorsByCategory: Partial<Record<Category, number>>;
  /** Status code → requests (a record without a prototype: the codes are read from log lines). */
  httpStatus: Record<string, number>;
  /** Training metrics: name → how many values, and the last one (names from log lines, no prototype). */
  trainingMetrics: Record<string, { count: number; last: number }>;
}

/** The result of classifying and aggregating one delivery. */
export interface ProcessedDelivery {
  source: LogSource;
  classified: ClassifiedEvent[];
  metrics: MetricAggregator;
  stats: DeliveryStats;
}

/** What {@link processDelivery} needs from its caller. */
export interface ProcessOptions {
  /** The delivery's source, when the caller has parsed it already; parsed here otherwise. */
  source?: LogSource;
  /** The classifier, given each event's message and the delivery's source as its context. */
  classify: (message: string, context?: ClassificationContext) => Classification;
  detail: MetricsDetail;
  /** The time of processing (ms since the epoch), which decides the metric window. */
  nowMs: number;
  /** How long classification may take (./classification-budget.ts); absent: no limit (the CLI, tests). */
  budget?: ClassificationBudget;
}

/** What an event that was not classified counts as: seen, neither error nor warning. */
const UNCLASSIFIED: Classification = Object.freeze({ severity: 'info', category: 'none' });

/**
 * Parses the delivery's source, classifies each event with that source as its context (resource
 * type, container, channel) and aggregates the derived metrics per
 * (dimension set, minute of the event). One bad event never loses the batch: the classifier never
 * throws, and events outside the metric window are counted, not emitted. Past the budget, if one is
 * given, the remaining events are counted (`LogEvents`, `LogBytes`, `ClassificationSkipped`) but not
 * classified.
 */
export function processDelivery(delivery: LogsDelivery, options: ProcessOptions): ProcessedDelivery {
  const source =
    options.source ?? parseLogSource(boundLogName(delivery.logGroup), boundLogName(delivery.logStream));
  const metrics = new MetricAggregator(planDimensions(source, options.detail), DIMENSION_NAMES);
  const stats: DeliveryStats = {
    events: 0,
    bytes: 0,
    errors: 0,
    warnings: 0,
    outOfWindow: 0,
    classificationSkipped: 0,
    errorsByCategory: {},
    httpStatus: createLogKeyedRecord(),
    trainingMetrics: createLogKeyedRecord(),
  };
  const classified: ClassifiedEvent[] = new Array(delivery.logEvents.length);
  const watch = new BudgetWatch(options.budget);
  for (let i = 0; i < delivery.logEvents.length; i++) {
    const event = delivery.logEvents[i] as LogEvent;
    const allowed = watch.allows(event.message.length);
    const classification = allowed ? options.classify(event.message, source) : UNCLASSIFIED;
    classified[i] = { event, classification };
    const bytes = Buffer.byteLength(event.message);
    if (!allowed) {
      stats.classificationSkipped++;
      if (isInMetricWindow(toMinute(event.timestamp), options.nowMs))
        metrics.addResourceCount(MetricNames.classificationSkipped, event.timestamp, 1);
    }
    stats.events++;
    stats.bytes += bytes;
    if (classification.severity === 'error') {
      stats.errors++;
      stats.errorsByCategory[classification.category] =
        (stats.errorsByCategory[classification.category] ?? 0) + 1;
    } else if (classification.severity === 'warning') {
      stats.warnings++;
    }
    if (classification.http) {
      const status = String(classification.http.status);
      stats.httpStatus[status] = (stats.httpStatus[status] ?? 0) + 1;
    }
    if (classification.metrics) {
      for (const name in classification.metrics) {
        const value = classification.metrics[name] as number;
        const seen = stats.trainingMetrics[name];
        if (seen) {
          seen.count++;
          seen.last = value;
        } else {
          stats.trainingMetrics[name] = { count: 1, last: value };
        }
      }
    }
    if (isInMetricWindow(toMinute(event.timestamp), options.nowMs))
      metrics.addEvent(event.timestamp, bytes, classification);
    else stats.outOfWindow++;
  }
  return { source, classified, metrics, stats };
}
