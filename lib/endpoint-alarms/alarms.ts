/**
 * The standard CloudWatch alarms of a SageMaker endpoint, as PutMetricAlarm inputs in plain data.
 *
 * Names are `sagewatch-<stage>/<endpoint>/<variant>/<alarm>`. The `/` separator matters: endpoint
 * and variant names may contain `-` but never `/`, so `sagewatch-<stage>/<endpoint>/` is a prefix
 * that matches exactly one endpoint's alarms (with `-` as the separator, the prefix of `my-ep` would
 * also match the alarms of `my-ep-2`).
 */
import type { EndpointAlarmConfig, EndpointAlarmKind } from './config.ts';

/** Separates the parts of an alarm name; never part of a stage, endpoint or variant name. */
export const ALARM_NAME_SEPARATOR = '/';

/** PutMetricAlarm: alarm names are 1-255 characters. */
export const MAX_ALARM_NAME_LENGTH = 255;

/** PutMetricAlarm: descriptions are at most 1,024 characters. */
export const MAX_ALARM_DESCRIPTION_LENGTH = 1024;

/** SageMaker publishes ModelLatency in microseconds; thresholds are configured in milliseconds. */
export const MICROSECONDS_PER_MILLISECOND = 1000;

/** SageMaker's own endpoint metrics. */
export const SAGEMAKER_NAMESPACE = 'AWS/SageMaker';

/** Every alarm looks at 5-minute periods: fine enough for paging, coarse enough not to flap. */
export const ALARM_PERIOD_SECONDS = 300;

/** A PutMetricAlarm input as data: the field names are the API's, so it can be sent as is. */
export interface AlarmDefinition {
  AlarmName: string;
  AlarmDescription: string;
  ActionsEnabled: boolean;
  AlarmActions: string[];
  OKActions: string[];
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
  Statistic?: 'Sum';
  ExtendedStatistic?: string;
  Period: number;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  Threshold: number;
  ComparisonOperator: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold';
  TreatMissingData: 'notBreaching';
  Tags: { Key: string; Value: string }[];
}

interface AlarmSpec {
  namespace: (config: EndpointAlarmConfig) => string;
  metricName: string;
  statistic: { Statistic: 'Sum' } | { ExtendedStatistic: string };
  evaluationPeriods: number;
  datapointsToAlarm: number;
  comparison: AlarmDefinition['ComparisonOperator'];
  threshold: (config: EndpointAlarmConfig) => number;
  /** What breaching means, for the description a person reads in the alert. */
  summary: (config: EndpointAlarmConfig) => string;
}

const sagemaker = (): string => SAGEMAKER_NAMESPACE;
const sagewatch = (config: EndpointAlarmConfig): string => config.metricsNamespace;

const ALARM_SPECS: Record<EndpointAlarmKind, AlarmSpec> = {
  Invocation5XXErrors: {
    namespace: sagemaker,
    metricName: 'Invocation5XXErrors',
    statistic: { Statistic: 'Sum' },
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: (config) => config.http5xxThreshold,
    summary: (config) =>
      `SageMaker counted at least ${config.http5xxThreshold} 5XX invocation errors in 5 minutes`,
  },
  ModelLatency: {
    namespace: sagemaker,
    metricName: 'ModelLatency',
    statistic: { ExtendedStatistic: 'p99' },
    // Two of three periods: one slow burst (a cold model, a big batch) should not page anyone.
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    comparison: 'GreaterThanThreshold',
    threshold: (config) => config.modelLatencyP99Ms * MICROSECONDS_PER_MILLISECOND,
    summary: (config) =>
      `p99 model latency above ${config.modelLatencyP99Ms} ms (${config.modelLatencyP99Ms * MICROSECONDS_PER_MILLISECOND} microseconds, SageMaker's unit) in 2 of 3 5-minute periods`,
  },
  ContainerHttp5XX: {
    namespace: sagewatch,
    metricName: 'ContainerHttp5XX',
    statistic: { Statistic: 'Sum' },
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: (config) => config.http5xxThreshold,
    summary: (config) =>
      `the serving container's access log shows at least ${config.http5xxThreshold} 5XX responses in 5 minutes`,
  },
  ErrorEvents: {
    namespace: sagewatch,
    metricName: 'ErrorEvents',
    statistic: { Statistic: 'Sum' },
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: (config) => config.errorEventsThreshold,
    summary: (config) => `at least ${config.errorEventsThreshold} error log events in 5 minutes`,
  },
};

