/**
 * Configuration of the endpoint alarm manager, read once at cold start from environment-style input.
 */

import { readMetricsNamespace } from '../control-plane/config.ts';
import { type Env, readList, readNumber, readOptional, readRequired } from '../env.ts';
import { ConfigError } from '../errors.ts';

/** The alarms sagewatch knows how to build for an endpoint variant. */
export const EndpointAlarmKinds = [
  'Invocation5XXErrors',
  'ModelLatency',
  'ContainerHttp5XX',
  'ErrorEvents',
] as const;

/** One of {@link EndpointAlarmKinds}. */
export type EndpointAlarmKind = (typeof EndpointAlarmKinds)[number];

/** Defaults when the threshold variables are absent. */
export const DEFAULT_THRESHOLDS = {
  /** p99 of SageMaker's ModelLatency, in milliseconds (converted to microseconds for the alarm). */
  modelLatencyP99Ms: 2000,
  /** 5XX responses per 5 minutes, for both SageMaker's and the container's own count. */
  http5xx: 5,
  /** Error-classified log events per 5 minutes. */
  errorEvents: 10,
} as const;

/** A stage becomes part of every alarm name; `/` separates name parts, so it may not appear here. */
const STAGE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
/** A standard or FIFO SNS topic ARN. */
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** What the endpoint alarm manager does, after validation. */
export interface EndpointAlarmConfig {
  /** `STAGE`: part of every alarm name and tag, so stages in one account never collide. */
  stage: string;
  /** `sagewatch-<stage>`: every alarm name starts with this and `/`. */
  alarmNamePrefix: string;
  /** `ENDPOINT_ALARMS`: which alarms each variant gets (absent: all; empty: none). */
  alarms: readonly EndpointAlarmKind[];
  /** `ALERTS_TOPIC_ARN`: alarm and OK actions; absent: alarms without actions (console only). */
  alertsTopicArn?: string;
  /** `ALARM_MODEL_LATENCY_P99_MS`. */
  modelLatencyP99Ms: number;
  /** `ALARM_5XX_THRESHOLD`. */
  http5xxThreshold: number;
  /** `ALARM_ERROR_EVENTS_THRESHOLD`. */
  errorEventsThreshold: number;
  /** `METRICS_NAMESPACE`: where sagewatch's own metrics (ContainerHttp5XX, ErrorEvents) live. */
  metricsNamespace: string;
}

function readAlarmKinds(env: Env): EndpointAlarmKind[] {
  const names = readList(env, 'ENDPOINT_ALARMS');
  if (names === undefined) return [...EndpointAlarmKinds];
  const kinds: EndpointAlarmKind[] = [];
  for (const name of names) {
    const kind = EndpointAlarmKinds.find((known) => known === name);
    if (kind === undefined) {
      throw new ConfigError(
        'ENDPOINT_ALARMS',
        `unknown alarm '${name}' (known: ${EndpointAlarmKinds.join(', ')})`,
      );
    }
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
}

/**
 * Reads and validates the endpoint alarm manager's configuration.
 * @throws ConfigError naming the first variable whose value cannot be used.
 */
export function readEndpointAlarmConfig(env: Env): EndpointAlarmConfig {
  const stage = readRequired(env, 'STAGE');
  if (!STAGE.test(stage)) {
    throw new ConfigError(
      'STAGE',
      `'${stage}' must be 1-32 of [A-Za-z0-9_-], starting with a letter or digit`,
    );
  }
  const alertsTopicArn = readOptional(env, 'ALERTS_TOPIC_ARN');
  if (alertsTopicArn !== undefined && !SNS_TOPIC_ARN.test(alertsTopicArn)) {
    throw new ConfigError('ALERTS_TOPIC_ARN', `'${alertsTopicArn}' is not an SNS topic ARN`);
  }
  return {
    stage,
    alarmNamePrefix: `sagewatch-${stage}`,
    alarms: readAlarmKinds(env),
    ...(alertsTopicArn === undefined ? {} : { alertsTopicArn }),
    modelLatencyP99Ms: readNumber(env, 'ALARM_MODEL_LATENCY_P99_MS', {
      fallback: DEFAULT_THRESHOLDS.modelLatencyP99Ms,
      min: 1,
      // SageMaker's longest invocation (asynchronous inference) is one hour.
      max: 3_600_000,
    }),
    http5xxThreshold: readNumber(env, 'ALARM_5XX_THRESHOLD', {
      fallback: DEFAULT_THRESHOLDS.http5xx,
      min: 1,
      max: 1_000_000_000,
      integer: true,
    }),
    errorEventsThreshold: readNumber(env, 'ALARM_ERROR_EVENTS_THRESHOLD', {
      fallback: DEFAULT_THRESHOLDS.errorEvents,
      min: 1,
      max: 1_000_000_000,
      integer: true,
    }),
    metricsNamespace: readMetricsNamespace(env),
  };
}
