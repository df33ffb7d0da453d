/**
 * A batch of CloudWatch Logs deliveries read from a Kinesis data stream (deploy parameter
 * `delivery=kinesis`): each record is one delivery, the same gzip'd JSON a direct subscription
 * carries, base64-encoded by Lambda in `kinesis.data`. One batch comes from one shard, in sequence
 * order, and may hold the deliveries of many log streams.
 *
 * - Alerts are decided per delivery, as on the direct path ({@link DeliveryProcessor}).
 * - Metrics are merged across the batch per (dimension set, minute) and written once: fewer,
 *   fuller EMF documents than one set per delivery, reading the same in CloudWatch.
 * - Failures are reported per record. For a stream, Lambda retries from the lowest reported
 *   sequence number onward, so the batch stops at its first failing record: the records before it
 *   are done (their metrics are written), the failing record and every one after it come again.
 *   Nothing is processed past a failure, so a retry meets no record this invocation counted; and a
 *   record redelivered anyway (the invocation timed out, or the producer wrote it twice) is a
 *   duplicate delivery, claimed once (`claimDelivery`): its alerts are not sent and its metrics not
 *   written again.
 * - A record that cannot be decoded can never succeed: it is logged once with its shard and
 *   sequence number (enough for `sagewatch replay --stream` to read it back while the stream keeps
 *   it), counted in `UndecodableRecords`, and skipped, so it never blocks its shard.
 *
 * @module
 */
import { type MetricBucket, mergeBuckets } from '../metrics/aggregate.ts';
import { boundLogName } from '../metrics/dimensions.ts';
import { DocumentProperties, type EmfOptions, toEmfDocuments } from '../metrics/emf.ts';
import type { LogsDelivery } from '../types.ts';
import { DecodeError, decodeLogsData } from './decode.ts';
import type { DeliveryOptions, DeliveryProcessor, DeliveryReport } from './delivery-processor.ts';

/** One record of a Lambda Kinesis event, as much of it as the processor reads. */
export interface KinesisRecord {
  eventSource?: string;
  /** `shardId-000000000000:49590338271490256608559692538361571095921575989136588898`. */
  eventID?: string;
  eventSourceARN?: string;
  kinesis: {
    data: string;
    sequenceNumber: string;
    partitionKey?: string;
    /** Epoch seconds (with a fraction). */
    approximateArrivalTimestamp?: number;
  };
}

/** The partial batch response Lambda understands for a stream: retry from the lowest sequence number. */
export interface KinesisBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** True when `event` is a Lambda Kinesis event (a batch from the delivery stream). */
export function isKinesisEvent(event: unknown): event is { Records: KinesisRecord[] } {
  const records = (event as { Records?: unknown } | null)?.Records;
  return (
    Array.isArray(records) &&
    records.length > 0 &&
    records.every((record) => {
      const { eventSource, kinesis } = (record ?? {}) as { eventSource?: unknown; kinesis?: unknown };
      const payload = kinesis as { data?: unknown; sequenceNumber?: unknown } | undefined;
      return (
        eventSource === 'aws:kinesis' &&
        typeof payload?.data === 'string' &&
        typeof payload.sequenceNumber === 'string'
      );
    })
  );
}

/** The shard a record was read from: the part of its `eventID` before the colon. */
export function shardOf(record: KinesisRecord): string | undefined {
  const id = record.eventID;
  if (id === undefined) return undefined;
  const colon = id.indexOf(':');
  return colon > 0 ? id.slice(0, colon) : undefined;
}

/** Where the batch reports what it did; Powertools' Logger fits. */
export interface BatchLog {
  warn: (message: string, attributes: Record<string, unknown>) => void;
  error: (message: string, attributes: Record<string, unknown>) => void;
}

/** What a batch needs: the per-delivery pipeline and where the merged EMF documents go. */
export interface KinesisBatchDeps {
  processDelivery: DeliveryProcessor;
  /** CloudWatch namespace of the merged documents. */
  namespace: string;
  /** Values that repeat written once with their counts (default true; lib/metrics/emf.ts). */
  valueCounts?: boolean;
  writeEmf: (document: string) => void;
  log: BatchLog;
  now?: () => number;
  /** Called after each delivery processed (the handler logs notable ones). */
  onReport?: (report: DeliveryReport, delivery: LogsDelivery) => void;
  /** Per-delivery options passed through to the pipeline (besides the metrics collector). */
  deliveryOptions?: Omit<DeliveryOptions, 'collectMetrics'>;
}

