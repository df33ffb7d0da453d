import { describe, expect, it } from 'vitest';
import type { SuppressionRequest, SuppressionStore } from '../../lib/processor/suppression.ts';

const WINDOW = 15 * 60_000;
const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);

function request(overrides: Partial<SuppressionRequest> = {}): SuppressionRequest {
  return {
    fingerprint: 'fp-1',
    occurrenceKey: 'stream-a#1',
    count: 1,
    nowMs: T0,
    windowMs: WINDOW,
    ...overrides,
  };
}

/** The behaviour every SuppressionStore must have; run against the memory store and DynamoDB. */
export function describeSuppressionStore(name: string, makeStore: () => Promise<SuppressionStore>): void {
  describe(`${name}: suppression contract`, () => {
    it('sends the first occurrence, counts later ones in the window, and reports them on the next alert', async () => {
      const store = await makeStore();
      expect(await store.decide(request())).toEqual({ action: 'send', suppressedBefore: 0 });
      expect(
        await store.decide(request({ occurrenceKey: 'stream-b#7', count: 3, nowMs: T0 + 60_000 })),
      ).toEqual({
        action: 'suppress',
        suppressedBefore: 0,
      });
      expect(
        await store.decide(request({ occurrenceKey: 'stream-c#9', count: 2, nowMs: T0 + WINDOW })),
      ).toEqual({
        action: 'suppress',
        suppressedBefore: 0,
      });
      // After a quiet window the next occurrence is sent and says 5 were suppressed.
      expect(await store.decide(request({ occurrenceKey: 'stream-d#1', nowMs: T0 + WINDOW + 1 }))).toEqual({
        action: 'send',
        suppressedBefore: 5,
      });
    });

    it('the same occurrence twice (a retried or duplicated delivery) is neither sent nor counted again', async () => {
      const store = await makeStore();
      const fp = { fingerprint: 'fp-dup' };
      expect((await store.decide(request(fp))).action).toBe('send');
      expect(await store.decide(request(fp))).toEqual({
        action: 'duplicate',
        suppressedBefore: 0,
        original: 'send',
      });
      expect((await store.decide(request({ ...fp, occurrenceKey: 'x#2', count: 4 }))).action).toBe(
        'suppress',
      );
      expect(await store.decide(request({ ...fp, occurrenceKey: 'x#2', count: 4 }))).toEqual({
        action: 'duplicate',
        suppressedBefore: 0,
        original: 'suppress',
      });
      const next = await store.decide(request({ ...fp, occurrenceKey: 'y#1', nowMs: T0 + WINDOW + 1 }));
      expect(next).toEqual({ action: 'send', suppressedBefore: 4 });
    });

    it('fingerprints are independent', async () => {
      const store = await makeStore();
      expect((await store.decide(request({ fingerprint: 'fp-a' }))).action).toBe('send');
      expect((await store.decide(request({ fingerprint: 'fp-b' }))).action).toBe('send');
    });

    it('release undoes a send whose publish failed, so the retry sends it and keeps the earlier count', async () => {
      const store = await makeStore();
      const fp = { fingerprint: 'fp-release' };
      await store.decide(request(fp));
      await store.decide(request({ ...fp, occurrenceKey: 'b#1', count: 2, nowMs: T0 + 1 }));
      const later = request({ ...fp, occurrenceKey: 'c#1', nowMs: T0 + WINDOW + 5 });
      const decision = await store.decide(later);
      expect(decision).toEqual({ action: 'send', suppressedBefore: 2 });
      await store.release(later, decision);
      expect(await store.decide({ ...later, nowMs: later.nowMs + 60_000 })).toEqual({
        action: 'send',
        suppressedBefore: 2,
      });
      // Releasing someone else's send changes nothing.
      await store.release(request({ ...fp, occurrenceKey: 'not-the-sender' }), decision);
      expect(
        (await store.decide(request({ ...fp, occurrenceKey: 'd#1', nowMs: later.nowMs + 61_000 }))).action,
      ).toBe('suppress');
      await store.release(request({ fingerprint: 'never-seen' }), decision);
    });

    it('claims a delivery once', async () => {
      const store = await makeStore();
      expect(await store.claimDelivery('delivery-1', T0)).toBe(true);
      expect(await store.claimDelivery('delivery-1', T0 + 1000)).toBe(false);
      expect(await store.claimDelivery('delivery-2', T0 + 1000)).toBe(true);
    });

    it('remembers the distinct hosts of the open window, and forgets them when a new window opens', async () => {
      const store = await makeStore();
      const fp = { fingerprint: 'fp-hosts' };
      expect(await store.readHosts?.('fp-hosts', T0)).toEqual([]);
      await store.decide(request({ ...fp, host: 'job/algo-3' }));
      await store.decide(
        request({ ...fp, occurrenceKey: 'stream-b#1', host: 'job/algo-1', nowMs: T0 + 1000 }),
      );
      await store.decide(
        request({ ...fp, occurrenceKey: 'stream-b#2', host: 'job/algo-1', nowMs: T0 + 2000 }),
      );
      await store.decide(request({ ...fp, occurrenceKey: 'stream-c#1', nowMs: T0 + 3000 }));
      expect((await store.readHosts?.('fp-hosts', T0 + 4000))?.sort()).toEqual(['job/algo-1', 'job/algo-3']);
      // A closed window counts no hosts; the next one starts with its sender's host only.
      expect(await store.readHosts?.('fp-hosts', T0 + WINDOW + 1)).toEqual([]);
      await store.decide(
        request({ ...fp, occurrenceKey: 'stream-d#1', host: 'job/algo-2', nowMs: T0 + WINDOW + 1 }),
      );
      expect(await store.readHosts?.('fp-hosts', T0 + WINDOW + 2)).toEqual(['job/algo-2']);
      await store.decide(request({ ...fp, occurrenceKey: 'stream-e#1', nowMs: T0 + 3 * WINDOW }));
      expect(await store.readHosts?.('fp-hosts', T0 + 3 * WINDOW + 1)).toEqual([]);
    });

    const EVENTS = [
      { id: '1', timestamp: T0, message: 'Traceback (most recent call last):' },
      { id: '2', timestamp: T0 + 1, message: '  File "train.py", line 3, in <module>' },
    ];
    const hold = (streamKey: string, occurrenceKey = 'occ-1', holderKey = 'delivery-1') => ({
      streamKey,
      occurrenceKey,
      events: EVENTS,
      holderKey,
      nowMs: T0,
    });

    it('holds a traceback once; the next delivery takes it, and takes it again on its retry only', async () => {
      const store = await makeStore();
      expect(await store.take('stream-h1', 'delivery-2', T0)).toBeUndefined();
      expect(await store.hold(hold('stream-h1'))).toBe('held');
      // A retry of the delivery that held it.
      expect(await store.hold(hold('stream-h1'))).toBe('already-held');
      expect(await store.take('stream-h1', 'delivery-2', T0 + 5_000)).toEqual(EVENTS);
      expect(await store.take('stream-h1', 'delivery-2', T0 + 6_000)).toEqual(EVENTS);
      expect(await store.take('stream-h1', 'delivery-3', T0 + 6_000)).toBeUndefined();
      // Completed: the flush finds nothing, a late retry of the first delivery holds nothing.
      expect(await store.flush('stream-h1', 'occ-1', T0 + 20_000)).toBeUndefined();
      expect(await store.hold(hold('stream-h1'))).toBe('done');
      // The stream's next cut traceback is held again.
      expect(await store.hold(hold('stream-h1', 'occ-2'))).toBe('held');
    });

    it('flushes a traceback no delivery took, once against completion, again on a retried flush', async () => {
      const store = await makeStore();
      expect(await store.hold(hold('stream-h2'))).toBe('held');
      expect(await store.flush('stream-h2', 'other-occurrence', T0 + 20_000)).toBeUndefined();
      expect(await store.flush('stream-h2', 'occ-1', T0 + 20_000)).toEqual(EVENTS);
      expect(await store.flush('stream-h2', 'occ-1', T0 + 21_000)).toEqual(EVENTS);
      // Too late for the next delivery: it completes nothing.
      expect(await store.take('stream-h2', 'delivery-2', T0 + 22_000)).toBeUndefined();
      expect(await store.hold(hold('stream-h2'))).toBe('done');
    });

    it('holds again what the taker still ends in (a burst over three deliveries)', async () => {
      const store = await makeStore();
      expect(await store.hold(hold('stream-h5'))).toBe('held');
      expect(await store.take('stream-h5', 'delivery-2', T0 + 5_000)).toEqual(EVENTS);
      expect(await store.hold(hold('stream-h5', 'occ-1', 'delivery-2'))).toBe('held');
      expect(await store.take('stream-h5', 'delivery-3', T0 + 9_000)).toEqual(EVENTS);
    });

    it('is busy while another traceback of the stream waits', async () => {
      const store = await makeStore();
      expect(await store.hold(hold('stream-h3'))).toBe('held');
      expect(await store.hold(hold('stream-h3', 'occ-2'))).toBe('busy');
      expect(await store.flush('stream-h4', 'occ-1', T0)).toBeUndefined();
    });
  });
}
