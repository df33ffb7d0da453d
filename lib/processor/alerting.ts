import type { SuppressionDecision, SuppressionRequest, SuppressionStore } from './suppression.ts';

/** What alerting needs to know about an incident. */
export interface Alertable {
  fingerprint: string;
  count: number;
  /** Stable across retries of the same delivery: the stream and the incident's first event id. */
  occurrenceKey: string;
  /** SageMaker's `Host`, recorded in the window so an alert can count the hosts that saw it. */
  host?: string;
}

/** An incident to send, with how many like it were suppressed before it. */
export interface AlertToSend<I> {
  incident: I;
  suppressedBefore: number;
}

/**
 * Publishes alerts; resolves to those (the same objects it was given) that could not be published.
 */
export type PublishAlerts<I> = (alerts: readonly AlertToSend<I>[]) => Promise<readonly AlertToSend<I>[]>;

/** What happened to each incident of a delivery. */
export interface AlertOutcome<I> {
  sent: AlertToSend<I>[];
  suppressed: I[];
  /** Occurrences decided before (a retried or duplicated delivery): nothing is sent again. */
  duplicates: I[];
  /** The duplicates whose first decision was to send: an earlier, failed attempt sent them. */
  previouslySent: I[];
}

/**
 * Publishing failed after the SDK's retries. The failed alerts' suppression was released first,
 * so the async retry of the invocation sends exactly those, and nothing that already went out.
 */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  readonly failed: number;

  constructor(failed: number, total: number) {
    super(`${failed} of ${total} alerts could not be published; the delivery will be retried`);
    this.failed = failed;
  }
}

/**
 * Decides each incident against the suppression store (first in its window is sent, later ones
 * counted, replays ignored), then publishes those to send.
 *
 * @throws {PublishError} when some alerts could not be published (after releasing them).
 */
export async function deliverAlerts<I extends Alertable>(
  incidents: readonly I[],
  options: { store: SuppressionStore; publish: PublishAlerts<I>; nowMs: number; windowMs: number },
): Promise<AlertOutcome<I>> {
  const { store, publish, nowMs, windowMs } = options;
  const requests: SuppressionRequest[] = incidents.map(({ fingerprint, occurrenceKey, count, host }) => ({
    fingerprint,
    occurrenceKey,
    count,
    ...(host === undefined ? {} : { host }),
    nowMs,
    windowMs,
  }));
  const decisions = await Promise.all(requests.map((request) => store.decide(request)));

  const outcome: AlertOutcome<I> = { sent: [], suppressed: [], duplicates: [], previouslySent: [] };
  // Each alert to send remembers its own decision, so a failed alert is released by identity.
  const decided = new Map<AlertToSend<I>, { request: SuppressionRequest; decision: SuppressionDecision }>();
  decisions.forEach((decision, i) => {
    const incident = incidents[i] as I;
    if (decision.action === 'send') {
      const alert = { incident, suppressedBefore: decision.suppressedBefore };
      outcome.sent.push(alert);
      decided.set(alert, { request: requests[i] as SuppressionRequest, decision });
    } else if (decision.action === 'suppress') {
      outcome.suppressed.push(incident);
    } else {
      outcome.duplicates.push(incident);
      if (decision.original === 'send') outcome.previouslySent.push(incident);
    }
  });
  if (outcome.sent.length === 0) return outcome;

  let failed: readonly AlertToSend<I>[];
  try {
    failed = await publish(outcome.sent);
  } catch (error) {
    await releaseAll(store, outcome.sent, decided);
    throw error;
  }
  if (failed.length > 0) {
    await releaseAll(store, failed, decided);
    throw new PublishError(failed.length, outcome.sent.length);
  }
  return outcome;
}

async function releaseAll<I>(
  store: SuppressionStore,
  alerts: readonly AlertToSend<I>[],
  decided: ReadonlyMap<AlertToSend<I>, { request: SuppressionRequest; decision: SuppressionDecision }>,
): Promise<void> {
  await Promise.all(
    alerts.map((alert) => {
      const { request, decision } = decided.get(alert) as {
        request: SuppressionRequest;
        decision: SuppressionDecision;
      };
      return store.release(request, decision);
    }),
  );
}

/**
 * A publisher for a deployment without a topic: each alert is handed to `warn` (already scrubbed,
 * with how many were suppressed before it) and counted as sent.
 */
export function logAlertsInstead<I>(
  warn: (alert: { incident: I & { suppressedBefore: number } }) => void,
): PublishAlerts<I> {
  return async (alerts) => {
    for (const { incident, suppressedBefore } of alerts)
      warn({ incident: { ...incident, suppressedBefore } });
    return [];
  };
}
