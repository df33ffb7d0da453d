import { describe, expect, it } from 'vitest';
import {
  planSubscriptions,
  renderSubscribeReport,
  SUBSCRIBE_OPTION_VARIABLES,
} from '../../../cli/subscribe.ts';
import { readSubscriptionConfig } from '../../../lib/subscriptions/config.ts';
import type { SubscriptionFilterSummary } from '../../../lib/subscriptions/plan.ts';
import { type GroupOutcome, toRunReport } from '../../../lib/subscriptions/report.ts';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:sagewatch-dev-process-logs';
const config = readSubscriptionConfig({
  PROCESSOR_FUNCTION_ARN: ARN,
  EXCLUDE_PATTERNS: '/aws/sagemaker/Endpoints/dev-*',
  SET_RETENTION_DAYS: '30',
});

function notFound(): Error {
  const error = new Error('gone');
  error.name = 'ResourceNotFoundException';
  return error;
}

const FILTERS: Record<string, SubscriptionFilterSummary[] | Error> = {
  '/aws/sagemaker/TrainingJobs': [],
  '/aws/sagemaker/ProcessingJobs': [
    { filterName: 'sagewatch', destinationArn: 'arn:aws:lambda:us-east-1:123456789012:function:old' },
  ],
  '/aws/sagemaker/TransformJobs': [{ filterName: 'sagewatch', destinationArn: ARN, filterPattern: '' }],
  '/aws/sagemaker/Endpoints/full': [
    { filterName: 'datadog', destinationArn: 'arn:a' },
    { filterName: 'splunk', destinationArn: 'arn:b' },
  ],
  '/aws/sagemaker/Endpoints/gone': notFound(),
  '/aws/sagemaker/Endpoints/broken': new Error('socket hang up'),
};

async function listFilters(name: string): Promise<SubscriptionFilterSummary[]> {
  const filters = FILTERS[name];
  if (filters instanceof Error) throw filters;
  return filters ?? [];
}

describe('SUBSCRIBE_OPTION_VARIABLES', () => {
  it('maps each option to a variable the subscriber reads', () => {
    expect(Object.values(SUBSCRIBE_OPTION_VARIABLES)).toContain('PROCESSOR_FUNCTION_ARN');
    expect(SUBSCRIBE_OPTION_VARIABLES['function-arn']).toBe('PROCESSOR_FUNCTION_ARN');
  });
});

describe('planSubscriptions', () => {
  it('plans each group as the reconcile would, reading but never writing', async () => {
    const outcomes = await planSubscriptions(
      [
        { name: '/aws/sagemaker/TrainingJobs' },
        { name: '/aws/sagemaker/ProcessingJobs', retentionInDays: 7 },
        { name: '/aws/sagemaker/TransformJobs', retentionInDays: 7 },
        { name: '/aws/sagemaker/Endpoints/full', retentionInDays: 7 },
        { name: '/aws/sagemaker/Endpoints/dev-1' },
        { name: '/aws/lambda/sagewatch-dev-process-logs' },
        { name: '/aws/sagemaker/Endpoints/gone' },
        { name: '/aws/sagemaker/Endpoints/broken' },
      ],
      config,
      listFilters,
      2,
    );
    expect(outcomes).toEqual([
      { logGroupName: '/aws/sagemaker/TrainingJobs', outcome: 'subscribed', retention: 'set' },
      { logGroupName: '/aws/sagemaker/ProcessingJobs', outcome: 'updated' },
      { logGroupName: '/aws/sagemaker/TransformJobs', outcome: 'already-subscribed' },
      {
        logGroupName: '/aws/sagemaker/Endpoints/full',
        outcome: 'skipped-limit',
        foreignFilters: ['datadog', 'splunk'],
      },
      { logGroupName: '/aws/sagemaker/Endpoints/dev-1', outcome: 'excluded', exclusion: 'excluded-pattern' },
      {
        logGroupName: '/aws/lambda/sagewatch-dev-process-logs',
        outcome: 'excluded',
        exclusion: 'own-log-group',
      },
      { logGroupName: '/aws/sagemaker/Endpoints/gone', outcome: 'missing' },
      { logGroupName: '/aws/sagemaker/Endpoints/broken', outcome: 'failed', error: 'Error: socket hang up' },
    ]);
  });
});

