import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CloudWatchLogsClient,
  DeleteSubscriptionFilterCommand,
  DescribeLogGroupsCommand,
  DescribeSubscriptionFiltersCommand,
  LimitExceededException,
  PutRetentionPolicyCommand,
  PutSubscriptionFilterCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../lib/errors.ts';
import { captureOutput, fakeContext, metricValue, startResponseServer } from '../helpers/lambda-harness.ts';

const PROCESSOR = 'arn:aws:lambda:us-east-1:123456789012:function:sagewatch-test-process-logs';
const FOREIGN = 'arn:aws:lambda:us-east-1:123456789012:function:datadog-forwarder';
const BASE_ENV = {
  AWS_REGION: 'us-east-1',
  PROCESSOR_FUNCTION_ARN: PROCESSOR,
  SUBSCRIPTION_FILTER_NAME: 'sagewatch-test',
  OWN_LOG_GROUP_PREFIX: '/aws/lambda/sagewatch-test-',
  EXCLUDE_PATTERNS: '/aws/sagemaker/Endpoints/sm-epc-*',
  METRICS_NAMESPACE: 'SageMaker/Logs',
};

const events = resolve(import.meta.dirname, '../fixtures/events');
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(resolve(events, name), 'utf8'));

const logs = mockClient(CloudWatchLogsClient);
let output: ReturnType<typeof captureOutput>;

async function loadHandler(env: Record<string, string> = {}) {
  vi.resetModules();
  for (const [name, value] of Object.entries({ ...BASE_ENV, ...env })) vi.stubEnv(name, value);
  return (await import('../../functions/subscribe-log-groups.ts')).handler;
}

function runReport(): Record<string, unknown> | undefined {
  return output.lines().find((line) => line.message === 'subscription run report')?.report as
    | Record<string, unknown>
    | undefined;
}

/** Four groups over two pages: unsubscribed, ours, full of foreign filters, excluded. */
function mockAccount(): void {
  logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/sagemaker/' }).resolves({
    logGroups: [
      { logGroupName: '/aws/sagemaker/TrainingJobs', creationTime: 1 },
      { logGroupName: '/aws/sagemaker/Endpoints/ours', creationTime: 1, retentionInDays: 30 },
    ],
    nextToken: 'page-2',
  });
  logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/sagemaker/', nextToken: 'page-2' }).resolves({
    logGroups: [
      { logGroupName: '/aws/sagemaker/Endpoints/full', creationTime: 1 },
      { logGroupName: '/aws/sagemaker/Endpoints/sm-epc-load', creationTime: 1 },
    ],
  });
  logs.on(DescribeSubscriptionFiltersCommand).resolves({ subscriptionFilters: [] });
  logs.on(DescribeSubscriptionFiltersCommand, { logGroupName: '/aws/sagemaker/Endpoints/ours' }).resolves({
    subscriptionFilters: [{ filterName: 'sagewatch-test', destinationArn: PROCESSOR, filterPattern: '' }],
  });
  logs.on(DescribeSubscriptionFiltersCommand, { logGroupName: '/aws/sagemaker/Endpoints/full' }).resolves({
    subscriptionFilters: [
      { filterName: 'datadog', destinationArn: FOREIGN },
      { filterName: 'splunk', destinationArn: FOREIGN },
    ],
  });
  logs.on(PutSubscriptionFilterCommand).resolves({});
  logs.on(PutRetentionPolicyCommand).resolves({});
  logs.on(DeleteSubscriptionFilterCommand).resolves({});
}

beforeEach(() => {
  logs.reset();
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  vi.unstubAllEnvs();
});

