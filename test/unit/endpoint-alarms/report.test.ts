import { describe, expect, it } from 'vitest';
import { REPORT_LIST_LIMIT } from '../../../lib/control-plane/report.ts';
import {
  AlarmMetricNames,
  type EndpointAlarmResult,
  toAlarmMetrics,
  toAlarmRunReport,
  toFailedResult,
} from '../../../lib/endpoint-alarms/report.ts';

const ok = (endpointName: string, counts: Partial<EndpointAlarmResult>): EndpointAlarmResult => ({
  endpointName,
  intent: 'ensure',
  created: 0,
  updated: 0,
  unchanged: 0,
  deleted: 0,
  retagged: 0,
  tooLong: [],
  ...counts,
});

describe('toFailedResult', () => {
  it('carries the error text and zero counts', () => {
    const error = new Error('denied');
    error.name = 'AccessDenied';
    expect(toFailedResult('ep', 'remove', error)).toEqual({
      ...ok('ep', { intent: 'remove' }),
      error: 'AccessDenied: denied',
    });
  });
});

describe('toAlarmRunReport', () => {
  it('sums the counts and lists failures and over-long names', () => {
    const results = [
      ok('a', { created: 4, tooLong: ['x'] }),
      ok('b', { updated: 1, unchanged: 3, retagged: 2 }),
      ok('c', { intent: 'remove', deleted: 4 }),
      toFailedResult('d', 'ensure', new Error('boom')),
    ];
    expect(toAlarmRunReport('schedule', results, 42)).toEqual({
      trigger: 'schedule',
      endpoints: 4,
      created: 4,
      updated: 1,
      unchanged: 3,
      deleted: 4,
      retagged: 2,
      failed: 1,
      failures: [{ endpointName: 'd', error: 'Error: boom' }],
      tooLong: ['x'],
      durationMs: 42,
    });
  });

  it('caps the failure list', () => {
    const results = Array.from({ length: REPORT_LIST_LIMIT + 5 }, (_, i) =>
      toFailedResult(`e${i}`, 'ensure', 'x'),
    );
    const report = toAlarmRunReport('manual', results, 0);
    expect(report.failed).toBe(REPORT_LIST_LIMIT + 5);
    expect(report.failures).toHaveLength(REPORT_LIST_LIMIT);
  });
});

describe('toAlarmMetrics', () => {
  it('publishes created, updated, deleted, retagged and failed, zeros included', () => {
    const metrics = toAlarmMetrics(toAlarmRunReport('endpoint-state-change', [ok('a', { created: 4 })], 0));
    expect(metrics).toHaveLength(Object.keys(AlarmMetricNames).length);
    expect(metrics).toEqual([
      { name: 'EndpointAlarmsCreated', value: 4 },
      { name: 'EndpointAlarmsUpdated', value: 0 },
      { name: 'EndpointAlarmsDeleted', value: 0 },
      { name: 'EndpointAlarmsRetagged', value: 0 },
      { name: 'EndpointAlarmsFailed', value: 0 },
    ]);
  });
});
