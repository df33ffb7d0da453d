import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  type MetricAlarm,
  PutMetricAlarmCommand,
  TagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  ListEndpointsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, fakeContext, metricValue, startResponseServer } from '../helpers/lambda-harness.ts';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:sagewatch-test-alerts';
const BASE_ENV = { AWS_REGION: 'us-east-1', STAGE: 'test', ALERTS_TOPIC_ARN: TOPIC };
const ENDPOINT = 'churn-xgb-prod';
const PREFIX = `sagewatch-test/${ENDPOINT}/`;

const events = resolve(import.meta.dirname, '../fixtures/events');
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(resolve(events, name), 'utf8'));
const stateChange = (status: string): Record<string, unknown> => {
  const event = fixture('sagemaker-endpoint-state-change.json');
  return { ...event, detail: { ...(event.detail as object), EndpointStatus: status } };
};

const sagemaker = mockClient(SageMakerClient);
const cloudwatch = mockClient(CloudWatchClient);
let output: ReturnType<typeof captureOutput>;

async function loadHandler(env: Record<string, string> = {}) {
  vi.resetModules();
  for (const [name, value] of Object.entries({ ...BASE_ENV, ...env })) vi.stubEnv(name, value);
  return (await import('../../functions/manage-endpoint-alarms.ts')).handler;
}

function runReport(): Record<string, unknown> | undefined {
  return output.lines().find((line) => line.message === 'endpoint alarm run report')?.report as
    | Record<string, unknown>
    | undefined;
}

const alarmNames = (variant: string): string[] =>
  ['Invocation5XXErrors', 'ModelLatency', 'ContainerHttp5XX', 'ErrorEvents'].map(
    (kind) => `${PREFIX}${variant}/${kind}`,
  );

function putNames(): string[] {
  return cloudwatch.commandCalls(PutMetricAlarmCommand).map((call) => call.args[0].input.AlarmName ?? '');
}

beforeEach(() => {
  sagemaker.reset();
  cloudwatch.reset();
  cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  cloudwatch.on(PutMetricAlarmCommand).resolves({});
  cloudwatch.on(DeleteAlarmsCommand).resolves({});
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  vi.unstubAllEnvs();
});

