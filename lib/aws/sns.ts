import {
  type MessageAttributeValue,
  PublishBatchCommand,
  type PublishBatchRequestEntry,
  type SNSClient,
} from '@aws-sdk/client-sns';

/** SNS PublishBatch: at most 10 entries per request. */
export const MAX_BATCH_ENTRIES = 10;
/** SNS: a request (all entries, messages and attributes together) is at most 256 KiB. */
export const MAX_BATCH_BYTES = 256 * 1024;

/** One message to publish. */
export interface OutboundMessage {
  /** Unique within one call; reported back for failures. */
  id: string;
  message: string;
  /** Email subject: under 100 characters, no line breaks. */
  subject?: string;
  /** String message attributes (for subscription filter policies). */
  attributes?: Record<string, string>;
}

/** Why SNS did not accept an entry. */
export interface FailedMessage {
  id: string;
  code: string;
  reason: string;
  /** Whether SNS says the failure was the sender's (a retry will not help). */
  senderFault: boolean;
}

function entryBytes(entry: OutboundMessage): number {
  let bytes = Buffer.byteLength(entry.message) + Buffer.byteLength(entry.subject ?? '');
  for (const [name, value] of Object.entries(entry.attributes ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value) + 'String'.length;
  }
  return bytes;
}

/** Splits messages into PublishBatch requests within the entry-count and size limits. */
export function toBatches<M extends OutboundMessage>(messages: readonly M[]): M[][] {
  const batches: M[][] = [];
  let current: M[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = entryBytes(message);
    if (current.length === MAX_BATCH_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function toEntry(message: OutboundMessage): PublishBatchRequestEntry {
  const entry: PublishBatchRequestEntry = { Id: message.id, Message: message.message };
  if (message.subject) entry.Subject = message.subject;
  if (message.attributes) {
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(message.attributes)) {
      attributes[name] = { DataType: 'String', StringValue: value };
    }
    entry.MessageAttributes = attributes;
  }
  return entry;
}

/** A message SNS refused (the same object the caller gave), and why. */
export interface RefusedMessage<M extends OutboundMessage> {
  message: M;
  failure: FailedMessage;
}

/**
 * Publishes messages with PublishBatch, in as many requests as the limits need, and returns the
 * messages SNS refused. Throttling and transient errors of whole requests are retried by the SDK
 * client (configure its `maxAttempts`); a request that still fails rejects.
 */
export async function publishMessages<M extends OutboundMessage>(
  client: SNSClient,
  topicArn: string,
  messages: readonly M[],
): Promise<RefusedMessage<M>[]> {
  const refused: RefusedMessage<M>[] = [];
  for (const batch of toBatches(messages)) {
    const response = await client.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: batch.map(toEntry) }),
    );
    // Entry ids are unique within the request, the one place they mean anything.
    const byId = new Map(batch.map((message) => [message.id, message]));
    for (const failure of response.Failed ?? []) {
      const message = byId.get(failure.Id ?? '');
      // SNS names only ids it was sent; anything else is not a result this code can trust.
      if (message === undefined)
        throw new Error(`PublishBatch reported a failure for unknown entry '${failure.Id}'`);
      refused.push({
        message,
        failure: {
          id: message.id,
          code: failure.Code ?? 'Unknown',
          reason: failure.Message ?? '',
          senderFault: failure.SenderFault ?? false,
        },
      });
    }
  }
  return refused;
}
