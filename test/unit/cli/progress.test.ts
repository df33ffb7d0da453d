import { describe, expect, it } from 'vitest';
import { createProgress, formatProgress, PROGRESS_INTERVAL_MS } from '../../../cli/progress.ts';

describe('formatProgress', () => {
  it('draws a bar, percentage and counts when the total is known', () => {
    expect(formatProgress({ label: 'processing', done: 500, total: 2000, unit: 'events' }, 0, 200)).toBe(
      `processing  [${'█'.repeat(6)}${'░'.repeat(18)}]  25%  500/2,000 events`,
    );
  });

  it('shows counts, rate and detail when the total is unknown', () => {
    expect(
      formatProgress({ label: 'fetching', done: 12000, unit: 'events', detail: '3 pages' }, 2000, 200),
    ).toBe('fetching  12,000 events  6,000/s  3 pages');
  });

  it('caps the bar at full and cuts the line to the width', () => {
    const line = formatProgress({ label: 'x', done: 5, total: 4, unit: 'u' }, 0, 200);
    expect(line).toContain('100%');
    expect(formatProgress({ label: 'fetching', done: 1, unit: 'events' }, 0, 8)).toBe('fetching');
    expect(formatProgress({ label: 'x', done: 0, total: 0, unit: 'u' }, 0, 80)).toBe('x  0 u');
  });
});

describe('createProgress', () => {
  function harness(enabled = true) {
    const writes: string[] = [];
    let now = 0;
    const progress = createProgress({
      enabled,
      write: (text) => writes.push(text),
      now: () => now,
      width: 120,
    });
    return { progress, writes, tick: (ms: number) => (now += ms) };
  }

  it('redraws in place, at most every interval, and clears the line at the end', () => {
    const { progress, writes, tick } = harness();
    progress.update({ label: 'fetching', done: 1, unit: 'events' });
    tick(PROGRESS_INTERVAL_MS - 1);
    progress.update({ label: 'fetching', done: 2, unit: 'events' });
    tick(1);
    progress.update({ label: 'fetching', done: 3, unit: 'events' });
    progress.finish();
    expect(writes).toEqual(['\rfetching  1 events\u001b[K', '\rfetching  3 events\u001b[K', '\r\u001b[K']);
  });

  it('draws a new label at once, restarting the rate', () => {
    const { progress, writes, tick } = harness();
    progress.update({ label: 'fetching', done: 1, unit: 'events' });
    tick(5000);
    progress.update({ label: 'processing', done: 10, total: 10, unit: 'events' });
    expect(writes[1]).not.toContain('/s');
    tick(1000);
    progress.update({ label: 'processing', done: 20, total: 20, unit: 'events' });
    expect(writes[2]).toContain('20/s');
  });

  it('clears nothing when nothing was drawn, and draws nothing when disabled', () => {
    const idle = harness();
    idle.progress.finish();
    expect(idle.writes).toEqual([]);
    const off = harness(false);
    off.progress.update({ label: 'fetching', done: 1, unit: 'events' });
    off.progress.finish();
    expect(off.writes).toEqual([]);
  });
});