describe('renderSubscribeReport', () => {
  const outcomes: GroupOutcome[] = [
    { logGroupName: '/aws/sagemaker/TrainingJobs', outcome: 'subscribed', retention: 'set' },
    { logGroupName: '/aws/sagemaker/ProcessingJobs', outcome: 'updated' },
    { logGroupName: '/aws/sagemaker/TransformJobs', outcome: 'already-subscribed' },
    {
      logGroupName: '/aws/sagemaker/Endpoints/full',
      outcome: 'skipped-limit',
      foreignFilters: ['datadog', 'splunk'],
    },
    { logGroupName: '/aws/sagemaker/Endpoints/dev-1', outcome: 'excluded', exclusion: 'excluded-pattern' },
    { logGroupName: '/aws/sagemaker/Endpoints/gone', outcome: 'missing' },
    { logGroupName: '/aws/sagemaker/Endpoints/broken', outcome: 'failed', error: 'Error: socket hang up' },
    { logGroupName: '/aws/sagemaker/Endpoints/late', outcome: 'deferred' },
    { logGroupName: '/aws/sagemaker/Endpoints/old', outcome: 'unsubscribed' },
    {
      logGroupName: '/aws/sagemaker/Endpoints/r',
      outcome: 'already-subscribed',
      retention: 'failed',
      error: 'Denied',
    },
  ];
  const report = toRunReport('manual', outcomes, 5);

  it('says "would" in a dry run, lists groups that change or need a human, and counts all', () => {
    const text = renderSubscribeReport(report, outcomes, { dryRun: true }).join('\n');
    expect(text.split('\n')[0]).toBe('Dry run: nothing was changed.');
    expect(text).toMatch(/^\/aws\/sagemaker\/TrainingJobs +would subscribe \(would set retention\)$/m);
    expect(text).toMatch(/ProcessingJobs +would update our filter$/m);
    expect(text).toMatch(
      /Endpoints\/full +would skip: both filter slots taken \(filters: datadog, splunk\)$/m,
    );
    expect(text).toMatch(/Endpoints\/gone +gone \(deleted meanwhile\)$/m);
    expect(text).toMatch(/Endpoints\/broken +failed \(Error: socket hang up\)$/m);
    expect(text).toMatch(/Endpoints\/late +not reached$/m);
    expect(text).toMatch(/Endpoints\/old +would unsubscribe$/m);
    expect(text).toMatch(/Endpoints\/r +already subscribed \(retention failed; Denied\)$/m);
    expect(text).not.toContain('TransformJobs');
    expect(text).not.toContain('dev-1');
    expect(text).toContain(
      '10 groups, 1 to subscribe, 1 to update, 2 already subscribed, 1 skipped (filter limit), 1 excluded, 1 retention to set, 1 gone, 1 not reached, 2 failed',
    );
    expect(text).toContain('free one slot');
  });

  it('reports what was done in a real run, and lists every group with all', () => {
    const text = renderSubscribeReport(report, outcomes, { dryRun: false, all: true }).join('\n');
    expect(text.split('\n')[0]).toBe('Reconcile done.');
    expect(text).toMatch(/TrainingJobs +subscribed \(retention set\)$/m);
    expect(text).toMatch(/TransformJobs +already subscribed$/m);
    expect(text).toMatch(/dev-1 +excluded \(excluded-pattern\)$/m);
    expect(text).toMatch(/Endpoints\/late +not reached before the deadline$/m);
    expect(text).toContain('1 subscribed, 1 updated');
    expect(text).toContain('1 retention set');
  });

  it('prints only the counts when nothing needs listing', () => {
    const quiet: GroupOutcome[] = [
      { logGroupName: '/aws/sagemaker/TrainingJobs', outcome: 'already-subscribed' },
    ];
    expect(renderSubscribeReport(toRunReport('manual', quiet, 1), quiet, { dryRun: true })).toEqual([
      'Dry run: nothing was changed.',
      '',
      '1 groups, 0 to subscribe, 0 to update, 1 already subscribed, 0 skipped (filter limit), 0 excluded',
    ]);
  });
});
