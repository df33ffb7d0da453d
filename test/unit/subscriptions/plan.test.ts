import { describe, expect, it } from 'vitest';
import { readSubscriptionConfig } from '../../../lib/subscriptions/config.ts';
import {
  isOwnFilter,
  orderForReconcile,
  planLogGroup,
  RECENT_GROUP_WINDOW_MS,
  selectLogGroup,
} from '../../../lib/subscriptions/plan.ts';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:sagewatch-dev-process-logs';
const FOREIGN = 'arn:aws:lambda:us-east-1:123456789012:function:datadog-forwarder';
const config = readSubscriptionConfig({
  PROCESSOR_FUNCTION_ARN: ARN,
  EXCLUDE_PATTERNS: '/aws/sagemaker/Endpoints/sm-epc-*',
  OWN_LOG_GROUP_PREFIX: '/aws/sagemaker/sagewatch-',
});
const withRetention = readSubscriptionConfig({ PROCESSOR_FUNCTION_ARN: ARN, SET_RETENTION_DAYS: '14' });

describe('selectLogGroup', () => {
  it('selects SageMaker groups the patterns include', () => {
    expect(selectLogGroup('/aws/sagemaker/Endpoints/churn-xgb-prod', config)).toEqual({ selected: true });
    expect(selectLogGroup('/aws/sagemaker/TrainingJobs', config)).toEqual({ selected: true });
  });

  it("refuses sagewatch's own groups before looking at patterns", () => {
    expect(selectLogGroup('/aws/lambda/sagewatch-dev-process-logs', config)).toEqual({
      selected: false,
      reason: 'own-log-group',
    });
    expect(selectLogGroup('/aws/sagemaker/sagewatch-audit', config)).toEqual({
      selected: false,
      reason: 'own-log-group',
    });
  });

  it('refuses groups no include pattern matches, and says which exclude pattern matched', () => {
    expect(selectLogGroup('/aws/lambda/other', config)).toEqual({ selected: false, reason: 'not-included' });
    expect(selectLogGroup('/aws/sagemaker/Endpoints/sm-epc-load-test', config)).toEqual({
      selected: false,
      reason: 'excluded-pattern',
      pattern: '/aws/sagemaker/Endpoints/sm-epc-*',
    });
  });
});

describe('planLogGroup', () => {
  const group = { name: '/aws/sagemaker/TrainingJobs' };

  it('creates our filter on a group without filters', () => {
    expect(planLogGroup(group, [], config)).toEqual({
      logGroupName: group.name,
      subscription: { kind: 'create' },
    });
  });

  it('creates our filter next to one foreign filter', () => {
    const plan = planLogGroup(group, [{ filterName: 'datadog', destinationArn: FOREIGN }], config);
    expect(plan.subscription).toEqual({ kind: 'create' });
  });

  it('does nothing when our filter is already in place', () => {
    const filters = [{ filterName: 'sagewatch', destinationArn: ARN, filterPattern: '' }];
    expect(planLogGroup(group, filters, config).subscription).toEqual({
      kind: 'none',
      filterName: 'sagewatch',
    });
    // DescribeSubscriptionFilters may omit an empty pattern.
    expect(
      planLogGroup(group, [{ filterName: 'sagewatch', destinationArn: ARN }], config).subscription.kind,
    ).toBe('none');
  });

  it('overwrites our filter when its destination or pattern drifted, keeping what it was', () => {
    const drifted = planLogGroup(
      group,
      [{ filterName: 'sagewatch', destinationArn: FOREIGN, filterPattern: 'ERROR' }],
      config,
    );
    expect(drifted.subscription).toEqual({
      kind: 'update',
      previousDestinationArn: FOREIGN,
      previousFilterPattern: 'ERROR',
    });
    expect(planLogGroup(group, [{ filterName: 'sagewatch' }], config).subscription).toEqual({
      kind: 'update',
    });
  });

  it('updates our own filter even when the other slot is taken (same name is an update, not a third filter)', () => {
    const filters = [
      { filterName: 'datadog', destinationArn: FOREIGN },
      { filterName: 'sagewatch', destinationArn: ARN, filterPattern: 'old' },
    ];
    expect(planLogGroup(group, filters, config).subscription.kind).toBe('update');
  });

  it('counts a filter of another name that already delivers to the processor as subscribed', () => {
    const filters = [{ filterName: 'sagewatch-legacy', destinationArn: ARN }];
    expect(planLogGroup(group, filters, config).subscription).toEqual({
      kind: 'none',
      filterName: 'sagewatch-legacy',
    });
  });

  it('skips a group whose two slots belong to other tools, naming them', () => {
    const filters = [
      { filterName: 'datadog', destinationArn: FOREIGN },
      {
        filterName: 'splunk',
        destinationArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/splunk',
      },
    ];
    expect(planLogGroup(group, filters, config).subscription).toEqual({
      kind: 'skip-limit',
      foreignFilters: ['datadog', 'splunk'],
    });
  });

  it('asks for retention only when enabled and the group has none', () => {
    expect(planLogGroup(group, [], config)).not.toHaveProperty('retentionDays');
    expect(planLogGroup(group, [], withRetention).retentionDays).toBe(14);
    expect(planLogGroup({ ...group, retentionInDays: 365 }, [], withRetention)).not.toHaveProperty(
      'retentionDays',
    );
  });
});

