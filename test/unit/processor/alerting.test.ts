import { describe, expect, it, vi } from 'vitest';
import {
  type Alertable,
  type AlertToSend,
  deliverAlerts,
  logAlertsInstead,
  PublishError,
} from '../../../lib/processor/alerting.ts';
import { createMemorySuppressionStore } from '../../../lib/processor/suppression.ts';

const incident = (fingerprint: string, occurrenceKey: string, count = 1): Alertable => ({
  fingerprint,
  occurrenceKey,
  count,
});
const options = { nowMs: 1_000_000, windowMs: 900_000 };

describe('deliverAlerts', () => {
  it('sends the first of each fingerprint, suppresses repeats and ignores replays', async () => {
    const store = createMemorySuppressionStore();
    const publish = vi.fn(async () => []);
    const first = await deliverAlerts([incident('a', 's#1'), incident('b', 's#2')], {
      store,
      publish,
      ...options,
    });
    expect(first.sent.map((s) => s.incident.fingerprint)).toEqual(['a', 'b']);
    expect(publish).toHaveBeenCalledTimes(1);

    const second = await deliverAlerts([incident('a', 's#1'), incident('a', 't#1', 4)], {
      store,
      publish,
      ...options,
    });
    expect(second.sent).toEqual([]);
    expect(second.duplicates).toEqual([incident('a', 's#1')]);
    expect(second.suppressed).toEqual([incident('a', 't#1', 4)]);
    expect(publish).toHaveBeenCalledTimes(1);

    const later = await deliverAlerts([incident('a', 'u#1')], {
      store,
      publish,
      ...options,
      nowMs: 2_000_000,
    });
    expect(later.sent).toEqual([{ incident: incident('a', 'u#1'), suppressedBefore: 4 }]);
  });

  it('releases failed entries and throws, so the retry sends exactly those', async () => {
    const store = createMemorySuppressionStore();
    const incidents = [incident('a', 's#1'), incident('b', 's#2'), incident('c', 's#3')];
    const failing = vi.fn(async (alerts: readonly AlertToSend<Alertable>[]) => alerts.slice(1, 2));
    await expect(deliverAlerts(incidents, { store, publish: failing, ...options })).rejects.toBeInstanceOf(
      PublishError,
    );

    const publish = vi.fn(async () => []);
    const retry = await deliverAlerts(incidents, { store, publish, ...options });
    expect(retry.sent.map((s) => s.incident.fingerprint)).toEqual(['b']);
    expect(retry.duplicates.map((d) => d.fingerprint)).toEqual(['a', 'c']);
    // The failed attempt sent 'a' and 'c': the retry knows, so metrics can still count them.
    expect(retry.previouslySent.map((d) => d.fingerprint)).toEqual(['a', 'c']);
  });

  it('releases everything when the publish call itself rejects', async () => {
    const store = createMemorySuppressionStore();
    const throttled = vi.fn(async () => {
      throw new Error('Throttling: rate exceeded');
    });
    await expect(
      deliverAlerts([incident('a', 's#1')], { store, publish: throttled, ...options }),
    ).rejects.toThrow('Throttling');
    const retry = await deliverAlerts([incident('a', 's#1')], { store, publish: async () => [], ...options });
    expect(retry.sent).toHaveLength(1);
  });

  it('does not call publish when nothing is to be sent', async () => {
    const publish = vi.fn(async () => []);
    const outcome = await deliverAlerts([], { store: createMemorySuppressionStore(), publish, ...options });
    expect(outcome).toEqual({ sent: [], suppressed: [], duplicates: [], previouslySent: [] });
    expect(publish).not.toHaveBeenCalled();
  });
});

describe('logAlertsInstead', () => {
  it('hands each alert to warn with its suppressed count and reports none as failed', async () => {
    const warn = vi.fn();
    const publish = logAlertsInstead<{ fingerprint: string }>(warn);
    const failed = await publish([
      { incident: { fingerprint: 'a' }, suppressedBefore: 0 },
      { incident: { fingerprint: 'b' }, suppressedBefore: 2 },
    ]);
    expect(failed).toEqual([]);
    expect(warn.mock.calls).toEqual([
      [{ incident: { fingerprint: 'a', suppressedBefore: 0 } }],
      [{ incident: { fingerprint: 'b', suppressedBefore: 2 } }],
    ]);
  });
});