describe('subscribe-log-groups: scheduled reconcile', () => {
  it('subscribes what is missing, leaves ours, foreign-full and excluded groups alone, and reports', async () => {
    mockAccount();
    const handler = await loadHandler();
    await handler(fixture('scheduled-event.json'), fakeContext());

    const puts = logs.commandCalls(PutSubscriptionFilterCommand).map((call) => call.args[0].input);
    expect(puts).toEqual([
      {
        logGroupName: '/aws/sagemaker/TrainingJobs',
        filterName: 'sagewatch-test',
        filterPattern: '',
        destinationArn: PROCESSOR,
      },
    ]);
    // The excluded group's filters are never even read.
    const described = logs
      .commandCalls(DescribeSubscriptionFiltersCommand)
      .map((c) => c.args[0].input.logGroupName);
    expect(described).not.toContain('/aws/sagemaker/Endpoints/sm-epc-load');
    expect(logs.commandCalls(PutRetentionPolicyCommand)).toHaveLength(0);

    expect(runReport()).toMatchObject({
      trigger: 'schedule',
      groupsSeen: 4,
      subscribed: 1,
      alreadySubscribed: 1,
      skippedLimit: 1,
      excluded: 1,
      failed: 0,
      skippedLimitGroups: [
        { logGroupName: '/aws/sagemaker/Endpoints/full', foreignFilters: ['datadog', 'splunk'] },
      ],
    });
    const lines = output.lines();
    expect(metricValue(lines, 'SubscriptionsCreated')).toBe(1);
    expect(metricValue(lines, 'SubscriptionsSkippedLimit')).toBe(1);
    expect(metricValue(lines, 'SubscriptionsFailed')).toBe(0);
  });

  it('sets retention on groups without one when enabled', async () => {
    mockAccount();
    const handler = await loadHandler({ SET_RETENTION_DAYS: '30' });
    await handler(fixture('scheduled-event.json'), fakeContext());
    const retained = logs.commandCalls(PutRetentionPolicyCommand).map((call) => call.args[0].input);
    expect(retained).toHaveLength(2);
    expect(retained).toEqual(
      expect.arrayContaining([
        { logGroupName: '/aws/sagemaker/TrainingJobs', retentionInDays: 30 },
        { logGroupName: '/aws/sagemaker/Endpoints/full', retentionInDays: 30 },
      ]),
    );
    expect(runReport()).toMatchObject({ retentionSet: 2 });
  });

  it('logs and publishes the report, then fails the invocation when a group failed', async () => {
    mockAccount();
    const denied = new Error('not authorized');
    denied.name = 'AccessDeniedException';
    logs
      .on(DescribeSubscriptionFiltersCommand, { logGroupName: '/aws/sagemaker/TrainingJobs' })
      .rejects(denied);
    const handler = await loadHandler();
    await expect(handler(fixture('scheduled-event.json'), fakeContext())).rejects.toThrow(
      /1 log group operation\(s\) failed/,
    );
    expect(runReport()).toMatchObject({
      failed: 1,
      failedGroups: [
        { logGroupName: '/aws/sagemaker/TrainingJobs', error: 'AccessDeniedException: not authorized' },
      ],
    });
    expect(metricValue(output.lines(), 'SubscriptionsFailed')).toBe(1);
  });

  it('counts a lost race for the last free slot as skipped, and a vanished group as missing', async () => {
    mockAccount();
    logs
      .on(PutSubscriptionFilterCommand)
      .rejects(new LimitExceededException({ message: 'Resource limit exceeded.', $metadata: {} }));
    logs
      .on(DescribeSubscriptionFiltersCommand, { logGroupName: '/aws/sagemaker/Endpoints/full' })
      .rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    const handler = await loadHandler();
    await handler(fixture('scheduled-event.json'), fakeContext());
    expect(runReport()).toMatchObject({ subscribed: 0, skippedLimit: 1, missing: 1, failed: 0 });
  });

  it('defers every group when no time is left, without reading any filter', async () => {
    mockAccount();
    const handler = await loadHandler();
    await handler(fixture('scheduled-event.json'), fakeContext(10_000));
    expect(logs.commandCalls(DescribeSubscriptionFiltersCommand)).toHaveLength(0);
    expect(runReport()).toMatchObject({ deferred: 4, failed: 0 });
    expect(metricValue(output.lines(), 'LogGroupsDeferred')).toBe(4);
  });

  it('fails the invocation when the groups cannot even be listed', async () => {
    logs.on(DescribeLogGroupsCommand).rejects(new Error('network down'));
    const handler = await loadHandler();
    await expect(handler({ action: 'reconcile' }, fakeContext())).rejects.toThrow('network down');
  });
});