/** What one batch did. */
export interface KinesisBatchOutcome {
  response: KinesisBatchResponse;
  /** The reports of the deliveries processed, in record order. */
  reports: DeliveryReport[];
  /** Records skipped because they can never be decoded. */
  undecodable: number;
  /** CONTROL_MESSAGE records (CloudWatch Logs checks the destination with one). */
  controlMessages: number;
  /** Records not processed: the failing one and those after it, retried by Lambda. */
  retried: number;
  emfDocuments: number;
}

/**
 * Collects the buckets of a batch's deliveries and writes them as merged EMF documents. A batch of
 * one log stream's deliveries keeps the `LogStream` property of the direct path's documents.
 */
export class MetricBatch {
  readonly #buckets: MetricBucket[] = [];
  readonly #streams = new Set<string>();

  add(buckets: readonly MetricBucket[], delivery: Pick<LogsDelivery, 'logStream'>): void {
    for (const bucket of buckets) this.#buckets.push(bucket);
    this.#streams.add(delivery.logStream);
  }

  /** The merged documents (JSON strings), oldest minute first. */
  documents(namespace: string, options: EmfOptions = {}): string[] {
    if (this.#buckets.length === 0) return [];
    const [only] = this.#streams;
    return toEmfDocuments(
      namespace,
      mergeBuckets(this.#buckets),
      this.#streams.size === 1 && only !== undefined
        ? { [DocumentProperties.logStream]: boundLogName(only) }
        : {},
      options,
    );
  }
}

/**
 * Processes a batch in record order, stopping at the first record whose processing fails (see the
 * module's notes), then writes the merged metrics of every delivery processed.
 */
export async function processKinesisBatch(
  records: readonly KinesisRecord[],
  deps: KinesisBatchDeps,
): Promise<KinesisBatchOutcome> {
  const now = deps.now ?? Date.now;
  const batch = new MetricBatch();
  const collectMetrics = (buckets: MetricBucket[], delivery: LogsDelivery) => batch.add(buckets, delivery);
  const outcome: KinesisBatchOutcome = {
    response: { batchItemFailures: [] },
    reports: [],
    undecodable: 0,
    controlMessages: 0,
    retried: 0,
    emfDocuments: 0,
  };
  for (let index = 0; index < records.length; index++) {
    const record = records[index] as KinesisRecord;
    const where = { shardId: shardOf(record), sequenceNumber: record.kinesis.sequenceNumber };
    let delivery: LogsDelivery;
    try {
      delivery = decodeLogsData(record.kinesis.data);
    } catch (error) {
      // Deterministic: a retry would fail the same way and hold the shard for nothing. The payload
      // itself is never logged (it may hold secrets); where it is, and the failed step, are.
      const step = error instanceof DecodeError ? error.step : 'unknown';
      deps.log.error('undecodable record skipped', { ...where, step, reason: (error as Error).message });
      outcome.undecodable++;
      continue;
    }
    if (delivery.messageType === 'CONTROL_MESSAGE') {
      outcome.controlMessages++;
      continue;
    }
    // Once the invocation's classification budget is spent, the rest of the batch is retried by a
    // fresh invocation rather than counted unclassified; the first delivery always runs, so a batch
    // makes progress even when one delivery alone outlasts the budget.
    const budget = deps.deliveryOptions?.budget;
    if (budget !== undefined && outcome.reports.length > 0 && budget.now() >= budget.deadlineMs) {
      deps.log.warn('classification budget spent; retried from here', where);
      outcome.response.batchItemFailures.push({ itemIdentifier: record.kinesis.sequenceNumber });
      outcome.retried = records.length - index;
      break;
    }
    try {
      const report = await deps.processDelivery(delivery, now(), { ...deps.deliveryOptions, collectMetrics });
      outcome.reports.push(report);
      deps.onReport?.(report, delivery);
    } catch (error) {
      deps.log.error('record failed; retried from here', {
        ...where,
        logGroup: delivery.logGroup,
        logStream: delivery.logStream,
        error: error instanceof Error ? error.message : String(error),
      });
      outcome.response.batchItemFailures.push({ itemIdentifier: record.kinesis.sequenceNumber });
      outcome.retried = records.length - index;
      break;
    }
  }
  const documents = batch.documents(deps.namespace, { valueCounts: deps.valueCounts ?? true });
  for (const document of documents) deps.writeEmf(document);
  outcome.emfDocuments = documents.length;
  return outcome;
}
