/**
 * Alert context under a time budget: for the alerts a delivery sends, every read (one
 * GetMetricData and one Describe call per incident, and the suppression window's hosts) starts at
 * once, concurrently; whatever has not answered when the budget runs out is abandoned (its request
 * aborted) and named in the alert. The budget is the only delay enrichment can add to an alert, and
 * no failure of a read can keep an alert from going out.
 *
 * @module
 */
import {
  ALERT_CONTEXT_VERSION,
  type AlertContext,
  type AlertContextPlan,
  type ContextPart,
  type DescribeTarget,
  type DetectedIncident,
  type MetricQuery,
  type MetricSeries,
  type MissingPart,
  planAlertContext,
  type ResourceDescription,
  toHostsSeen,
  toMetricFigures,
  toResourceStatus,
} from '../incidents/index.ts';
import type { AlertToSend, PublishAlerts } from './alerting.ts';

/** The reads, provided by lib/aws/alert-context.ts (or by tests). Each honours `signal`. */
export interface AlertContextReaders {
  /** One GetMetricData call with all of an incident's queries, per-minute points. */
  readMetrics(
    queries: readonly MetricQuery[],
    window: { startMs: number; endMs: number },
    signal: AbortSignal,
  ): Promise<MetricSeries[]>;
  /** One Describe call. */
  describe(target: DescribeTarget, signal: AbortSignal): Promise<ResourceDescription>;
  /** The hosts recorded in the open suppression window of `fingerprint` (absent: not counted). */
  readHosts?(fingerprint: string, nowMs: number): Promise<readonly string[]>;
}

/** Options of {@link createAlertContextGatherer}. */
export interface AlertContextOptions {
  /** The budget, from the start of gathering to publishing (ms). */
  budgetMs: number;
  /** Resolves after `ms`, or as soon as `signal` aborts; default: a timer. Tests pass fake time. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Told about each read that failed (not about those that ran out of time). */
  onReadError?: (part: ContextPart, error: unknown, incident: DetectedIncident) => void;
}

/** Gathers the context of the alerts of one delivery; never rejects, never takes longer than the budget. */
export type GatherAlertContext = (
  alerts: readonly AlertToSend<DetectedIncident>[],
  nowMs: number,
) => Promise<(AlertContext | undefined)[]>;

/** A timer that ends early when `signal` aborts, and never keeps the process alive past it. */
export function waitOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

type Slot<T> = { state: 'pending' } | { state: 'done'; value: T } | { state: 'failed' };

function track<T>(
  promise: Promise<T>,
  onError: (error: unknown) => void,
): { slot: Slot<T>; settled: Promise<void> } {
  const holder: { slot: Slot<T> } = { slot: { state: 'pending' } };
  const settled = promise.then(
    (value) => {
      holder.slot = { state: 'done', value };
    },
    (error: unknown) => {
      // An abort after the budget is the timeout already accounted for, not a failure.
      if (holder.slot.state === 'pending') holder.slot = { state: 'failed' };
      onError(error);
    },
  );
  return {
    get slot() {
      return holder.slot;
    },
    settled,
  };
}

interface Reads {
  plan: AlertContextPlan;
  metrics?: ReturnType<typeof track<MetricSeries[]>>;
  status?: ReturnType<typeof track<ResourceDescription>>;
  hosts?: ReturnType<typeof track<readonly string[]>>;
}

