import { describe, expect, it } from 'vitest';
import { toProcessorCounts } from '../../../lib/processor/processor-metrics.ts';

describe('toProcessorCounts', () => {
  it('lists nothing for a delivery with nothing to count', () => {
    expect(
      toProcessorCounts({ duplicate: false, processed: { stats: { outOfWindow: 0 } }, routeFailures: 0 }),
    ).toEqual([]);
  });

  it('lists the non-zero counters, route failures first', () => {
    expect(
      toProcessorCounts({ duplicate: true, processed: { stats: { outOfWindow: 2 } }, routeFailures: 3 }),
    ).toEqual([
      ['RouteDeliveryFailures', 3],
      ['EventsOutOfWindow', 2],
      ['DuplicateDeliveries', 1],
    ]);
    expect(
      toProcessorCounts({ duplicate: false, processed: { stats: { outOfWindow: 1 } }, routeFailures: 0 }),
    ).toEqual([['EventsOutOfWindow', 1]]);
  });
});
