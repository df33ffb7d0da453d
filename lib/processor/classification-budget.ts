/**
 * How long one delivery may spend classifying its events. Every pattern runs in time linear in
 * its line, but a delivery of hostile lines can still be slow in sum; past the budget, the rest of
 * the delivery's events are counted (`LogEvents`, `LogBytes`, `ClassificationSkipped`) but not
 * classified, so that the delivery completes, with its metrics and alerts, well inside the
 * function's timeout.
 *
 * @module
 */

/** A deadline and the clock to read it by (injected: lib/ reads no clock of its own). */
export interface ClassificationBudget {
  /** The current time in milliseconds, on the same clock as {@link deadlineMs}. */
  now: () => number;
  /** Classification stops once `now()` reaches this. */
  deadlineMs: number;
}

/** The most one delivery spends classifying when `CLASSIFICATION_BUDGET_SECONDS` is not set. */
export const DEFAULT_CLASSIFICATION_BUDGET_CAP_MS = 20_000;

/** The share of the invocation's remaining time that classification may use. */
export const BUDGET_SHARE_OF_REMAINING_TIME = 0.5;

/**
 * The clock is read once per this many events, or sooner after {@link CHECK_EVERY_CHARS} of
 * message text: a read costs about as much as classifying a short line, so reading it for each
 * would make every delivery slower, while a slow run is noticed within a few milliseconds.
 */
export const CHECK_EVERY_EVENTS = 16;
/** See {@link CHECK_EVERY_EVENTS}. */
export const CHECK_EVERY_CHARS = 64 * 1024;

/**
 * The budget of an invocation with `remainingMs` left (Lambda's `getRemainingTimeInMillis()`):
 * {@link BUDGET_SHARE_OF_REMAINING_TIME} of it, at most `capMs` (absent:
 * {@link DEFAULT_CLASSIFICATION_BUDGET_CAP_MS}). The other half is left for alerting (SNS,
 * DynamoDB) and for writing the metrics.
 *
 * @example
 * toClassificationBudget(60_000, 20_000, performance.now) // deadline 20 s from now
 */
export function toClassificationBudget(
  remainingMs: number,
  capMs: number | undefined,
  now: () => number,
): ClassificationBudget {
  capMs ??= DEFAULT_CLASSIFICATION_BUDGET_CAP_MS;
  const allowed = Math.max(0, Math.min(capMs, remainingMs * BUDGET_SHARE_OF_REMAINING_TIME));
  return { now, deadlineMs: now() + allowed };
}

/**
 * Watches a budget over a sequence of events, reading the clock only every
 * {@link CHECK_EVERY_EVENTS} events or {@link CHECK_EVERY_CHARS} characters.
 */
export class BudgetWatch {
  readonly #budget: ClassificationBudget | undefined;
  // The first event reads the clock: a budget may be spent before the delivery starts.
  #events = CHECK_EVERY_EVENTS - 1;
  #chars = 0;
  #spent = false;

  constructor(budget: ClassificationBudget | undefined) {
    this.#budget = budget;
  }

  /** Whether an event of `chars` characters may still be classified; once false, stays false. */
  allows(chars: number): boolean {
    if (this.#spent || this.#budget === undefined) return !this.#spent;
    this.#events++;
    this.#chars += chars;
    if (this.#events < CHECK_EVERY_EVENTS && this.#chars < CHECK_EVERY_CHARS) return true;
    this.#events = 0;
    this.#chars = 0;
    if (this.#budget.now() >= this.#budget.deadlineMs) this.#spent = true;
    return !this.#spent;
  }
}
