/**
 * What process-logs does with each shape of event it is invoked with, once its edges are wired
 * (functions/process-logs.ts only dispatches on the shape):
 * - a direct CloudWatch Logs subscription (`{ awslogs: { data } }`): one delivery;
 * - a Kinesis batch from the delivery stream (./kinesis-batch.ts): many deliveries, one merged set
 *   of EMF documents, failures reported per record;
 * - the flush queue (./flush-messages.ts) is handled by its own module.
 *
 * @module
 */
import type { LogsDelivery } from '../types.ts';
import { DecodeError, decodeSubscriptionPayload } from './decode.ts';
import {
  type DeliveryOptions,
  type DeliveryProcessor,
  type DeliveryReport,
  describeReport,
  isNotable,
} from './delivery-processor.ts';
import { type KinesisBatchResponse, type KinesisRecord, processKinesisBatch } from './kinesis-batch.ts';
import { toBatchCounts } from './processor-metrics.ts';

/** The processor's log; Powertools' Logger fits. */
export interface ProcessorLog {
  debug: (message: string, attributes: Record<string, unknown>) => void;
  info: (message: string, attributes: Record<string, unknown>) => void;
  warn: (message: string, attributes: Record<string, unknown>) => void;
  error: (message: string, attributes: Record<string, unknown>) => void;
  appendKeys: (keys: Record<string, string>) => void;
}

/** The edges an invocation uses, built once per container. */
export interface InvocationDeps {
  processDelivery: DeliveryProcessor;
  /** CloudWatch namespace of the derived metrics (a Kinesis batch writes its merged documents there). */
  namespace: string;
  /** Values that repeat written once with their counts in a batch's documents (default true). */
  valueCounts?: boolean;
  writeEmf: (document: string) => void;
  log: ProcessorLog;
  /** Adds one of the processor's own counts (Powertools' Metrics.addMetric, unit Count). */
  count: (name: string, value: number) => void;
  /** Writes the counts added since the last call, if any. */
  publishCounts: () => void;
  /** Failed route posts since the last reset (lib/processor/route-deliveries.ts). */
  routePosts: { reset: () => void; failures: () => number };
  now?: () => number;
}

/** Per-invocation options passed to each delivery's pipeline (e.g. a time budget). */
export type InvocationOptions = Omit<DeliveryOptions, 'collectMetrics'>;

/** The handlers of the two delivery shapes. */
export interface InvocationHandlers {
  /** A direct subscription's delivery. Rejects on an undecodable payload (retried, then dead-lettered). */
  direct: (event: unknown, options?: InvocationOptions) => Promise<undefined>;
  /** A batch of the delivery stream; resolves with the records Lambda must retry. */
  kinesis: (records: readonly KinesisRecord[], options?: InvocationOptions) => Promise<KinesisBatchResponse>;
}

export function createInvocationHandlers(deps: InvocationDeps): InvocationHandlers {
  const now = deps.now ?? Date.now;
  const { log } = deps;
  const publishCounts = (counts: Array<[string, number]>) => {
    // Powertools' logMetrics middleware would warn on every empty flush: flushed here, only when needed.
    for (const [name, value] of counts) deps.count(name, value);
    deps.publishCounts();
  };
  // Quiet by default: the report line only when something is notable, or at DEBUG.
  const logReport = (report: DeliveryReport, where: Record<string, string> = {}) => {
    const skipped = report.processed.stats.classificationSkipped;
    if (skipped > 0)
      log.warn('classification budget spent: events counted, not classified', { ...where, skipped });
    log[isNotable(report) ? 'info' : 'debug']('delivery processed', { ...where, ...describeReport(report) });
  };

  return {
    async direct(event, options = {}) {
      let delivery: LogsDelivery;
      try {
        delivery = decodeSubscriptionPayload(event);
      } catch (error) {
        // Rejecting keeps the payload: Lambda retries it, then parks it intact in the dead-letter
        // queue. The payload itself is never logged (it may hold secrets); the failed step is.
        if (error instanceof DecodeError)
          log.error('undecodable delivery', { step: error.step, reason: error.message });
        throw error;
      }
      log.appendKeys({ logGroup: delivery.logGroup, logStream: delivery.logStream });
      if (delivery.messageType === 'CONTROL_MESSAGE') {
        log.debug('control message acknowledged', {});
        return undefined;
      }
      deps.routePosts.reset();
      const report = await deps.processDelivery(delivery, now(), options);
      publishCounts(
        toBatchCounts({ reports: [report], routeFailures: deps.routePosts.failures(), undecodable: 0 }),
      );
      logReport(report);
      return undefined;
    },

    async kinesis(records, options = {}) {
      deps.routePosts.reset();
      const outcome = await processKinesisBatch(records, {
        processDelivery: deps.processDelivery,
        namespace: deps.namespace,
        valueCounts: deps.valueCounts ?? true,
        writeEmf: deps.writeEmf,
        log,
        now,
        deliveryOptions: options,
        // Many streams in one batch: each report line names its own (no keys appended).
        onReport: (report, delivery) =>
          logReport(report, { logGroup: delivery.logGroup, logStream: delivery.logStream }),
      });
      publishCounts(
        toBatchCounts({
          reports: outcome.reports,
          routeFailures: deps.routePosts.failures(),
          undecodable: outcome.undecodable,
        }),
      );
      log.debug('batch processed', {
        records: records.length,
        deliveries: outcome.reports.length,
        undecodable: outcome.undecodable,
        controlMessages: outcome.controlMessages,
        retried: outcome.retried,
        emfDocuments: outcome.emfDocuments,
      });
      return outcome.response;
    },
  };
}