/** Builds the gatherer: every read of every alert concurrently, one shared deadline. */
export function createAlertContextGatherer(
  readers: AlertContextReaders,
  options: AlertContextOptions,
): GatherAlertContext {
  const wait = options.wait ?? waitOrAbort;
  return async (alerts, nowMs) => {
    const controller = new AbortController();
    let expired = false;
    const reads: (Reads | undefined)[] = alerts.map(({ incident }) => {
      const plan = planAlertContext(incident, nowMs);
      if (plan === undefined) return undefined;
      const report = (part: ContextPart) => (error: unknown) => {
        if (!expired) options.onReadError?.(part, error, incident);
      };
      // Started inside a function so a reader that throws synchronously is a failed read too.
      const start = <T>(part: ContextPart, read: () => Promise<T>) =>
        track(Promise.resolve().then(read), report(part));
      const entry: Reads = { plan };
      if (plan.metrics.length > 0) {
        entry.metrics = start('metrics', () => readers.readMetrics(plan.metrics, plan, controller.signal));
      }
      const target = plan.describe;
      if (target) entry.status = start('status', () => readers.describe(target, controller.signal));
      const readHosts = readers.readHosts;
      if (plan.countHosts && readHosts) {
        // Read last, once this incident's other reads are done: the other hosts of the job write
        // the same failure at about the same time, and their deliveries are decided meanwhile.
        const before = Promise.all([entry.metrics?.settled, entry.status?.settled]);
        entry.hosts = start('hosts', () => before.then(() => readHosts(incident.fingerprint, nowMs)));
      }
      return entry;
    });
    const all = reads.flatMap((entry) =>
      entry ? [entry.metrics?.settled, entry.status?.settled, entry.hosts?.settled] : [],
    );
    const deadline = new AbortController();
    await Promise.race([
      Promise.all(all).then(() => deadline.abort()),
      wait(options.budgetMs, deadline.signal),
    ]);
    expired = true;
    deadline.abort();
    // Whatever is still running is abandoned: its request is cancelled, its answer ignored.
    controller.abort();
    return reads.map((entry, i) =>
      entry ? toContext(entry, (alerts[i] as AlertToSend<DetectedIncident>).incident) : undefined,
    );
  };
}

function toContext(reads: Reads, incident: DetectedIncident): AlertContext {
  const { plan } = reads;
  const context: AlertContext = { version: ALERT_CONTEXT_VERSION, startMs: plan.startMs, endMs: plan.endMs };
  const missing: MissingPart[] = [];
  const note = (part: ContextPart, slot: Slot<unknown>) => {
    missing.push({ part, reason: slot.state === 'pending' ? 'timeout' : 'error' });
  };
  if (reads.metrics) {
    const { slot } = reads.metrics;
    if (slot.state === 'done') {
      const figures = toMetricFigures(plan.metrics, slot.value);
      if (figures.length > 0) context.metrics = figures;
    } else note('metrics', slot);
  }
  if (reads.status && plan.describe) {
    const { slot } = reads.status;
    if (slot.state === 'done') context.status = toResourceStatus(plan.describe.kind, slot.value);
    else note('status', slot);
  }
  if (reads.hosts && incident.host !== undefined) {
    const { slot } = reads.hosts;
    // Hosts are a nicety: a count that could not be read is left out without a note.
    if (slot.state === 'done') context.hosts = toHostsSeen(slot.value, incident.host);
  }
  if (missing.length > 0) context.missing = missing;
  return context;
}

/**
 * Wraps a publisher so each alert goes out with its context: gathered first (within the budget),
 * then published. Failed alerts are reported back as the caller's own objects, so `deliverAlerts`
 * releases the right suppression decisions.
 */
export function withAlertContext(
  publish: PublishAlerts<DetectedIncident>,
  gather: GatherAlertContext,
  now: () => number,
): PublishAlerts<DetectedIncident> {
  return async (alerts) => {
    let contexts: (AlertContext | undefined)[] = [];
    try {
      contexts = await gather(alerts, now());
    } catch {
      // A gatherer never rejects; should one, the alerts still go out, without context.
    }
    const originals = new Map<AlertToSend<DetectedIncident>, AlertToSend<DetectedIncident>>();
    const enriched = alerts.map((alert, i) => {
      const context = contexts[i];
      const copy = context ? { ...alert, incident: { ...alert.incident, alertContext: context } } : alert;
      originals.set(copy, alert);
      return copy;
    });
    const failed = await publish(enriched);
    return failed.map((alert) => originals.get(alert) ?? alert);
  };
}
