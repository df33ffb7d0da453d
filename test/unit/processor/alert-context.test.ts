import { describe, expect, it, vi } from 'vitest';
import type { DetectedIncident } from '../../../lib/incidents/index.ts';
import {
  type AlertContextReaders,
  createAlertContextGatherer,
  waitOrAbort,
  withAlertContext,
} from '../../../lib/processor/alert-context.ts';
import type { AlertToSend } from '../../../lib/processor/alerting.ts';

const T = Date.UTC(2026, 2, 2, 10, 5, 30);

const incident = (overrides: Partial<DetectedIncident> = {}): DetectedIncident => ({
  schemaVersion: 1,
  fingerprint: 'fp',
  severity: 'critical',
  category: 'cuda_oom',
  title: 't',
  headline: 'h',
  resourceType: 'TrainingJob',
  resourceName: 'llama',
  host: 'llama/algo-3',
  instance: 'algo-3',
  logGroup: '/aws/sagemaker/TrainingJobs',
  logStream: 'llama/algo-3-1',
  count: 1,
  firstSeenMs: T,
  lastSeenMs: T,
  eventIds: ['1'],
  occurrenceKey: 'k',
  context: [],
  truncated: false,
  ...overrides,
});

const alert = (i: DetectedIncident = incident()): AlertToSend<DetectedIncident> => ({
  incident: i,
  suppressedBefore: 0,
});

/** A wait the test ends by hand: the budget "runs out" when `expire` is called. */
function manualWait() {
  let expire = () => {};
  const wait = (_ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      expire = resolve;
      signal.addEventListener('abort', () => resolve());
    });
  return { wait, expire: () => expire() };
}

const readers = (overrides: Partial<AlertContextReaders> = {}): AlertContextReaders => ({
  readMetrics: async (queries) => queries.map((query) => ({ id: query.id, timestampsMs: [T], values: [50] })),
  describe: async () => ({ status: 'InProgress', secondaryStatus: 'Training' }),
  ...overrides,
});