describe('switching delivery between the processor and the stream', () => {
  const STREAM = 'arn:aws:kinesis:us-east-1:123456789012:stream/sagewatch-dev-logs';
  const ROLE = 'arn:aws:iam::123456789012:role/sagewatch-dev-logs-writer';
  const toStream = readSubscriptionConfig({
    PROCESSOR_FUNCTION_ARN: ARN,
    DELIVERY_STREAM_ARN: STREAM,
    DELIVERY_ROLE_ARN: ROLE,
  });
  const group = { name: '/aws/sagemaker/TrainingJobs' };
  const foreign = { filterName: 'datadog', destinationArn: FOREIGN };

  it('updates our filter from the processor to the stream, and leaves a foreign one alone', () => {
    const plan = planLogGroup(group, [{ filterName: 'sagewatch', destinationArn: ARN }, foreign], toStream);
    expect(plan.subscription).toEqual({ kind: 'update', previousDestinationArn: ARN });
  });

  it('updates our filter back from the stream to the processor', () => {
    const filters = [{ filterName: 'sagewatch', destinationArn: STREAM, roleArn: ROLE }, foreign];
    expect(planLogGroup(group, filters, config).subscription).toEqual({
      kind: 'update',
      previousDestinationArn: STREAM,
    });
  });

  it('updates our stream filter whose role is not ours, and keeps one that is right', () => {
    const stale = [{ filterName: 'sagewatch', destinationArn: STREAM, roleArn: `${ROLE}-old` }];
    expect(planLogGroup(group, stale, toStream).subscription.kind).toBe('update');
    const right = [{ filterName: 'sagewatch', destinationArn: STREAM, roleArn: ROLE }];
    expect(planLogGroup(group, right, toStream).subscription).toEqual({
      kind: 'none',
      filterName: 'sagewatch',
    });
  });

  it('counts a filter of our name on either destination as ours to remove, never a foreign one', () => {
    expect(isOwnFilter({ filterName: 'sagewatch', destinationArn: STREAM }, toStream)).toBe(true);
    expect(isOwnFilter({ filterName: 'sagewatch', destinationArn: ARN }, toStream)).toBe(true);
    expect(isOwnFilter({ filterName: 'sagewatch', destinationArn: FOREIGN }, toStream)).toBe(false);
    expect(isOwnFilter({ filterName: 'sagewatch' }, toStream)).toBe(false);
    expect(isOwnFilter({ filterName: 'datadog', destinationArn: STREAM }, toStream)).toBe(false);
  });
});

describe('isOwnFilter', () => {
  it('needs both our name and our destination', () => {
    expect(isOwnFilter({ filterName: 'sagewatch', destinationArn: ARN }, config)).toBe(true);
    expect(isOwnFilter({ filterName: 'sagewatch', destinationArn: FOREIGN }, config)).toBe(false);
    expect(isOwnFilter({ filterName: 'other', destinationArn: ARN }, config)).toBe(false);
  });
});

describe('orderForReconcile', () => {
  const now = 1_800_000_000_000;
  const old = (name: string) => ({ name, creationTime: now - RECENT_GROUP_WINDOW_MS - 1 });
  const groups = [
    old('/aws/sagemaker/c'),
    { name: '/aws/sagemaker/Endpoints/new-1', creationTime: now - 1000 },
    old('/aws/sagemaker/a'),
    { name: '/aws/sagemaker/no-time' },
    { name: '/aws/sagemaker/Endpoints/new-2', creationTime: now - 10 },
    old('/aws/sagemaker/b'),
  ];

  it('puts recent groups first (newest first), then the rest by name', () => {
    expect(orderForReconcile(groups, now, 0).map((g) => g.name)).toEqual([
      '/aws/sagemaker/Endpoints/new-2',
      '/aws/sagemaker/Endpoints/new-1',
      '/aws/sagemaker/a',
      '/aws/sagemaker/b',
      '/aws/sagemaker/c',
      '/aws/sagemaker/no-time',
    ]);
  });

  it('rotates the older part by the given fraction, wrapping around', () => {
    expect(
      orderForReconcile(groups, now, 0.5)
        .map((g) => g.name)
        .slice(2),
    ).toEqual(['/aws/sagemaker/c', '/aws/sagemaker/no-time', '/aws/sagemaker/a', '/aws/sagemaker/b']);
  });

  it('clamps a rotation outside [0, 1) and keeps every group exactly once', () => {
    const high = orderForReconcile(groups, now, 5).map((g) => g.name);
    expect(high.slice(2, 3)).toEqual(['/aws/sagemaker/no-time']);
    expect(orderForReconcile(groups, now, -1).map((g) => g.name)).toEqual(
      orderForReconcile(groups, now, 0).map((g) => g.name),
    );
    expect(new Set(high).size).toBe(groups.length);
  });

  it('keeps duplicate names (cannot happen in AWS) stable rather than failing', () => {
    const twice = [old('/aws/sagemaker/x'), old('/aws/sagemaker/x')];
    expect(orderForReconcile(twice, now, 0)).toHaveLength(2);
  });
});
