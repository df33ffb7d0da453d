import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DELIVERY_MEMORY_MS,
  type HoldOutcome,
  MAX_TRACKED_HOSTS,
  MAX_TRACKED_OCCURRENCES,
  type SuppressionDecision,
  type SuppressionRequest,
  type SuppressionStore,
} from '../processor/suppression.ts';
import type { LogEvent } from '../types.ts';

/**
 * The suppression table: partition key `pk` (S), TTL attribute `expiresAt` (epoch seconds).
 * - `fp#<fingerprint>`: the open window of one failure (`windowEndsAt`, `suppressed`,
 *   `occurrences` (SS), `sentOccurrence`, `hosts` (SS, at most {@link MAX_TRACKED_HOSTS})).
 * - `delivery#<key>`: a processed delivery, remembered for a day.
 * - `held#<stream key>`: the traceback a delivery of that stream ended in the middle of
 *   (`occurrenceKey`, `events` as JSON, `heldState` held | taken | flushed, `takenBy`), kept a day
 *   after it was held so that retries of either delivery or of the flush change nothing.
 */
export const KEY_ATTRIBUTE = 'pk';

/** Attempts when a window closes between the two writes of one decision. */
const MAX_DECIDE_ATTEMPTS = 3;

const n = (value: number): AttributeValue => ({ N: String(value) });
const s = (value: string): AttributeValue => ({ S: value });
const ttlSeconds = (ms: number): AttributeValue => n(Math.ceil(ms / 1000));

function numberOf(item: Record<string, AttributeValue> | undefined, name: string): number {
  const raw = item?.[name]?.N;
  return raw === undefined ? 0 : Number(raw);
}