describe('createAlertContextGatherer', () => {
  it('reads the hosts of the window after the other reads of the incident', async () => {
    const order: string[] = [];
    const gather = createAlertContextGatherer(
      readers({
        readMetrics: async (queries) => {
          order.push('metrics');
          return queries.map((q) => ({ id: q.id, timestampsMs: [T], values: [1] }));
        },
        describe: async () => {
          order.push('describe');
          return { status: 'InProgress' };
        },
        readHosts: async (fingerprint, nowMs) => {
          order.push(`hosts ${fingerprint} ${nowMs}`);
          return ['llama/algo-1', 'llama/algo-2'];
        },
      }),
      { budgetMs: 1000 },
    );
    const [context] = await gather([alert()], T);
    expect(order).toEqual(['metrics', 'describe', `hosts fp ${T}`]);
    expect(context?.hosts).toEqual({ count: 3 });
    expect(context?.missing).toBeUndefined();
  });

  it('a host count that fails or comes late is left out without a note', async () => {
    const failing = createAlertContextGatherer(
      readers({ readHosts: () => Promise.reject(new Error('throttled')) }),
      { budgetMs: 1000 },
    );
    const [context] = await failing([alert()], T);
    expect(context?.hosts).toBeUndefined();
    expect(context?.missing).toBeUndefined();
  });

  it('gives up at the budget: pending reads are aborted and named as timeouts; failures are errors', async () => {
    const { wait, expire } = manualWait();
    let signal: AbortSignal | undefined;
    const onReadError = vi.fn();
    const gather = createAlertContextGatherer(
      readers({
        readMetrics: (_q, _w, s) => {
          signal = s;
          return new Promise(() => {});
        },
        describe: () => {
          throw new Error('synchronous failure');
        },
      }),
      { budgetMs: 1000, wait, onReadError },
    );
    const pending = gather([alert()], T);
    await new Promise((resolve) => setImmediate(resolve));
    expect(signal?.aborted).toBe(false);
    expire();
    const [context] = await pending;
    expect(signal?.aborted).toBe(true);
    expect(context?.missing).toEqual([
      { part: 'metrics', reason: 'timeout' },
      { part: 'status', reason: 'error' },
    ]);
    expect(onReadError).toHaveBeenCalledTimes(1);
    expect(onReadError.mock.calls[0]?.[0]).toBe('status');
  });

  it('a read rejected by its abort after the budget is not reported as a failure', async () => {
    const { wait, expire } = manualWait();
    const onReadError = vi.fn();
    const gather = createAlertContextGatherer(
      readers({
        readMetrics: (_q, _w, signal) =>
          new Promise((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(new Error('aborted'))),
          ),
      }),
      { budgetMs: 1000, wait, onReadError },
    );
    const pending = gather([alert()], T);
    await new Promise((resolve) => setImmediate(resolve));
    expire();
    const [context] = await pending;
    await new Promise((resolve) => setImmediate(resolve));
    expect(context?.missing).toEqual([{ part: 'metrics', reason: 'timeout' }]);
    expect(onReadError).not.toHaveBeenCalled();
  });

  it('one context per alert, in order; none where nothing can be read', async () => {
    const gather = createAlertContextGatherer(readers(), { budgetMs: 1000 });
    const notebook = incident({ resourceType: 'NotebookInstance' });
    delete notebook.host;
    delete notebook.resourceName;
    const contexts = await gather([alert(notebook), alert()], T);
    expect(contexts[0]).toBeUndefined();
    expect(contexts[1]?.status).toEqual({
      kind: 'TrainingJob',
      status: 'InProgress',
      secondaryStatus: 'Training',
    });
    expect(contexts[1]?.metrics?.map((m) => m.metricName)).toEqual([
      'GPUMemoryUtilization',
      'GPUUtilization',
    ]);
  });

  it('reads only what the plan holds: a transform job disk_full is described, not measured', async () => {
    const readMetrics = vi.fn(async () => []);
    const gather = createAlertContextGatherer(readers({ readMetrics }), { budgetMs: 1000 });
    const transform = incident({ resourceType: 'TransformJob', category: 'disk_full', host: 'batch/i-0abc' });
    const nameless = incident();
    delete nameless.resourceName;
    const [described, measured] = await gather([alert(transform), alert(nameless)], T);
    expect(described?.status?.kind).toBe('TransformJob');
    expect(described?.metrics).toBeUndefined();
    expect(readMetrics).toHaveBeenCalledTimes(1);
    expect(measured?.status).toBeUndefined();
  });

  it('metrics without data leave no figures and no note', async () => {
    const gather = createAlertContextGatherer(readers({ readMetrics: async () => [] }), { budgetMs: 1000 });
    const [context] = await gather([alert()], T);
    expect(context?.metrics).toBeUndefined();
    expect(context?.missing).toBeUndefined();
  });
});

describe('waitOrAbort', () => {
  it('resolves after the time, or at once when aborted (also when aborted before)', async () => {
    vi.useFakeTimers();
    try {
      const controller = new AbortController();
      let done = false;
      const waiting = waitOrAbort(10_000, controller.signal).then(() => {
        done = true;
      });
      await vi.advanceTimersByTimeAsync(9_999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await waiting;
      expect(done).toBe(true);

      const early = new AbortController();
      const aborted = waitOrAbort(10_000, early.signal);
      early.abort();
      await aborted;
      expect(vi.getTimerCount()).toBe(0);
      await waitOrAbort(10_000, early.signal);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('withAlertContext', () => {
  it('publishes each alert with its context, and reports failures as the caller own alerts', async () => {
    const alerts = [alert(), alert(incident({ fingerprint: 'fp2' }))];
    const publish = vi.fn(async (sent: readonly AlertToSend<DetectedIncident>[]) => [
      sent[1] as AlertToSend<DetectedIncident>,
    ]);
    const wrapped = withAlertContext(
      publish,
      async (given, nowMs) => given.map(() => ({ version: 1 as const, startMs: nowMs, endMs: nowMs + 1 })),
      () => T,
    );
    const failed = await wrapped(alerts);
    expect(publish.mock.calls[0]?.[0].map((a) => a.incident.alertContext?.startMs)).toEqual([T, T]);
    expect(failed).toEqual([alerts[1]]);
    expect(failed[0]).toBe(alerts[1]);
    expect(alerts[0]?.incident.alertContext).toBeUndefined();
  });

  it('a gatherer that rejects costs the context, never the alert', async () => {
    const publish = vi.fn(async () => []);
    const wrapped = withAlertContext(
      publish,
      () => Promise.reject(new Error('bug')),
      () => T,
    );
    const alerts = [alert()];
    expect(await wrapped(alerts)).toEqual([]);
    expect(publish).toHaveBeenCalledWith(alerts);
  });
});