describe('subscribe-log-groups: CloudTrail CreateLogGroup', () => {
  it('subscribes the new group only', async () => {
    logs
      .on(DescribeLogGroupsCommand, {
        logGroupNamePrefix: '/aws/sagemaker/Endpoints/churn-xgb-prod',
        limit: 1,
      })
      .resolves({ logGroups: [{ logGroupName: '/aws/sagemaker/Endpoints/churn-xgb-prod' }] });
    logs.on(DescribeSubscriptionFiltersCommand).resolves({ subscriptionFilters: [] });
    logs.on(PutSubscriptionFilterCommand).resolves({});
    const handler = await loadHandler();
    await handler(fixture('cloudtrail-create-log-group.json'), fakeContext());
    expect(logs.commandCalls(PutSubscriptionFilterCommand).map((c) => c.args[0].input.logGroupName)).toEqual([
      '/aws/sagemaker/Endpoints/churn-xgb-prod',
    ]);
    expect(runReport()).toMatchObject({ trigger: 'log-group-created', groupsSeen: 1, subscribed: 1 });
  });

  it('reports a group that is not there (yet) as missing, without failing', async () => {
    logs
      .on(DescribeLogGroupsCommand)
      .resolves({ logGroups: [{ logGroupName: '/aws/sagemaker/Endpoints/churn-xgb-prod-2' }] });
    const handler = await loadHandler();
    await handler(fixture('cloudtrail-create-log-group.json'), fakeContext());
    expect(logs.commandCalls(PutSubscriptionFilterCommand)).toHaveLength(0);
    expect(runReport()).toMatchObject({ missing: 1, failed: 0 });
  });

  it('leaves an excluded group alone without any call', async () => {
    const handler = await loadHandler({ EXCLUDE_PATTERNS: '/aws/sagemaker/Endpoints/*' });
    await handler(fixture('cloudtrail-create-log-group.json'), fakeContext());
    expect(logs.calls()).toHaveLength(0);
    expect(runReport()).toMatchObject({ excluded: 1 });
  });

  it('fails when the group cannot be described', async () => {
    logs.on(DescribeLogGroupsCommand).rejects(new Error('throttled for good'));
    const handler = await loadHandler();
    await expect(handler(fixture('cloudtrail-create-log-group.json'), fakeContext())).rejects.toThrow(
      /failed/,
    );
    expect(runReport()).toMatchObject({ failedGroups: [{ error: 'Error: throttled for good' }] });
  });
});

