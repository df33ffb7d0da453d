/**
 * One traceback, one alert, across deliveries. CloudWatch Logs may split one burst of lines over
 * two deliveries of a stream; a traceback cut at the boundary (frames, no exception line yet) is
 * held in the suppression store, keyed by stream, instead of being alerted in two pieces:
 *
 * 1. the delivery that ends in it holds its events (`store.hold`, once per occurrence) and asks
 *    for a flush in {@link HOLD_SECONDS} (an SQS message with that delay, in the Lambda);
 * 2. the stream's next delivery takes them (`store.take`, a conditional write) and groups them in
 *    front of its own lines: the traceback is completed and alerted once;
 * 3. if no delivery took them, the flush sends them as they are (`store.flush`, conditional on
 *    the same state: completion and flush never both get them).
 *
 * A retry of either delivery or of the flush changes nothing: holding is keyed by the occurrence,
 * taking by the taker, and the alert's occurrence key (its first event) is the same on every path,
 * so suppression sees a retried alert as a duplicate.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { type DetectedIncident, toIncidents } from '../incidents/index.ts';
import { parseLogSource } from '../log-source.ts';
import { NO_OPERATOR_RULES, partitionMuted } from '../operator-rules/index.ts';
import type { LogEvent, LogsDelivery } from '../types.ts';
import { type AlertOutcome, deliverAlerts, type PublishAlerts } from './alerting.ts';
import { toIncidentOptions } from './incident-options.ts';
import { createStreamClassifiers, type StreamClassifierConfig } from './stream-classifier.ts';
import type { SuppressionStore } from './suppression.ts';

/**
 * How long a held traceback waits for the stream's next delivery before it is sent as it is.
 * CloudWatch Logs delivers a busy stream's events within seconds of each other, so the rest of a
 * traceback cut at a boundary is normally in the next delivery a few seconds later; a stream that
 * went quiet delays the alert by this much at most (plus the flush queue's own latency, ~1 s).
 */
export const HOLD_SECONDS = 20;

/** A cut traceback larger than this (as JSON) is sent as it is rather than held (item limit 400 KB). */
export const MAX_HELD_BYTES = 256 * 1024;

/** What the flush message carries: where the held traceback is, and which one it is. */
export interface FlushRequest {
  logGroup: string;
  logStream: string;
  /** The delivery's owner (account), for the incident. */
  owner: string;
  streamKey: string;
  occurrenceKey: string;
}

/** Asks for {@link FlushRequest} to be handled `delaySeconds` from now (SQS DelaySeconds). */
export type ScheduleFlush = (request: FlushRequest, delaySeconds: number) => Promise<void>;

/** The stream a traceback is held for: a hash of log group and log stream. */
export function toStreamKey(logGroup: string, logStream: string): string {
  return createHash('sha256').update(logGroup).update('\n').update(logStream).digest('hex').slice(0, 32);
}

/** Whether held events fit the store. */
export function fitsHeld(events: readonly LogEvent[]): boolean {
  let bytes = 2;
  for (const event of events) {
    bytes += Buffer.byteLength(event.message) + event.id.length + 64;
    if (bytes > MAX_HELD_BYTES) return false;
  }
  return true;
}

const FLUSH_KEYS = ['logGroup', 'logStream', 'owner', 'streamKey', 'occurrenceKey'] as const;

/** Reads a flush message's body; `undefined` when it is not one (never throws). */
export function parseFlushRequest(body: string): FlushRequest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const request: Partial<FlushRequest> = {};
  for (const key of FLUSH_KEYS) {
    const field = record[key];
    if (typeof field !== 'string' || field === '' || field.length > 1024) return undefined;
    request[key] = field;
  }
  return request as FlushRequest;
}

/** The settings and edges a flush needs (a subset of the delivery processor's). */
export interface HeldFlusherConfig extends StreamClassifierConfig {
  region: string;
  suppressionWindowMs: number;
}

/**
 * Sends a held traceback that no delivery completed, as it is (flagged `truncated`). Resolves to
 * the alert outcome, or `undefined` when a delivery had taken it first (nothing to do).
 */
export type HeldFlusher = (
  request: FlushRequest,
  nowMs: number,
) => Promise<AlertOutcome<DetectedIncident> | undefined>;

/** Builds the flush side of {@link HOLD_SECONDS}'s protocol. */
export function createHeldFlusher(
  config: HeldFlusherConfig,
  io: { store: SuppressionStore; publish: PublishAlerts<DetectedIncident> },
): HeldFlusher {
  // The lines are classified and muted as the delivery that held them would have done.
  const classifierFor = createStreamClassifiers(config);
  const mutes = (config.operatorRules ?? NO_OPERATOR_RULES).mutes;
  return async (request, nowMs) => {
    const events = await io.store.flush(request.streamKey, request.occurrenceKey, nowMs);
    if (events === undefined) return undefined;
    const delivery: LogsDelivery = {
      messageType: 'DATA_MESSAGE',
      owner: request.owner,
      logGroup: request.logGroup,
      logStream: request.logStream,
      subscriptionFilters: [],
      logEvents: events,
    };
    const source = parseLogSource(request.logGroup, request.logStream);
    const classify = classifierFor(source);
    const classified = events.map((event) => ({ event, classification: classify(event.message) }));
    const detected = toIncidents(classified, source, toIncidentOptions(delivery, config.region));
    const { alert: incidents } = partitionMuted(detected, mutes, nowMs);
    return deliverAlerts(incidents, {
      store: io.store,
      publish: io.publish,
      nowMs,
      windowMs: config.suppressionWindowMs,
    });
  };
}
