import { describe, expect, it } from 'vitest';
import { REPORT_LIST_LIMIT } from '../../../lib/control-plane/report.ts';
import {
  type GroupOutcome,
  hasFailures,
  ReportMetricNames,
  toPlannedOutcome,
  toReportMetrics,
  toRunReport,
} from '../../../lib/subscriptions/report.ts';

const outcomes: GroupOutcome[] = [
  { logGroupName: '/aws/sagemaker/a', outcome: 'subscribed', retention: 'set' },
  { logGroupName: '/aws/sagemaker/b', outcome: 'updated' },
  { logGroupName: '/aws/sagemaker/c', outcome: 'already-subscribed' },
  { logGroupName: '/aws/sagemaker/d', outcome: 'skipped-limit', foreignFilters: ['datadog', 'splunk'] },
  { logGroupName: '/aws/sagemaker/e', outcome: 'excluded', exclusion: 'excluded-pattern' },
  { logGroupName: '/aws/sagemaker/f', outcome: 'missing' },
  { logGroupName: '/aws/sagemaker/g', outcome: 'failed', error: 'AccessDeniedException: no' },
  { logGroupName: '/aws/sagemaker/h', outcome: 'deferred' },
  { logGroupName: '/aws/sagemaker/i', outcome: 'unsubscribed' },
  {
    logGroupName: '/aws/sagemaker/j',
    outcome: 'already-subscribed',
    retention: 'failed',
    error: 'ThrottlingException: x',
  },
];

describe('toRunReport', () => {
  it('counts every outcome and lists the groups that need a person', () => {
    expect(toRunReport('schedule', outcomes, 1234)).toEqual({
      trigger: 'schedule',
      groupsSeen: 10,
      subscribed: 1,
      updated: 1,
      alreadySubscribed: 2,
      skippedLimit: 1,
      excluded: 1,
      missing: 1,
      failed: 1,
      deferred: 1,
      unsubscribed: 1,
      retentionSet: 1,
      retentionFailed: 1,
      skippedLimitGroups: [{ logGroupName: '/aws/sagemaker/d', foreignFilters: ['datadog', 'splunk'] }],
      failedGroups: [
        { logGroupName: '/aws/sagemaker/g', error: 'AccessDeniedException: no' },
        { logGroupName: '/aws/sagemaker/j', error: 'ThrottlingException: x' },
      ],
      listsTruncated: false,
      durationMs: 1234,
    });
  });

  it('caps the lists and says so; missing details default', () => {
    const many: GroupOutcome[] = Array.from({ length: REPORT_LIST_LIMIT + 1 }, (_, i) => ({
      logGroupName: `/aws/sagemaker/Endpoints/ep-${i}`,
      outcome: i % 2 === 0 ? 'skipped-limit' : 'failed',
    }));
    const report = toRunReport('deploy', [...many, ...many], 0);
    expect(report.skippedLimitGroups).toHaveLength(REPORT_LIST_LIMIT);
    expect(report.failedGroups).toHaveLength(REPORT_LIST_LIMIT);
    expect(report.skippedLimitGroups[0]?.foreignFilters).toEqual([]);
    expect(report.failedGroups[0]?.error).toBe('unknown error');
    expect(report.listsTruncated).toBe(true);
  });
});

describe('hasFailures', () => {
  it('is true for a failed subscription or a failed retention, false otherwise', () => {
    expect(hasFailures(toRunReport('schedule', outcomes, 0))).toBe(true);
    expect(
      hasFailures(
        toRunReport('schedule', [{ logGroupName: 'x', outcome: 'subscribed', retention: 'failed' }], 0),
      ),
    ).toBe(true);
    expect(hasFailures(toRunReport('schedule', outcomes.slice(0, 6), 0))).toBe(false);
  });
});

describe('toReportMetrics', () => {
  it('publishes every count under its metric name, zeros included', () => {
    const metrics = toReportMetrics(
      toRunReport('schedule', [{ logGroupName: 'x', outcome: 'subscribed' }], 0),
    );
    expect(metrics).toHaveLength(Object.keys(ReportMetricNames).length);
    expect(metrics).toContainEqual({ name: 'SubscriptionsCreated', value: 1 });
    expect(metrics).toContainEqual({ name: 'SubscriptionsFailed', value: 0 });
    expect(metrics).toContainEqual({ name: 'SubscriptionsSkippedLimit', value: 0 });
  });
});

describe('toPlannedOutcome', () => {
  it('names what carrying out each planned action comes to', () => {
    expect(toPlannedOutcome('g', { kind: 'create' })).toEqual({ logGroupName: 'g', outcome: 'subscribed' });
    expect(toPlannedOutcome('g', { kind: 'update' })).toEqual({ logGroupName: 'g', outcome: 'updated' });
    expect(toPlannedOutcome('g', { kind: 'none', filterName: 'sagewatch' })).toEqual({
      logGroupName: 'g',
      outcome: 'already-subscribed',
    });
    expect(toPlannedOutcome('g', { kind: 'skip-limit', foreignFilters: ['a', 'b'] })).toEqual({
      logGroupName: 'g',
      outcome: 'skipped-limit',
      foreignFilters: ['a', 'b'],
    });
  });
});