/** `sagewatch-<stage>/`: the prefix of every alarm this stage manages. */
export function toStageAlarmPrefix(config: EndpointAlarmConfig): string {
  return `${config.alarmNamePrefix}${ALARM_NAME_SEPARATOR}`;
}

/** `sagewatch-<stage>/<endpoint>/`: the prefix of exactly one endpoint's alarms. */
export function toEndpointAlarmPrefix(config: EndpointAlarmConfig, endpointName: string): string {
  return `${toStageAlarmPrefix(config)}${endpointName}${ALARM_NAME_SEPARATOR}`;
}

/** The alarm name of one (endpoint, variant, alarm). */
export function toAlarmName(
  config: EndpointAlarmConfig,
  endpointName: string,
  variantName: string,
  kind: EndpointAlarmKind,
): string {
  return `${toEndpointAlarmPrefix(config, endpointName)}${variantName}${ALARM_NAME_SEPARATOR}${kind}`;
}

/** The parts of an alarm name of this stage, or `undefined` for a name that is not one of ours. */
export function parseAlarmName(
  config: EndpointAlarmConfig,
  alarmName: string,
): { endpointName: string; variantName: string; kind: string } | undefined {
  const prefix = toStageAlarmPrefix(config);
  if (!alarmName.startsWith(prefix)) return undefined;
  const parts = alarmName.slice(prefix.length).split(ALARM_NAME_SEPARATOR);
  const [endpointName, variantName, kind] = parts;
  if (parts.length !== 3 || !endpointName || !variantName || !kind) return undefined;
  return { endpointName, variantName, kind };
}

function toDefinition(
  config: EndpointAlarmConfig,
  endpointName: string,
  variantName: string,
  kind: EndpointAlarmKind,
): AlarmDefinition {
  const spec = ALARM_SPECS[kind];
  const actions = config.alertsTopicArn === undefined ? [] : [config.alertsTopicArn];
  const description =
    `sagewatch: ${spec.summary(config)} on SageMaker endpoint ${endpointName}, variant ${variantName}. ` +
    `Managed by sagewatch (stage ${config.stage}); manual edits are overwritten.`;
  return {
    AlarmName: toAlarmName(config, endpointName, variantName, kind),
    AlarmDescription: description.slice(0, MAX_ALARM_DESCRIPTION_LENGTH),
    ActionsEnabled: true,
    AlarmActions: actions,
    // Recovery is news too: the on-call engineer can stop looking.
    OKActions: actions,
    Namespace: spec.namespace(config),
    MetricName: spec.metricName,
    Dimensions: [
      { Name: 'EndpointName', Value: endpointName },
      { Name: 'VariantName', Value: variantName },
    ],
    ...spec.statistic,
    Period: ALARM_PERIOD_SECONDS,
    EvaluationPeriods: spec.evaluationPeriods,
    DatapointsToAlarm: spec.datapointsToAlarm,
    Threshold: spec.threshold(config),
    ComparisonOperator: spec.comparison,
    // No traffic means no datapoints; that is not an outage this alarm can see.
    TreatMissingData: 'notBreaching',
    Tags: [
      { Key: 'managed-by', Value: 'sagewatch' },
      { Key: 'sagewatch:stage', Value: config.stage },
      { Key: 'sagewatch:endpoint', Value: endpointName },
      { Key: 'sagewatch:variant', Value: variantName },
      { Key: 'sagewatch:alarm', Value: kind },
    ],
  };
}

/**
 * The configured alarm set for every variant of an endpoint. A name that would exceed
 * {@link MAX_ALARM_NAME_LENGTH} (impossible with SageMaker's 63-character names and the 32-character
 * stage limit, but the input is data) is returned in `tooLong` instead of being truncated into a
 * name that could collide.
 */
export function toEndpointAlarms(
  config: EndpointAlarmConfig,
  endpointName: string,
  variantNames: readonly string[],
): { alarms: AlarmDefinition[]; tooLong: string[] } {
  const alarms: AlarmDefinition[] = [];
  const tooLong: string[] = [];
  for (const variantName of new Set(variantNames)) {
    for (const kind of config.alarms) {
      const definition = toDefinition(config, endpointName, variantName, kind);
      if (definition.AlarmName.length > MAX_ALARM_NAME_LENGTH) tooLong.push(definition.AlarmName);
      else alarms.push(definition);
    }
  }
  return { alarms, tooLong };
}