/** A {@link SuppressionStore} on a DynamoDB table (on-demand, TTL on `expiresAt`). */
export function createTableSuppressionStore(client: DynamoDBClient, tableName: string): SuppressionStore {
  async function trySend(
    request: SuppressionRequest,
  ): Promise<SuppressionDecision | Record<string, AttributeValue>> {
    const { fingerprint, occurrenceKey, host, nowMs, windowMs } = request;
    try {
      const { Attributes } = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { [KEY_ATTRIBUTE]: s(`fp#${fingerprint}`) },
          // A new window starts with this occurrence's host only (an SS cannot be empty).
          UpdateExpression:
            'SET windowEndsAt = :end, suppressed = :zero, occurrences = :occ, sentOccurrence = :key, sentAt = :now, expiresAt = :ttl' +
            (host === undefined ? ' REMOVE hosts' : ', hosts = :hosts'),
          ConditionExpression: 'attribute_not_exists(pk) OR windowEndsAt < :now',
          ExpressionAttributeValues: {
            ':end': n(nowMs + windowMs),
            ':zero': n(0),
            ':occ': { SS: [occurrenceKey] },
            ':key': s(occurrenceKey),
            ':now': n(nowMs),
            // Kept a day past the window, so the next alert can say how many were suppressed.
            ':ttl': ttlSeconds(nowMs + windowMs + DELIVERY_MEMORY_MS),
            ...(host === undefined ? {} : { ':hosts': { SS: [host] } }),
          },
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { action: 'send', suppressedBefore: numberOf(Attributes, 'suppressed') };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return error.Item ?? {};
      throw error;
    }
  }

  async function trySuppress(
    request: SuppressionRequest,
    track: boolean,
    trackHost: boolean,
  ): Promise<boolean> {
    const { fingerprint, occurrenceKey, count, host, nowMs, windowMs } = request;
    const addHost = trackHost && host !== undefined;
    const adds = [
      'suppressed :count',
      ...(track ? ['occurrences :occ'] : []),
      ...(addHost ? ['hosts :hosts'] : []),
    ];
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { [KEY_ATTRIBUTE]: s(`fp#${fingerprint}`) },
          UpdateExpression: `ADD ${adds.join(', ')} SET expiresAt = :ttl`,
          ConditionExpression: 'windowEndsAt >= :now AND NOT contains(occurrences, :key)',
          ExpressionAttributeValues: {
            ':count': n(count),
            ...(track ? { ':occ': { SS: [occurrenceKey] } } : {}),
            ...(addHost ? { ':hosts': { SS: [host] } } : {}),
            ':key': s(occurrenceKey),
            ':now': n(nowMs),
            ':ttl': ttlSeconds(nowMs + windowMs + DELIVERY_MEMORY_MS),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The events of a held item the conditional update got, or `undefined` when the condition failed. */
  async function heldEvents(command: UpdateItemCommand): Promise<LogEvent[] | undefined> {
    try {
      const { Attributes } = await client.send(command);
      const events = Attributes?.events?.S;
      return events === undefined ? undefined : (JSON.parse(events) as LogEvent[]);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  return {
    async decide(request) {
      for (let attempt = 0; attempt < MAX_DECIDE_ATTEMPTS; attempt++) {
        const sent = await trySend(request);
        if ('action' in sent) return sent as SuppressionDecision;
        const item = sent as Record<string, AttributeValue>;
        if (item.occurrences?.SS?.includes(request.occurrenceKey)) {
          const original = item.sentOccurrence?.S === request.occurrenceKey ? 'send' : 'suppress';
          return { action: 'duplicate', suppressedBefore: 0, original };
        }
        const track = (item.occurrences?.SS?.length ?? 0) < MAX_TRACKED_OCCURRENCES;
        const trackHost = (item.hosts?.SS?.length ?? 0) < MAX_TRACKED_HOSTS;
        if (await trySuppress(request, track, trackHost)) return { action: 'suppress', suppressedBefore: 0 };
        // The window closed, or another container recorded this occurrence, between the writes.
      }
      // Still contended after the retries: suppressing is the safe side (never a duplicate alert).
      return { action: 'suppress', suppressedBefore: 0 };
    },

    async release(request, decision) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { [KEY_ATTRIBUTE]: s(`fp#${request.fingerprint}`) },
            UpdateExpression: 'SET windowEndsAt = :zero ADD suppressed :restored DELETE occurrences :occ',
            ConditionExpression: 'sentOccurrence = :key',
            ExpressionAttributeValues: {
              ':zero': n(0),
              ':restored': n(decision.suppressedBefore),
              ':occ': { SS: [request.occurrenceKey] },
              ':key': s(request.occurrenceKey),
            },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async readHosts(fingerprint, nowMs) {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { [KEY_ATTRIBUTE]: s(`fp#${fingerprint}`) },
          ProjectionExpression: 'windowEndsAt, hosts',
          ConsistentRead: true,
        }),
      );
      return numberOf(Item, 'windowEndsAt') >= nowMs ? [...(Item?.hosts?.SS ?? [])] : [];
    },

    async hold({ streamKey, occurrenceKey, events, holderKey, nowMs }): Promise<HoldOutcome> {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              [KEY_ATTRIBUTE]: s(`held#${streamKey}`),
              occurrenceKey: s(occurrenceKey),
              events: s(JSON.stringify(events)),
              heldState: s('held'),
              heldAt: n(nowMs),
              expiresAt: ttlSeconds(nowMs + DELIVERY_MEMORY_MS),
            },
            // A stream holds one traceback at a time; the same one is held once, unless the
            // delivery that took it still ends in it.
            ConditionExpression:
              'attribute_not_exists(pk) OR (heldState <> :held AND occurrenceKey <> :key) OR (heldState = :taken AND takenBy = :me)',
            ExpressionAttributeValues: {
              ':held': s('held'),
              ':taken': s('taken'),
              ':key': s(occurrenceKey),
              ':me': s(holderKey),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return 'held';
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const old = error.Item ?? {};
        if (old.occurrenceKey?.S === occurrenceKey)
          return old.heldState?.S === 'held' ? 'already-held' : 'done';
        return 'busy';
      }
    },

    async take(streamKey, takerKey) {
      return heldEvents(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { [KEY_ATTRIBUTE]: s(`held#${streamKey}`) },
          UpdateExpression: 'SET heldState = :taken, takenBy = :by',
          ConditionExpression: 'heldState = :held OR (heldState = :taken AND takenBy = :by)',
          ExpressionAttributeValues: { ':held': s('held'), ':taken': s('taken'), ':by': s(takerKey) },
          ReturnValues: 'ALL_NEW',
        }),
      );
    },

    async flush(streamKey, occurrenceKey) {
      return heldEvents(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { [KEY_ATTRIBUTE]: s(`held#${streamKey}`) },
          UpdateExpression: 'SET heldState = :flushed',
          ConditionExpression: 'occurrenceKey = :key AND (heldState = :held OR heldState = :flushed)',
          ExpressionAttributeValues: {
            ':held': s('held'),
            ':flushed': s('flushed'),
            ':key': s(occurrenceKey),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
    },

    async claimDelivery(deliveryKey, nowMs) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              [KEY_ATTRIBUTE]: s(`delivery#${deliveryKey}`),
              expiresAt: ttlSeconds(nowMs + DELIVERY_MEMORY_MS),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