describe('subscribe-log-groups: CloudFormation custom resource', () => {
  it('answers SUCCESS before the reconcile, with an empty Content-Type, and never fails the deploy', async () => {
    const server = await startResponseServer();
    try {
      mockAccount();
      logs.on(DescribeSubscriptionFiltersCommand).rejects(new Error('denied'));
      const handler = await loadHandler();
      const event = { ...fixture('cloudformation-custom-resource-create.json'), ResponseURL: server.url };
      await expect(handler(event, fakeContext())).resolves.toBeUndefined();
      expect(server.received).toHaveLength(1);
      expect(server.received[0]).toMatchObject({
        method: 'PUT',
        headers: { 'content-type': '' },
        body: {
          Status: 'SUCCESS',
          PhysicalResourceId: 'sagewatch-SubscribeLogGroupsAtDeploy',
          LogicalResourceId: 'SubscribeLogGroupsAtDeploy',
          RequestId: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
          StackId:
            'arn:aws:cloudformation:us-east-1:123456789012:stack/sagewatch-dev/0a1b2c3d-1111-2222-3333-444455556666',
        },
      });
      expect(runReport()).toMatchObject({ trigger: 'deploy', failed: 3 });
      // The pre-signed URL is a credential: it never reaches the log.
      expect(JSON.stringify(output.lines())).not.toContain('cfn-response');
    } finally {
      await server.close();
    }
  });

  it('on Delete removes only our filters, then answers with the count', async () => {
    const server = await startResponseServer();
    try {
      mockAccount();
      logs.on(DescribeSubscriptionFiltersCommand, { logGroupName: '/aws/sagemaker/TrainingJobs' }).resolves({
        subscriptionFilters: [
          { filterName: 'sagewatch-test', destinationArn: FOREIGN },
          { filterName: 'other', destinationArn: PROCESSOR },
        ],
      });
      const handler = await loadHandler();
      const event = {
        ...fixture('cloudformation-custom-resource-create.json'),
        RequestType: 'Delete',
        PhysicalResourceId: 'sagewatch-SubscribeLogGroupsAtDeploy',
        ResponseURL: server.url,
      };
      await handler(event, fakeContext());
      expect(logs.commandCalls(DeleteSubscriptionFilterCommand).map((c) => c.args[0].input)).toEqual([
        { logGroupName: '/aws/sagemaker/Endpoints/ours', filterName: 'sagewatch-test' },
      ]);
      expect(server.received[0]?.body).toMatchObject({ Status: 'SUCCESS', Reason: 'removed 1 filter(s)' });
      expect(runReport()).toMatchObject({ trigger: 'remove', unsubscribed: 1, groupsSeen: 1 });
    } finally {
      await server.close();
    }
  });

  it('still answers SUCCESS on Delete when listing fails', async () => {
    const server = await startResponseServer();
    try {
      logs.on(DescribeLogGroupsCommand).rejects(new Error('denied'));
      const handler = await loadHandler();
      const event = {
        ...fixture('cloudformation-custom-resource-create.json'),
        RequestType: 'Delete',
        PhysicalResourceId: 'p',
        ResponseURL: server.url,
      };
      await expect(handler(event, fakeContext())).resolves.toBeUndefined();
      expect(server.received[0]?.body).toMatchObject({ Status: 'SUCCESS', Reason: 'removal failed' });
      expect(output.lines().some((line) => line.message === 'subscription run failed')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('fails (so Lambda retries the answer) when the response URL refuses the PUT', async () => {
    const server = await startResponseServer(403);
    try {
      const handler = await loadHandler();
      const event = { ...fixture('cloudformation-custom-resource-create.json'), ResponseURL: server.url };
      await expect(handler(event, fakeContext())).rejects.toThrow(/HTTP 403/);
    } finally {
      await server.close();
    }
  });
});

describe('subscribe-log-groups: other events and configuration', () => {
  it('does nothing for an event it does not handle', async () => {
    const handler = await loadHandler();
    await handler(fixture('sagemaker-endpoint-state-change.json'), fakeContext());
    await handler({ unexpected: true }, fakeContext());
    expect(logs.calls()).toHaveLength(0);
    const skipped = output.lines().filter((line) => line.message === 'nothing to do for this event');
    expect(skipped.map((line) => (line.trigger as { kind: string }).kind)).toEqual([
      'endpoint-state-change',
      'unrecognised',
    ]);
  });

  it('throws a bad configuration at the first invocation, naming the variable', async () => {
    // Compared by name: resetModules gives the function its own copy of the ConfigError class.
    const badArn = await loadHandler({ PROCESSOR_FUNCTION_ARN: 'not-an-arn' });
    await expect(badArn(fixture('scheduled-event.json'), fakeContext())).rejects.toMatchObject({
      name: ConfigError.name,
      variable: 'PROCESSOR_FUNCTION_ARN',
    });
    const badRetention = await loadHandler({ SET_RETENTION_DAYS: '10' });
    await expect(badRetention(fixture('scheduled-event.json'), fakeContext())).rejects.toThrow(
      /^SET_RETENTION_DAYS/,
    );
    expect(logs.calls()).toHaveLength(0);
  });

  it('fails the deploy at once on a bad configuration, but never blocks removing the stack', async () => {
    const server = await startResponseServer();
    try {
      const handler = await loadHandler({ INCLUDE_PATTERNS: 're:([' });
      const create = { ...fixture('cloudformation-custom-resource-create.json'), ResponseURL: server.url };
      await expect(handler(create, fakeContext())).rejects.toThrow(/^INCLUDE_PATTERNS/);
      expect(server.received[0]?.body).toMatchObject({
        Status: 'FAILED',
        Reason: expect.stringMatching(/^INCLUDE_PATTERNS: pattern 're:\(\['/),
      });
      const remove = { ...create, RequestType: 'Delete', PhysicalResourceId: 'p' };
      await expect(handler(remove, fakeContext())).rejects.toThrow(/^INCLUDE_PATTERNS/);
      expect(server.received[1]?.body).toMatchObject({ Status: 'SUCCESS' });
    } finally {
      await server.close();
    }
  });
});
