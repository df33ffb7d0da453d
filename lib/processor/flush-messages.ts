import type { HeldFlusher } from './held-tails.ts';
import { parseFlushRequest } from './held-tails.ts';

/** One SQS record of the flush queue, as much of it as a flush reads. */
export interface FlushRecord {
  messageId: string;
  body: string;
}

/** The partial batch response SQS understands: the messages to retry (then dead-letter). */
export interface FlushBatchResult {
  batchItemFailures: { itemIdentifier: string }[];
}

/** Where a flush reports what it did; Powertools' Logger fits. */
export interface FlushLog {
  info: (message: string, attributes: Record<string, unknown>) => void;
  error: (message: string, attributes: Record<string, unknown>) => void;
}

/** True when `event` is an SQS batch (the flush queue), not a CloudWatch Logs delivery. */
export function isFlushEvent(event: unknown): event is { Records: FlushRecord[] } {
  const records = (event as { Records?: unknown } | null)?.Records;
  return (
    Array.isArray(records) &&
    records.every((record) => (record as { eventSource?: unknown } | null)?.eventSource === 'aws:sqs')
  );
}

/**
 * Flushes each message on its own: one that is not a flush request, or whose flush fails, is
 * reported in `batchItemFailures`, so SQS retries only it, then dead-letters it.
 */
export async function handleFlushMessages(
  records: readonly FlushRecord[],
  flushHeld: HeldFlusher,
  log: FlushLog,
  now: () => number = Date.now,
): Promise<FlushBatchResult> {
  const batchItemFailures: FlushBatchResult['batchItemFailures'] = [];
  for (const record of records) {
    const request = parseFlushRequest(record.body);
    if (request === undefined) {
      log.error('not a flush request', { messageId: record.messageId });
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      const outcome = await flushHeld(request, now());
      log.info('held traceback flushed', {
        logGroup: request.logGroup,
        logStream: request.logStream,
        completedBefore: outcome === undefined,
        sent: outcome?.sent.length ?? 0,
      });
    } catch (error) {
      log.error('flush failed', { messageId: record.messageId, error: (error as Error).message });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
