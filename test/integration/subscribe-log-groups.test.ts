/**
 * The subscriber against moto: real CloudWatch Logs semantics for paging, the two-filter limit and
 * retention. moto checks that a Lambda destination exists before it accepts PutSubscriptionFilter,
 * and @aws-sdk/client-lambda is not a dependency, so the destination functions are created with two
 * plain HTTP calls to moto's IAM and Lambda APIs (moto routes on the Authorization header's service
 * and does not verify signatures; the function's code is never run).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeSubscriptionFiltersCommand,
  PutRetentionPolicyCommand,
  PutSubscriptionFilterCommand,
  type SubscriptionFilter,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createLogsClient,
  reconcileLogGroups,
  removeSubscriptions,
  runSubscriptionTrigger,
  type SubscriberDeps,
} from '../../lib/aws/log-groups.ts';
import { mapLimited } from '../../lib/control-plane/run-limited.ts';
import { parseTrigger } from '../../lib/control-plane/triggers.ts';
import { readSubscriptionConfig } from '../../lib/subscriptions/config.ts';
import { captureOutput, fakeContext } from '../helpers/lambda-harness.ts';
import { createMotoFunction, motoClientConfig, resetMoto } from './moto.ts';

const ACCOUNT = '123456789012';
const PROCESSOR = 'sagewatch-it-process-logs';
const PROCESSOR_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${PROCESSOR}`;
const FOREIGN_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:datadog-forwarder`;
const OWN_GROUP = `/aws/lambda/${PROCESSOR}`;
const ENV = {
  PROCESSOR_FUNCTION_ARN: PROCESSOR_ARN,
  SUBSCRIPTION_FILTER_NAME: 'sagewatch-it',
  EXCLUDE_PATTERNS: '/aws/sagemaker/Endpoints/sm-epc-*',
  OWN_LOG_GROUP_PREFIX: '/aws/lambda/sagewatch-it-',
};

const client = (): CloudWatchLogsClient => createLogsClient(motoClientConfig());

async function createGroups(logs: CloudWatchLogsClient, names: readonly string[]): Promise<void> {
  const results = await mapLimited(names, 16, (logGroupName) =>
    logs.send(new CreateLogGroupCommand({ logGroupName })),
  );
  const failed = results.find((result) => result.status !== 'fulfilled');
  if (failed !== undefined) throw new Error(`creating log groups failed: ${JSON.stringify(failed)}`);
}

async function filtersOf(logs: CloudWatchLogsClient, logGroupName: string): Promise<SubscriptionFilter[]> {
  return (
    (await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName }))).subscriptionFilters ?? []
  );
}

async function retentionOf(logs: CloudWatchLogsClient, logGroupName: string): Promise<number | undefined> {
  const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName, limit: 1 }));
  return page.logGroups?.[0]?.retentionInDays;
}

function deps(logs: CloudWatchLogsClient, env: Record<string, string> = {}): SubscriberDeps {
  return { logs, config: readSubscriptionConfig({ ...ENV, ...env }), deadlineMs: Date.now() + 600_000 };
}

const ENDPOINT_GROUPS = Array.from(
  { length: 300 },
  (_, i) => `/aws/sagemaker/Endpoints/ep-${String(i).padStart(3, '0')}`,
);
const SHARED_GROUPS = [
  '/aws/sagemaker/TrainingJobs',
  '/aws/sagemaker/ProcessingJobs',
  '/aws/sagemaker/TransformJobs',
];
const ONE_FOREIGN = '/aws/sagemaker/Endpoints/shared-with-datadog';
const TWO_FOREIGN = '/aws/sagemaker/Endpoints/full-of-others';
const EXCLUDED = '/aws/sagemaker/Endpoints/sm-epc-load-test';
const KEEPS_RETENTION = '/aws/sagemaker/NotebookInstances';
const SUBSCRIBABLE = [...ENDPOINT_GROUPS, ...SHARED_GROUPS, ONE_FOREIGN, KEEPS_RETENTION];

describe('subscribe-log-groups against moto: hundreds of groups across pages', () => {
  const logs = client();

  beforeAll(async () => {
    await resetMoto();
    await createMotoFunction(PROCESSOR);
    await createMotoFunction('datadog-forwarder');
    await createGroups(logs, [...SUBSCRIBABLE, TWO_FOREIGN, EXCLUDED, OWN_GROUP]);
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: KEEPS_RETENTION, retentionInDays: 365 }));
    for (const [group, name] of [
      [ONE_FOREIGN, 'datadog'],
      [TWO_FOREIGN, 'datadog'],
      [TWO_FOREIGN, 'splunk'],
    ] as const) {
      await logs.send(
        new PutSubscriptionFilterCommand({
          logGroupName: group,
          filterName: name,
          filterPattern: '',
          destinationArn: FOREIGN_ARN,
        }),
      );
    }
  });

  it('subscribes every SageMaker group it may, and reports the rest', async () => {
    const report = await runSubscriptionTrigger(deps(logs), { kind: 'reconcile', source: 'schedule' });
    expect(report).toMatchObject({
      groupsSeen: SUBSCRIBABLE.length + 2,
      subscribed: SUBSCRIBABLE.length,
      alreadySubscribed: 0,
      skippedLimit: 1,
      excluded: 1,
      failed: 0,
      deferred: 0,
      retentionSet: 0,
      skippedLimitGroups: [{ logGroupName: TWO_FOREIGN, foreignFilters: ['datadog', 'splunk'] }],
    });
    const sample = await filtersOf(logs, ENDPOINT_GROUPS[299] ?? '');
    expect(sample).toMatchObject([
      { filterName: 'sagewatch-it', destinationArn: PROCESSOR_ARN, filterPattern: '' },
    ]);
  });

  it('shares a group with one foreign filter and never touches other filters', async () => {
    const shared = await filtersOf(logs, ONE_FOREIGN);
    expect(shared.map((f) => [f.filterName, f.destinationArn]).sort()).toEqual([
      ['datadog', FOREIGN_ARN],
      ['sagewatch-it', PROCESSOR_ARN],
    ]);
    expect((await filtersOf(logs, TWO_FOREIGN)).map((f) => f.filterName).sort()).toEqual([
      'datadog',
      'splunk',
    ]);
  });

  it("leaves excluded groups and sagewatch's own groups alone", async () => {
    expect(await filtersOf(logs, EXCLUDED)).toEqual([]);
    expect(await filtersOf(logs, OWN_GROUP)).toEqual([]);
    // Even when an event names the processor's own group directly.
    const event = JSON.parse(
      readFileSync(
        resolve(import.meta.dirname, '../fixtures/events/cloudtrail-create-log-group.json'),
        'utf8',
      ),
    );
    event.detail.requestParameters.logGroupName = OWN_GROUP;
    expect(await runSubscriptionTrigger(deps(logs), parseTrigger(event))).toBeUndefined();
    expect(await filtersOf(logs, OWN_GROUP)).toEqual([]);
  });

  it('changes nothing on a second run', async () => {
    const before = await filtersOf(logs, SHARED_GROUPS[0] ?? '');
    const outcomes = await reconcileLogGroups(deps(logs));
    const counts = Object.groupBy(outcomes, (o) => o.outcome);
    expect(Object.keys(counts).sort()).toEqual(['already-subscribed', 'excluded', 'skipped-limit']);
    expect(counts['already-subscribed']).toHaveLength(SUBSCRIBABLE.length);
    expect(await filtersOf(logs, SHARED_GROUPS[0] ?? '')).toEqual(before);
  });

  it('sets retention only when enabled, only where there is none', async () => {
    expect(await retentionOf(logs, ENDPOINT_GROUPS[0] ?? '')).toBeUndefined();
    const report = await runSubscriptionTrigger(deps(logs, { SET_RETENTION_DAYS: '14' }), {
      kind: 'reconcile',
      source: 'manual',
    });
    // Every selected group without retention: the subscribable ones but one, plus the full one.
    expect(report).toMatchObject({ retentionSet: SUBSCRIBABLE.length, subscribed: 0, retentionFailed: 0 });
    expect(await retentionOf(logs, ENDPOINT_GROUPS[0] ?? '')).toBe(14);
    expect(await retentionOf(logs, TWO_FOREIGN)).toBe(14);
    expect(await retentionOf(logs, KEEPS_RETENTION)).toBe(365);
    expect(await retentionOf(logs, EXCLUDED)).toBeUndefined();
    expect(await retentionOf(logs, OWN_GROUP)).toBeUndefined();
  });

  it('subscribes a group named by a CloudTrail CreateLogGroup event', async () => {
    const name = '/aws/sagemaker/Endpoints/churn-xgb-prod';
    await createGroups(logs, [name]);
    const event = JSON.parse(
      readFileSync(
        resolve(import.meta.dirname, '../fixtures/events/cloudtrail-create-log-group.json'),
        'utf8',
      ),
    );
    expect(await runSubscriptionTrigger(deps(logs), parseTrigger(event))).toMatchObject({ subscribed: 1 });
    expect(await filtersOf(logs, name)).toHaveLength(1);
  });

  it('removes only its own filters when sagewatch is removed', async () => {
    const outcomes = await removeSubscriptions(deps(logs));
    expect(outcomes.every((o) => o.outcome === 'unsubscribed')).toBe(true);
    expect(outcomes).toHaveLength(SUBSCRIBABLE.length + 1);
    expect((await filtersOf(logs, ONE_FOREIGN)).map((f) => f.filterName)).toEqual(['datadog']);
    expect((await filtersOf(logs, TWO_FOREIGN)).map((f) => f.filterName).sort()).toEqual([
      'datadog',
      'splunk',
    ]);
    expect(await filtersOf(logs, ENDPOINT_GROUPS[0] ?? '')).toEqual([]);
  });
});

describe('subscribe-log-groups against moto: the deployed handler', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reconciles on a scheduled event with clients built from the environment', async () => {
    await resetMoto();
    await createMotoFunction(PROCESSOR);
    await createGroups(client(), ['/aws/sagemaker/TrainingJobs', '/aws/sagemaker/Endpoints/a']);
    const { endpoint, region, credentials } = motoClientConfig();
    vi.resetModules();
    for (const [name, value] of Object.entries({
      ...ENV,
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    })) {
      vi.stubEnv(name, value);
    }
    const { handler } = await import('../../functions/subscribe-log-groups.ts');
    const output = captureOutput();
    try {
      await handler({ action: 'reconcile' }, fakeContext());
    } finally {
      output.restore();
    }
    const report = output.lines().find((line) => line.message === 'subscription run report')?.report;
    expect(report).toMatchObject({ trigger: 'manual', subscribed: 2, failed: 0 });
    expect(await filtersOf(client(), '/aws/sagemaker/Endpoints/a')).toHaveLength(1);
  });
});

describe('subscribe-log-groups against moto: 1,000 groups', () => {
  it('reconciles them all (the duration is printed, not asserted)', async () => {
    await resetMoto();
    await createMotoFunction(PROCESSOR);
    const logs = client();
    const names = Array.from(
      { length: 1000 },
      (_, i) => `/aws/sagemaker/Endpoints/load-${String(i).padStart(4, '0')}`,
    );
    await createGroups(logs, names);

    const first = await runSubscriptionTrigger(deps(logs), { kind: 'reconcile', source: 'schedule' });
    const second = await runSubscriptionTrigger(deps(logs), { kind: 'reconcile', source: 'schedule' });
    expect(first).toMatchObject({ groupsSeen: 1000, subscribed: 1000, failed: 0 });
    expect(second).toMatchObject({ groupsSeen: 1000, alreadySubscribed: 1000, subscribed: 0 });
    console.log(
      `[measure] reconcile of 1,000 log groups against moto: first run ${first?.durationMs} ms ` +
        `(1,000 subscribed), second run ${second?.durationMs} ms (nothing to do)`,
    );
  }, 300_000);
});
