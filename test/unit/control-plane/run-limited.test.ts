import { describe, expect, it } from 'vitest';
import { mapLimited } from '../../../lib/control-plane/run-limited.ts';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('mapLimited', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await tick();
      running--;
      return n * 10;
    });
    expect(results).toEqual([10, 20, 30, 40, 50, 60, 70].map((value) => ({ status: 'fulfilled', value })));
    expect(peak).toBe(3);
  });

  it('captures a failing item without stopping the others', async () => {
    const boom = new Error('boom');
    const results = await mapLimited(['a', 'b', 'c'], 2, async (item) => {
      if (item === 'b') throw boom;
      return item;
    });
    expect(results).toEqual([
      { status: 'fulfilled', value: 'a' },
      { status: 'rejected', reason: boom },
      { status: 'fulfilled', value: 'c' },
    ]);
  });

  it('stops starting items once the gate closes; the rest are not started', async () => {
    let started = 0;
    const results = await mapLimited(
      [1, 2, 3, 4, 5],
      1,
      async (n) => {
        started++;
        return n;
      },
      () => started < 2,
    );
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'not-started',
      'not-started',
      'not-started',
    ]);
  });

  it('handles an empty list and a limit below one', async () => {
    expect(await mapLimited([], 4, async (n: number) => n)).toEqual([]);
    expect(await mapLimited([1, 2], 0, async (n) => n + 1)).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'fulfilled', value: 3 },
    ]);
  });
});
