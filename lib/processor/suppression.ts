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
}

/** How long a processed delivery is remembered: past the async retry horizon (6 h) of Lambda. */
export const DELIVERY_MEMORY_MS = 24 * 60 * 60 * 1000;

/** At most this many occurrence keys are remembered per window, bounding the item size. */
export const MAX_TRACKED_OCCURRENCES = 1000;

/** At most this many distinct hosts are remembered per window (a count past it reads "100+"). */
export { MAX_TRACKED_HOSTS } from '../incidents/alert-context.ts';

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
  };
}
