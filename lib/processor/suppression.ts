import type { LogEvent } from '../types.ts';

/**
 * Alert suppression and delivery idempotency. The decision rules live here; the state lives in a
 * {@link SuppressionStore}: DynamoDB in production (lib/aws/suppression-table.ts), or the warm
 * container's memory when no table is configured ({@link createMemorySuppressionStore}).
 */

import { MAX_TRACKED_HOSTS } from '../incidents/alert-context.ts';

/** One incident occurrence to decide on. */
export interface SuppressionRequest {
  fingerprint: string;
  /**
   * Identifies this occurrence across retries of the same delivery (log stream + first event id),
   * so processing a delivery twice neither sends nor counts anything twice.
   */
  occurrenceKey: string;
  /** How many times the failure occurred in this occurrence. */
  count: number;
  /**
   * SageMaker's `Host` of the occurrence, when it has one: the window remembers up to
   * {@link MAX_TRACKED_HOSTS} distinct hosts, so an alert can say how many saw the same failure.
   */
  host?: string;
  nowMs: number;
  windowMs: number;
}

/** What to do with one occurrence. */
export interface SuppressionDecision {
  /** `send`: first in its window; `suppress`: counted, not sent; `duplicate`: seen before, ignored. */
  action: 'send' | 'suppress' | 'duplicate';
  /** For `send`: how many occurrences were suppressed in the window before this alert. */
  suppressedBefore: number;
  /**
   * For `duplicate`: what was decided the first time. A delivery retried after a failed attempt
   * still counts, once, the alert that attempt already sent.
   */
  original?: 'send' | 'suppress';
}

/** A traceback a delivery ended in the middle of, to be completed by the stream's next delivery. */
export interface HoldRequest {
  /** The stream ({@link toStreamKey} in held-tails.ts): one held traceback per stream at a time. */
  streamKey: string;
  /** The traceback's occurrence key (its first event): the same on every retry of the delivery. */
  occurrenceKey: string;
  /** Its log events, as delivered. */
  events: LogEvent[];
  /**
   * The delivery holding it. A delivery that took the stream's held traceback and still ends in
   * it (the burst goes on) holds it again, longer.
   */
  holderKey: string;
  nowMs: number;
}

/**
 * What {@link SuppressionStore.hold} did: `held` (newly), `already-held` (by an earlier attempt of
 * the same delivery, still waiting), `done` (by an earlier attempt, and since completed or sent),
 * `busy` (another traceback of the stream waits: send this one as it is).
 */
export type HoldOutcome = 'held' | 'already-held' | 'done' | 'busy';

/** Where suppression windows and processed deliveries are remembered. */
export interface SuppressionStore {
  /** Decides with one conditional write (two when the window is open). */
  decide(request: SuppressionRequest): Promise<SuppressionDecision>;
  /** Undoes a `send` whose publishing failed, so that a retry of the delivery sends it. */
  release(request: SuppressionRequest, decision: SuppressionDecision): Promise<void>;
  /** Marks a delivery processed; `false` when it already was (a duplicate delivery). */
  claimDelivery(deliveryKey: string, nowMs: number): Promise<boolean>;
  /** The distinct hosts recorded in the open window of `fingerprint` (empty when none is open). */
  readHosts?(fingerprint: string, nowMs: number): Promise<string[]>;
  /** Holds the open traceback of a delivery's end, once per occurrence (retries change nothing). */
  hold(request: HoldRequest): Promise<HoldOutcome>;
  /**
   * The stream's held traceback, for the delivery `takerKey` to complete: taken with one
   * conditional write, so completion and flush never both get it; the same taker (a retry) gets
   * it again. `undefined` when nothing waits.
   */
  take(streamKey: string, takerKey: string, nowMs: number): Promise<LogEvent[] | undefined>;
  /**
   * The held traceback `occurrenceKey`, to be sent as it is because no delivery completed it:
   * `undefined` when a delivery took it first. A repeated flush gets it again (its alert is then
   * a duplicate for suppression, never sent twice).
   */
  flush(streamKey: string, occurrenceKey: string, nowMs: number): Promise<LogEvent[] | undefined>;
}

/** How long a processed delivery is remembered: past the async retry horizon (6 h) of Lambda. */
export const DELIVERY_MEMORY_MS = 24 * 60 * 60 * 1000;