describe('manage-endpoint-alarms: endpoint state changes', () => {
  it('creates the standard alarms for every variant when the endpoint is in service', async () => {
    sagemaker.on(DescribeEndpointCommand, { EndpointName: ENDPOINT }).resolves({
      EndpointName: ENDPOINT,
      EndpointStatus: 'InService',
      ProductionVariants: [{ VariantName: 'AllTraffic' }, { VariantName: 'Canary' }],
    });
    const handler = await loadHandler();
    await handler(stateChange('IN_SERVICE'), fakeContext());

    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input).toMatchObject({
      AlarmNamePrefix: PREFIX,
    });
    expect(putNames().sort()).toEqual([...alarmNames('AllTraffic'), ...alarmNames('Canary')].sort());
    const latency = cloudwatch
      .commandCalls(PutMetricAlarmCommand)
      .find((call) => call.args[0].input.MetricName === 'ModelLatency')?.args[0].input;
    expect(latency).toMatchObject({ ExtendedStatistic: 'p99', Threshold: 2_000_000, AlarmActions: [TOPIC] });
    expect(latency?.Tags).toContainEqual({ Key: 'sagewatch:endpoint', Value: ENDPOINT });
    expect(runReport()).toMatchObject({
      trigger: 'endpoint-state-change',
      endpoints: 1,
      created: 8,
      failed: 0,
    });
    expect(metricValue(output.lines(), 'EndpointAlarmsCreated')).toBe(8);
  });

  it('reads the variants from the endpoint config when the endpoint lists none yet', async () => {
    sagemaker.on(DescribeEndpointCommand).resolves({
      EndpointName: ENDPOINT,
      EndpointStatus: 'InService',
      EndpointConfigName: 'cfg',
    });
    sagemaker
      .on(DescribeEndpointConfigCommand, { EndpointConfigName: 'cfg' })
      .resolves({ ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm' }] });
    const handler = await loadHandler({ ENDPOINT_ALARMS: 'ErrorEvents' });
    await handler(stateChange('IN_SERVICE'), fakeContext());
    expect(putNames()).toEqual([`${PREFIX}AllTraffic/ErrorEvents`]);
  });

  it('changes nothing on a second, identical event', async () => {
    sagemaker.on(DescribeEndpointCommand).resolves({
      EndpointStatus: 'InService',
      ProductionVariants: [{ VariantName: 'AllTraffic' }],
    });
    const handler = await loadHandler();
    await handler(stateChange('IN_SERVICE'), fakeContext());
    const existing = cloudwatch.commandCalls(PutMetricAlarmCommand).map(({ args }) => {
      const { Tags: _tags, ...alarm } = args[0].input;
      return alarm as MetricAlarm;
    });
    cloudwatch.resetHistory();
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: existing });
    await handler(stateChange('IN_SERVICE'), fakeContext());
    expect(cloudwatch.commandCalls(PutMetricAlarmCommand)).toHaveLength(0);
    expect(cloudwatch.commandCalls(DeleteAlarmsCommand)).toHaveLength(0);
  });

  it('re-tags kept alarms whose tags are missing (PutMetricAlarm ignores tags on update)', async () => {
    sagemaker.on(DescribeEndpointCommand).resolves({
      EndpointStatus: 'InService',
      ProductionVariants: [{ VariantName: 'AllTraffic' }],
    });
    const handler = await loadHandler();
    await handler(stateChange('IN_SERVICE'), fakeContext());
    const definitions = cloudwatch.commandCalls(PutMetricAlarmCommand).map(({ args }) => args[0].input);
    const existing = definitions.map(({ Tags: _tags, ...alarm }) => ({
      ...alarm,
      AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarm.AlarmName}`,
    })) as MetricAlarm[];
    const untagged = `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${PREFIX}AllTraffic/ErrorEvents`;
    cloudwatch.resetHistory();
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: existing });
    cloudwatch.on(TagResourceCommand).resolves({});
    cloudwatch.on(ListTagsForResourceCommand).callsFake(({ ResourceARN }: { ResourceARN: string }) => {
      const definition = definitions.find((d) => ResourceARN.endsWith(`:alarm:${d.AlarmName}`));
      // One alarm lost a tag and holds another with a stale value; the rest are complete.
      if (ResourceARN === untagged) {
        return {
          Tags: [
            { Key: 'managed-by', Value: 'sagewatch' },
            { Key: 'sagewatch:stage', Value: 'old' },
          ],
        };
      }
      return { Tags: definition?.Tags ?? [] };
    });
    await handler(stateChange('IN_SERVICE'), fakeContext());
    expect(cloudwatch.commandCalls(PutMetricAlarmCommand)).toHaveLength(0);
    expect(cloudwatch.commandCalls(ListTagsForResourceCommand)).toHaveLength(4);
    const tagged = cloudwatch.commandCalls(TagResourceCommand).map(({ args }) => args[0].input);
    expect(tagged).toEqual([
      {
        ResourceARN: untagged,
        Tags: expect.arrayContaining([
          { Key: 'sagewatch:stage', Value: 'test' },
          { Key: 'sagewatch:alarm', Value: 'ErrorEvents' },
        ]),
      },
    ]);
    expect(tagged[0]?.Tags).not.toContainEqual({ Key: 'managed-by', Value: 'sagewatch' });
    const reports = output.lines().filter((line) => line.message === 'endpoint alarm run report');
    expect(reports.at(-1)?.report).toMatchObject({ unchanged: 4, retagged: 1 });
    expect(output.lines().some((line) => JSON.stringify(line).includes('"EndpointAlarmsRetagged":1'))).toBe(
      true,
    );
  });

  it('acts on the current state, not the event: an InService event for a deleted endpoint removes alarms', async () => {
    const gone = new Error(
      `Could not find endpoint "arn:aws:sagemaker:us-east-1:123456789012:endpoint/${ENDPOINT}".`,
    );
    gone.name = 'ValidationException';
    sagemaker.on(DescribeEndpointCommand).rejects(gone);
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: alarmNames('AllTraffic').map((AlarmName) => ({ AlarmName })) });
    const handler = await loadHandler();
    await handler(stateChange('IN_SERVICE'), fakeContext());
    expect(cloudwatch.commandCalls(DeleteAlarmsCommand)[0]?.args[0].input.AlarmNames).toEqual(
      alarmNames('AllTraffic'),
    );
    expect(runReport()).toMatchObject({ deleted: 4, created: 0 });
  });

  it('deletes the alarms while the endpoint is being deleted', async () => {
    sagemaker.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'Deleting' });
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: alarmNames('AllTraffic').map((AlarmName) => ({ AlarmName })) });
    const handler = await loadHandler();
    await handler(stateChange('DELETING'), fakeContext());
    expect(cloudwatch.commandCalls(DeleteAlarmsCommand)).toHaveLength(1);
    expect(metricValue(output.lines(), 'EndpointAlarmsDeleted')).toBe(4);
  });

  it('leaves alarms alone while the endpoint is being created', async () => {
    sagemaker.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'Creating' });
    const handler = await loadHandler();
    await handler(stateChange('CREATING'), fakeContext());
    expect(cloudwatch.calls()).toHaveLength(0);
  });

  it('fails the invocation after reporting when an AWS call fails', async () => {
    sagemaker.on(DescribeEndpointCommand).resolves({
      EndpointStatus: 'InService',
      ProductionVariants: [{ VariantName: 'AllTraffic' }],
    });
    cloudwatch.on(PutMetricAlarmCommand).rejects(new Error('LimitExceeded'));
    const handler = await loadHandler();
    await expect(handler(stateChange('IN_SERVICE'), fakeContext())).rejects.toThrow(/1 endpoint\(s\) failed/);
    expect(runReport()).toMatchObject({
      failed: 1,
      failures: [{ endpointName: ENDPOINT, error: 'Error: LimitExceeded' }],
    });
    expect(metricValue(output.lines(), 'EndpointAlarmsFailed')).toBe(1);
  });

  it('also fails when DescribeEndpoint fails for another reason', async () => {
    sagemaker.on(DescribeEndpointCommand).rejects(new Error('AccessDenied'));
    const handler = await loadHandler();
    await expect(handler(stateChange('IN_SERVICE'), fakeContext())).rejects.toThrow(/failed/);
  });
});

describe('manage-endpoint-alarms: log groups, schedules, custom resources', () => {
  it('syncs the endpoint of a new endpoint log group and ignores other groups', async () => {
    sagemaker.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'Creating' });
    const handler = await loadHandler();
    await handler(fixture('cloudtrail-create-log-group.json'), fakeContext());
    expect(sagemaker.commandCalls(DescribeEndpointCommand)[0]?.args[0].input).toEqual({
      EndpointName: ENDPOINT,
    });
    expect(runReport()).toMatchObject({ trigger: 'log-group-created', endpoints: 1 });

    const training = fixture('cloudtrail-create-log-group.json');
    (training.detail as { requestParameters: object }).requestParameters = {
      logGroupName: '/aws/sagemaker/TrainingJobs',
    };
    sagemaker.resetHistory();
    await handler(training, fakeContext());
    expect(sagemaker.calls()).toHaveLength(0);
  });

  it('on schedule, syncs every endpoint and deletes the alarms of endpoints that are gone', async () => {
    sagemaker.on(ListEndpointsCommand).resolves({
      Endpoints: [
        {
          EndpointName: ENDPOINT,
          EndpointArn: `arn:aws:sagemaker:us-east-1:123456789012:endpoint/${ENDPOINT}`,
          EndpointStatus: 'InService',
          CreationTime: new Date(),
          LastModifiedTime: new Date(),
        },
      ],
    });
    sagemaker.on(DescribeEndpointCommand).resolves({
      EndpointStatus: 'InService',
      ProductionVariants: [{ VariantName: 'AllTraffic' }],
    });
    cloudwatch
      .on(DescribeAlarmsCommand, { AlarmNamePrefix: 'sagewatch-test/', AlarmTypes: ['MetricAlarm'] })
      .resolves({
        MetricAlarms: [
          { AlarmName: 'sagewatch-test/old-endpoint/AllTraffic/ErrorEvents' },
          { AlarmName: 'sagewatch-test/old-endpoint/AllTraffic/ModelLatency' },
        ],
      });
    const handler = await loadHandler();
    await handler(fixture('scheduled-event.json'), fakeContext());
    expect(putNames().sort()).toEqual(alarmNames('AllTraffic').sort());
    expect(cloudwatch.commandCalls(DeleteAlarmsCommand)[0]?.args[0].input.AlarmNames).toEqual([
      'sagewatch-test/old-endpoint/AllTraffic/ErrorEvents',
      'sagewatch-test/old-endpoint/AllTraffic/ModelLatency',
    ]);
    expect(runReport()).toMatchObject({ trigger: 'schedule', endpoints: 2, created: 4, deleted: 2 });
  });

  it('reports a failed orphan deletion', async () => {
    sagemaker.on(ListEndpointsCommand).resolves({ Endpoints: [] });
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [{ AlarmName: 'sagewatch-test/old/AllTraffic/ErrorEvents' }] });
    cloudwatch.on(DeleteAlarmsCommand).rejects(new Error('denied'));
    const handler = await loadHandler();
    await expect(handler({ action: 'reconcile' }, fakeContext())).rejects.toThrow(/failed/);
    expect(runReport()).toMatchObject({
      trigger: 'manual',
      failures: [{ endpointName: 'old', error: 'Error: denied' }],
    });
  });

  it('answers a custom resource Create at once, then reconciles', async () => {
    const server = await startResponseServer();
    try {
      sagemaker.on(ListEndpointsCommand).resolves({ Endpoints: [] });
      const handler = await loadHandler();
      const event = { ...fixture('cloudformation-custom-resource-create.json'), ResponseURL: server.url };
      await handler(event, fakeContext());
      expect(server.received[0]?.body).toMatchObject({
        Status: 'SUCCESS',
        Reason: 'reconcile started; see the function log',
      });
      expect(runReport()).toMatchObject({ trigger: 'deploy' });
    } finally {
      await server.close();
    }
  });

  it('on custom resource Delete removes every alarm of the stage, then answers; never fails', async () => {
    const server = await startResponseServer();
    try {
      cloudwatch.on(DescribeAlarmsCommand).resolves({
        MetricAlarms: [
          { AlarmName: 'sagewatch-test/a/AllTraffic/ErrorEvents' },
          { AlarmName: 'sagewatch-test/b/V/ErrorEvents' },
        ],
      });
      const handler = await loadHandler();
      const event = {
        ...fixture('cloudformation-custom-resource-create.json'),
        RequestType: 'Delete',
        PhysicalResourceId: 'x',
        ResponseURL: server.url,
      };
      await handler(event, fakeContext());
      expect(cloudwatch.commandCalls(DeleteAlarmsCommand)).toHaveLength(2);
      expect(server.received[0]?.body).toMatchObject({ Status: 'SUCCESS', Reason: 'removed 2 alarm(s)' });

      cloudwatch.on(DescribeAlarmsCommand).rejects(new Error('denied'));
      await expect(handler(event, fakeContext())).resolves.toBeUndefined();
      expect(server.received[1]?.body).toMatchObject({
        Status: 'SUCCESS',
        Reason: 'removal failed; see the log',
      });
    } finally {
      await server.close();
    }
  });

  it('does nothing for events it does not handle, and refuses a bad STAGE', async () => {
    const handler = await loadHandler();
    const trail = fixture('cloudtrail-create-log-group.json');
    const otherGroup = { ...(trail.detail as object), requestParameters: { logGroupName: '/aws/lambda/x' } };
    await handler({ ...trail, detail: otherGroup }, fakeContext());
    await handler({ something: 'else' }, fakeContext());
    expect(sagemaker.calls()).toHaveLength(0);
    const lines = output.lines();
    // A recognised event that asks for nothing is routine: INFO, no metric.
    expect(lines.find((line) => line.message === 'nothing to do for this event')).toMatchObject({
      level: 'INFO',
    });
    // An event of an unknown shape is a warning and a metric, once per such event.
    const warned = lines.filter((line) => line.message === 'unrecognised event');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ level: 'WARN', trigger: { kind: 'unrecognised' } });
    expect(metricValue(lines, 'EndpointAlarmEventsUnrecognised')).toBe(1);
    const badStage = await loadHandler({ STAGE: 'a/b' });
    await expect(badStage(stateChange('IN_SERVICE'), fakeContext())).rejects.toMatchObject({
      name: 'ConfigError',
      variable: 'STAGE',
    });
    expect(sagemaker.calls()).toHaveLength(0);
  });
});
