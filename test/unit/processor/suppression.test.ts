import { describe, expect, it } from 'vitest';
import {
  createMemorySuppressionStore,
  DELIVERY_MEMORY_MS,
  MAX_TRACKED_HOSTS,
  MAX_TRACKED_OCCURRENCES,
} from '../../../lib/processor/suppression.ts';
import { describeSuppressionStore } from '../../helpers/suppression-contract.ts';

describeSuppressionStore('memory store', async () => createMemorySuppressionStore());

describe('memory store bounds', () => {
  it('forgets the oldest entries beyond maxEntries', async () => {
    const store = createMemorySuppressionStore(2);
    const base = { occurrenceKey: 'o', count: 1, nowMs: 0, windowMs: 60_000 };
    await store.decide({ ...base, fingerprint: 'a' });
    await store.decide({ ...base, fingerprint: 'b' });
    await store.decide({ ...base, fingerprint: 'c' });
    // 'a' was forgotten, so it is sent again inside its window.
    expect((await store.decide({ ...base, fingerprint: 'a', occurrenceKey: 'o2' })).action).toBe('send');
    expect((await store.decide({ ...base, fingerprint: 'c', occurrenceKey: 'o2' })).action).toBe('suppress');
  });

  it('stops recording hosts past MAX_TRACKED_HOSTS', async () => {
    const store = createMemorySuppressionStore();
    const base = { fingerprint: 'f', count: 1, nowMs: 0, windowMs: 60_000 };
    for (let i = 0; i < MAX_TRACKED_HOSTS + 20; i++) {
      await store.decide({ ...base, occurrenceKey: `o${i}`, host: `job/algo-${i}` });
    }
    expect(await store.readHosts?.('f', 1)).toHaveLength(MAX_TRACKED_HOSTS);
  });

  it('remembers deliveries for a day only', async () => {
    const store = createMemorySuppressionStore();
    expect(await store.claimDelivery('d', 0)).toBe(true);
    expect(await store.claimDelivery('d', DELIVERY_MEMORY_MS - 1)).toBe(false);
    expect(await store.claimDelivery('d', DELIVERY_MEMORY_MS)).toBe(true);
  });

  it('stops tracking occurrences past the bound but keeps counting', async () => {
    const store = createMemorySuppressionStore();
    const base = { fingerprint: 'f', count: 1, nowMs: 0, windowMs: 60_000 };
    await store.decide({ ...base, occurrenceKey: 'first' });
    for (let i = 0; i < MAX_TRACKED_OCCURRENCES + 5; i++)
      await store.decide({ ...base, occurrenceKey: `o${i}` });
    const next = await store.decide({ ...base, occurrenceKey: 'after', nowMs: 60_001 });
    expect(next).toEqual({ action: 'send', suppressedBefore: MAX_TRACKED_OCCURRENCES + 5 });
  });
});
