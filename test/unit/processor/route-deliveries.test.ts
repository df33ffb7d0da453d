import { describe, expect, it, vi } from 'vitest';
import { createRouteDeliveryCounter } from '../../../lib/processor/route-deliveries.ts';

interface Delivery {
  route: string;
  ok: boolean;
  failure?: string;
}

function counterWithSpies() {
  const hooks = { routed: vi.fn(), failed: vi.fn(), webhookGone: vi.fn() };
  return { hooks, counter: createRouteDeliveryCounter<Delivery>(hooks) };
}

describe('createRouteDeliveryCounter', () => {
  it('reports a successful post and counts nothing', () => {
    const { hooks, counter } = counterWithSpies();
    counter.onDelivery({ route: 'vision', ok: true });
    expect(hooks.routed).toHaveBeenCalledWith({ route: 'vision', ok: true });
    expect(hooks.failed).not.toHaveBeenCalled();
    expect(counter.failures()).toBe(0);
  });

  it('counts and reports each failed post; only a gone webhook drops the cached URLs', () => {
    const { hooks, counter } = counterWithSpies();
    counter.onDelivery({ route: 'a', ok: false, failure: 'rate-limited' });
    expect(hooks.webhookGone).not.toHaveBeenCalled();
    counter.onDelivery({ route: 'b', ok: false, failure: 'webhook-gone' });
    counter.onDelivery({ route: 'c', ok: false });
    expect(counter.failures()).toBe(3);
    expect(hooks.failed).toHaveBeenCalledTimes(3);
    expect(hooks.webhookGone).toHaveBeenCalledTimes(1);
    expect(hooks.routed).not.toHaveBeenCalled();
  });

  it('reset starts a new count for the next delivery', () => {
    const { counter } = counterWithSpies();
    counter.onDelivery({ route: 'a', ok: false });
    counter.reset();
    expect(counter.failures()).toBe(0);
    counter.onDelivery({ route: 'a', ok: false });
    expect(counter.failures()).toBe(1);
  });
});
