/**
 * Turns log events from any source (FilterLogEvents pages, files) into the deliveries a CloudWatch
 * Logs subscription would have made of them: one log group and one log stream each, in time order,
 * at most {@link MAX_EVENTS_PER_DELIVERY} events. The replay then runs each through the same
 * pipeline as the processor, so its metrics and incidents are the processor's.
 */
import { UNKNOWN_OWNER } from '../lib/processor/incident-options.ts';
import type { LogEvent, LogsDelivery } from '../lib/types.ts';

/** CloudWatch Logs puts at most 10,000 events in one batch (PutLogEvents, subscription deliveries). */
export const MAX_EVENTS_PER_DELIVERY = 10_000;

/** A log event with its group and stream, as a replay reads it. */
export interface ReplayEvent {
  logGroup: string;
  logStream: string;
  timestamp: number;
  message: string;
  /** CloudWatch's event id; made up from the position when the source has none. */
  id?: string;
}

/** Options of {@link toDeliveries}. */
export interface ToDeliveriesOptions {
  /** The account that owns the log groups (the delivery's `owner`). */
  owner?: string;
  /** Default {@link MAX_EVENTS_PER_DELIVERY}. */
  maxEvents?: number;
  /** The subscription filter name the deliveries carry. */
  filterName?: string;
}

interface Stream {
  logGroup: string;
  logStream: string;
  events: LogEvent[];
  ids: Set<string>;
}

/**
 * Groups events by (log group, log stream), orders each stream by time (stable: events of the same
 * millisecond keep their order), drops repeated event ids (overlapping pages or files), and cuts
 * each stream into deliveries. Deliveries come out ordered by their first event, as a live
 * subscription would have delivered them.
 */
export function toDeliveries(
  events: Iterable<ReplayEvent>,
  options: ToDeliveriesOptions = {},
): LogsDelivery[] {
  const maxEvents = options.maxEvents ?? MAX_EVENTS_PER_DELIVERY;
  const streams = new Map<string, Stream>();
  for (const event of events) {
    const key = `${event.logGroup}\n${event.logStream}`;
    let stream = streams.get(key);
    if (!stream) {
      stream = { logGroup: event.logGroup, logStream: event.logStream, events: [], ids: new Set() };
      streams.set(key, stream);
    }
    if (event.id !== undefined) {
      if (stream.ids.has(event.id)) continue;
      stream.ids.add(event.id);
    }
    // Ids are made up after sorting; the position in the source breaks timestamp ties meanwhile.
    stream.events.push({ id: event.id ?? '', timestamp: event.timestamp, message: event.message });
  }

  const deliveries: LogsDelivery[] = [];
  for (const stream of streams.values()) {
    stream.events.sort((a, b) => a.timestamp - b.timestamp);
    stream.events.forEach((event, index) => {
      // Made-up ids are stable across runs of the same input, and unique within the stream.
      if (event.id === '') event.id = `replay-${event.timestamp}-${index}`;
    });
    for (let start = 0; start < stream.events.length; start += maxEvents) {
      deliveries.push({
        messageType: 'DATA_MESSAGE',
        owner: options.owner ?? UNKNOWN_OWNER,
        logGroup: stream.logGroup,
        logStream: stream.logStream,
        subscriptionFilters: [options.filterName ?? 'sagewatch'],
        logEvents: stream.events.slice(start, start + maxEvents),
      });
    }
  }
  return deliveries.sort(
    (a, b) =>
      (a.logEvents[0] as LogEvent).timestamp - (b.logEvents[0] as LogEvent).timestamp ||
      compare(a.logGroup, b.logGroup) ||
      compare(a.logStream, b.logStream),
  );
}

/** Code-point order, stable whatever the locale. */
function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** How many events lacked a group or a stream after the defaults were applied. */
export interface MissingPlaces {
  logGroup: number;
  logStream: number;
}

/**
 * Fills in the log group and stream of file events that carry none (`--log-group`,
 * `--log-stream`), and counts those still without one.
 */
export function withPlaces(
  events: readonly {
    timestamp: number;
    message: string;
    logGroup?: string;
    logStream?: string;
    id?: string;
  }[],
  defaults: { logGroup?: string; logStream?: string },
): { events: ReplayEvent[]; missing: MissingPlaces } {
  const missing: MissingPlaces = { logGroup: 0, logStream: 0 };
  const out: ReplayEvent[] = [];
  for (const event of events) {
    const logGroup = event.logGroup ?? defaults.logGroup;
    const logStream = event.logStream ?? defaults.logStream;
    if (logGroup === undefined) missing.logGroup++;
    if (logStream === undefined) missing.logStream++;
    if (logGroup === undefined || logStream === undefined) continue;
    out.push({
      logGroup,
      logStream,
      timestamp: event.timestamp,
      message: event.message,
      ...(event.id === undefined ? {} : { id: event.id }),
    });
  }
  return { events: out, missing };
}