/** At most this many occurrence keys are remembered per window, bounding the item size. */
export const MAX_TRACKED_OCCURRENCES = 1000;

/** At most this many distinct hosts are remembered per window (a count past it reads "100+"). */
export { MAX_TRACKED_HOSTS } from '../incidents/alert-context.ts';

interface HeldState {
  occurrenceKey: string;
  events: LogEvent[];
  state: 'held' | 'taken' | 'flushed';
  takenBy?: string;
}

interface WindowState {
  windowEndsAt: number;
  suppressed: number;
  occurrences: Set<string>;
  sentOccurrence: string;
  hosts: Set<string>;
}

/**
 * A store in the warm container's memory. It forgets everything when Lambda recycles the
 * container, and each concurrent container has its own: use it only without a table.
 *
 * @param maxEntries bound on remembered fingerprints and deliveries (oldest dropped first).
 */
export function createMemorySuppressionStore(maxEntries = 10_000): SuppressionStore {
  const windows = new Map<string, WindowState>();
  const deliveries = new Map<string, number>();
  const held = new Map<string, HeldState>();

  function remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > maxEntries) map.delete(map.keys().next().value as string);
  }

  return {
    async decide({ fingerprint, occurrenceKey, count, host, nowMs, windowMs }) {
      const state = windows.get(fingerprint);
      if (state?.occurrences.has(occurrenceKey)) {
        const original = state.sentOccurrence === occurrenceKey ? 'send' : 'suppress';
        return { action: 'duplicate', suppressedBefore: 0, original };
      }
      if (!state || state.windowEndsAt < nowMs) {
        remember(windows, fingerprint, {
          windowEndsAt: nowMs + windowMs,
          suppressed: 0,
          occurrences: new Set([occurrenceKey]),
          sentOccurrence: occurrenceKey,
          hosts: new Set(host === undefined ? [] : [host]),
        });
        return { action: 'send', suppressedBefore: state?.suppressed ?? 0 };
      }
      state.suppressed += count;
      if (state.occurrences.size < MAX_TRACKED_OCCURRENCES) state.occurrences.add(occurrenceKey);
      if (host !== undefined && state.hosts.size < MAX_TRACKED_HOSTS) state.hosts.add(host);
      return { action: 'suppress', suppressedBefore: 0 };
    },
    async release({ fingerprint, occurrenceKey }, decision) {
      const state = windows.get(fingerprint);
      if (!state || state.sentOccurrence !== occurrenceKey) return;
      state.windowEndsAt = 0;
      state.suppressed += decision.suppressedBefore;
      state.occurrences.delete(occurrenceKey);
    },
    async claimDelivery(deliveryKey, nowMs) {
      const seenAt = deliveries.get(deliveryKey);
      if (seenAt !== undefined && nowMs - seenAt < DELIVERY_MEMORY_MS) return false;
      remember(deliveries, deliveryKey, nowMs);
      return true;
    },
    async readHosts(fingerprint, nowMs) {
      const state = windows.get(fingerprint);
      return state && state.windowEndsAt >= nowMs ? [...state.hosts] : [];
    },
    async hold({ streamKey, occurrenceKey, events, holderKey }) {
      const current = held.get(streamKey);
      const mine = current?.state === 'taken' && current.takenBy === holderKey;
      if (current?.occurrenceKey === occurrenceKey && !mine)
        return current.state === 'held' ? 'already-held' : 'done';
      if (current?.state === 'held') return 'busy';
      remember(held, streamKey, { occurrenceKey, events: [...events], state: 'held' });
      return 'held';
    },
    async take(streamKey, takerKey) {
      const current = held.get(streamKey);
      if (current === undefined) return undefined;
      if (current.state === 'held' || (current.state === 'taken' && current.takenBy === takerKey)) {
        current.state = 'taken';
        current.takenBy = takerKey;
        return [...current.events];
      }
      return undefined;
    },
    async flush(streamKey, occurrenceKey) {
      const current = held.get(streamKey);
      if (current?.occurrenceKey !== occurrenceKey || current.state === 'taken') return undefined;
      current.state = 'flushed';
      return [...current.events];
    },
  };
}
