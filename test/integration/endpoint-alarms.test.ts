/**
 * The endpoint alarm manager against moto: SageMaker endpoints (model → endpoint config → endpoint)
 * and CloudWatch alarms with tags. moto marks a new endpoint InService at once and forgets a deleted
 * one at once, which is exactly the pair of states the manager reacts to.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  type MetricAlarm,
  PutMetricAlarmCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AlarmDeps,
  createCloudWatchClient,
  createSageMakerClient,
  runAlarmTrigger,
} from '../../lib/aws/endpoint-alarms.ts';
import { parseTrigger } from '../../lib/control-plane/triggers.ts';
import { readEndpointAlarmConfig } from '../../lib/endpoint-alarms/config.ts';
import { motoClientConfig, resetMoto } from './moto.ts';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:sagewatch-it-alerts';
const ENV = { STAGE: 'it', ALERTS_TOPIC_ARN: TOPIC };

const stateChange = (endpointName: string, status: string): unknown => {
  const event = JSON.parse(
    readFileSync(
      resolve(import.meta.dirname, '../fixtures/events/sagemaker-endpoint-state-change.json'),
      'utf8',
    ),
  );
  event.detail.EndpointName = endpointName;
  event.detail.EndpointStatus = status;
  return event;
};

async function createEndpoint(
  sagemaker: SageMakerClient,
  name: string,
  variants: readonly string[],
): Promise<void> {
  await sagemaker.send(
    new CreateModelCommand({
      ModelName: `${name}-model`,
      ExecutionRoleArn: 'arn:aws:iam::123456789012:role/sagemaker-it',
      PrimaryContainer: { Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest' },
    }),
  );
  await sagemaker.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: `${name}-config`,
      ProductionVariants: variants.map((VariantName) => ({
        VariantName,
        ModelName: `${name}-model`,
        InstanceType: 'ml.m5.large',
        InitialInstanceCount: 1,
        InitialVariantWeight: 1,
      })),
    }),
  );
  await sagemaker.send(
    new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: `${name}-config` }),
  );
}

async function alarmsUnder(cloudwatch: CloudWatchClient, prefix: string): Promise<MetricAlarm[]> {
  return (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: prefix }))).MetricAlarms ?? [];
}

describe('endpoint alarms against moto', () => {
  const sagemaker = createSageMakerClient(motoClientConfig());
  const cloudwatch = createCloudWatchClient(motoClientConfig());
  const deps = (env: Record<string, string> = {}): AlarmDeps => ({
    sagemaker,
    cloudwatch,
    config: readEndpointAlarmConfig({ ...ENV, ...env }),
  });

  beforeAll(async () => {
    await resetMoto();
    await createEndpoint(sagemaker, 'churn-xgb', ['AllTraffic', 'Canary']);
    // Someone else's alarms, and another stage's: never touched.
    for (const AlarmName of ['team-churn-latency', 'sagewatch-other/churn-xgb/AllTraffic/ErrorEvents']) {
      await cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName,
          Namespace: 'AWS/SageMaker',
          MetricName: 'ModelLatency',
          Statistic: 'Average',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
    }
  });

  it('creates the standard set for each variant of a new endpoint, wired and tagged', async () => {
    const report = await runAlarmTrigger(deps(), parseTrigger(stateChange('churn-xgb', 'IN_SERVICE')));
    expect(report).toMatchObject({ endpoints: 1, created: 8, updated: 0, deleted: 0, failed: 0 });

    const alarms = await alarmsUnder(cloudwatch, 'sagewatch-it/churn-xgb/');
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(
      ['AllTraffic', 'Canary']
        .flatMap((variant) =>
          ['ContainerHttp5XX', 'ErrorEvents', 'Invocation5XXErrors', 'ModelLatency'].map(
            (kind) => `sagewatch-it/churn-xgb/${variant}/${kind}`,
          ),
        )
        .sort(),
    );
    const latency = alarms.find((a) => a.AlarmName === 'sagewatch-it/churn-xgb/Canary/ModelLatency');
    expect(latency).toMatchObject({
      Namespace: 'AWS/SageMaker',
      ExtendedStatistic: 'p99',
      Threshold: 2_000_000,
      AlarmActions: [TOPIC],
      OKActions: [TOPIC],
      TreatMissingData: 'notBreaching',
    });
    expect(latency?.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'EndpointName', Value: 'churn-xgb' },
        { Name: 'VariantName', Value: 'Canary' },
      ]),
    );
    const errors = alarms.find((a) => a.AlarmName === 'sagewatch-it/churn-xgb/AllTraffic/ErrorEvents');
    expect(errors).toMatchObject({ Namespace: 'SageMaker/Logs', Statistic: 'Sum', Threshold: 10 });

    const tags = await cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: latency?.AlarmArn }));
    expect(tags.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'managed-by', Value: 'sagewatch' },
        { Key: 'sagewatch:stage', Value: 'it' },
        { Key: 'sagewatch:endpoint', Value: 'churn-xgb' },
        { Key: 'sagewatch:variant', Value: 'Canary' },
        { Key: 'sagewatch:alarm', Value: 'ModelLatency' },
      ]),
    );
  });

  it('changes nothing when the same event arrives again', async () => {
    const report = await runAlarmTrigger(deps(), parseTrigger(stateChange('churn-xgb', 'IN_SERVICE')));
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 8, deleted: 0 });
  });

  it('puts back the tags an alarm it keeps has lost (PutMetricAlarm ignores tags on update)', async () => {
    const { MetricAlarms } = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: ['sagewatch-it/churn-xgb/Canary/ModelLatency'] }),
    );
    const arn = MetricAlarms?.[0]?.AlarmArn;
    await cloudwatch.send(
      new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['sagewatch:endpoint', 'sagewatch:variant'] }),
    );
    const report = await runAlarmTrigger(deps(), parseTrigger(stateChange('churn-xgb', 'IN_SERVICE')));
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 8, retagged: 1 });
    const tags = await cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
    expect(tags.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'sagewatch:endpoint', Value: 'churn-xgb' },
        { Key: 'sagewatch:variant', Value: 'Canary' },
      ]),
    );
    const again = await runAlarmTrigger(deps(), parseTrigger(stateChange('churn-xgb', 'IN_SERVICE')));
    expect(again).toMatchObject({ retagged: 0 });
  });

  it('updates only the alarms whose threshold changed, and drops alarms taken out of the set', async () => {
    const changed = await runAlarmTrigger(
      deps({ ALARM_MODEL_LATENCY_P99_MS: '500' }),
      parseTrigger(stateChange('churn-xgb', 'InService')),
    );
    expect(changed).toMatchObject({ created: 0, updated: 2, unchanged: 6 });
    const latency = await alarmsUnder(cloudwatch, 'sagewatch-it/churn-xgb/AllTraffic/ModelLatency');
    expect(latency[0]?.Threshold).toBe(500_000);

    const fewer = await runAlarmTrigger(
      deps({ ALARM_MODEL_LATENCY_P99_MS: '500', ENDPOINT_ALARMS: 'ModelLatency,ErrorEvents' }),
      parseTrigger(stateChange('churn-xgb', 'IN_SERVICE')),
    );
    expect(fewer).toMatchObject({ deleted: 4, unchanged: 4 });
    expect(await alarmsUnder(cloudwatch, 'sagewatch-it/churn-xgb/')).toHaveLength(4);
  });

  it('removes the alarms when the endpoint is deleted, leaving other alarms alone', async () => {
    await sagemaker.send(new DeleteEndpointCommand({ EndpointName: 'churn-xgb' }));
    const report = await runAlarmTrigger(deps(), parseTrigger(stateChange('churn-xgb', 'DELETING')));
    expect(report).toMatchObject({ deleted: 4, failed: 0 });
    expect(await alarmsUnder(cloudwatch, 'sagewatch-it/')).toEqual([]);
    expect((await alarmsUnder(cloudwatch, 'team-churn-latency')).length).toBe(1);
    expect((await alarmsUnder(cloudwatch, 'sagewatch-other/')).length).toBe(1);
  });

  it('on schedule, gives existing endpoints their alarms and clears alarms left by vanished ones', async () => {
    await createEndpoint(sagemaker, 'fraud-v2', ['AllTraffic']);
    await createEndpoint(sagemaker, 'short-lived', ['AllTraffic']);
    await runAlarmTrigger(deps(), parseTrigger(stateChange('short-lived', 'IN_SERVICE')));
    // Deleted while no event reached sagewatch.
    await sagemaker.send(new DeleteEndpointCommand({ EndpointName: 'short-lived' }));

    const report = await runAlarmTrigger(deps(), { kind: 'reconcile', source: 'schedule' });
    expect(report).toMatchObject({ created: 4, deleted: 4, failed: 0 });
    expect(await alarmsUnder(cloudwatch, 'sagewatch-it/fraud-v2/')).toHaveLength(4);
    expect(await alarmsUnder(cloudwatch, 'sagewatch-it/short-lived/')).toEqual([]);
  });
});
