import { describe, expect, it } from 'vitest';
import {
  MAX_EVENTS_PER_DELIVERY,
  type ReplayEvent,
  toDeliveries,
  withPlaces,
} from '../../../cli/deliveries.ts';
import { UNKNOWN_OWNER } from '../../../lib/processor/incident-options.ts';

const G = '/aws/sagemaker/TrainingJobs';

const event = (logStream: string, timestamp: number, message: string, id?: string): ReplayEvent => ({
  logGroup: G,
  logStream,
  timestamp,
  message,
  ...(id === undefined ? {} : { id }),
});

describe('toDeliveries', () => {
  it('makes one delivery per stream, events in time order, deliveries by first event', () => {
    const deliveries = toDeliveries(
      [
        event('b', 30, 'b2', 'i3'),
        event('a', 20, 'a1', 'i1'),
        event('b', 10, 'b1', 'i2'),
        event('a', 25, 'a2', 'i4'),
      ],
      { owner: '123456789012' },
    );
    expect(deliveries.map((d) => [d.logStream, d.logEvents.map((e) => e.message)])).toEqual([
      ['b', ['b1', 'b2']],
      ['a', ['a1', 'a2']],
    ]);
    expect(deliveries[0]).toMatchObject({
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: G,
      subscriptionFilters: ['sagewatch'],
    });
  });

  it('keeps the source order of events of the same millisecond, and makes stable ids for them', () => {
    const events = [event('s', 5, 'first'), event('s', 5, 'second'), event('s', 1, 'zero')];
    const [delivery] = toDeliveries(events);
    expect(delivery?.owner).toBe(UNKNOWN_OWNER);
    expect(delivery?.logEvents).toEqual([
      { id: 'replay-1-0', timestamp: 1, message: 'zero' },
      { id: 'replay-5-1', timestamp: 5, message: 'first' },
      { id: 'replay-5-2', timestamp: 5, message: 'second' },
    ]);
    expect(toDeliveries(events)).toEqual(toDeliveries(events));
  });

  it('drops an event id seen before in the same stream (overlapping pages or files)', () => {
    const [delivery] = toDeliveries([event('s', 1, 'x', 'same'), event('s', 1, 'x again', 'same')]);
    expect(delivery?.logEvents).toEqual([{ id: 'same', timestamp: 1, message: 'x' }]);
  });

  it('cuts a stream into deliveries of at most the limit', () => {
    const events = Array.from({ length: 7 }, (_, i) => event('s', i, `m${i}`));
    const deliveries = toDeliveries(events, { maxEvents: 3, filterName: 'replay' });
    expect(deliveries.map((d) => d.logEvents.length)).toEqual([3, 3, 1]);
    expect(deliveries[2]?.subscriptionFilters).toEqual(['replay']);
    expect(MAX_EVENTS_PER_DELIVERY).toBe(10_000);
  });

  it('orders deliveries starting at the same time by group, then stream', () => {
    const deliveries = toDeliveries([
      { ...event('b', 1, 'x'), logGroup: '/z' },
      event('b', 1, 'x'),
      event('a', 1, 'x'),
      event('a', 1, 'y'),
    ]);
    expect(deliveries.map((d) => `${d.logGroup} ${d.logStream}`)).toEqual([`${G} a`, `${G} b`, '/z b']);
  });

  it('makes nothing of nothing', () => {
    expect(toDeliveries([])).toEqual([]);
  });
});

describe('withPlaces', () => {
  it('keeps the group and stream an event names, and fills in the defaults otherwise', () => {
    const result = withPlaces(
      [
        { timestamp: 1, message: 'a', logGroup: '/own', logStream: 'own', id: '7' },
        { timestamp: 2, message: 'b' },
      ],
      { logGroup: G, logStream: 'default' },
    );
    expect(result).toEqual({
      events: [
        { logGroup: '/own', logStream: 'own', timestamp: 1, message: 'a', id: '7' },
        { logGroup: G, logStream: 'default', timestamp: 2, message: 'b' },
      ],
      missing: { logGroup: 0, logStream: 0 },
    });
  });

  it('counts the events still without a group or a stream and leaves them out', () => {
    const result = withPlaces(
      [
        { timestamp: 1, message: 'a' },
        { timestamp: 2, message: 'b', logStream: 's' },
        { timestamp: 3, message: 'c', logGroup: G },
      ],
      {},
    );
    expect(result.events).toEqual([]);
    expect(result.missing).toEqual({ logGroup: 2, logStream: 2 });
  });
});
